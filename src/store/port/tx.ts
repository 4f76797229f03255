import { sql } from 'kysely';
import type { EventName, EventPayload } from '../../contract/index.ts';
import type { CommittedEvent, StoreTx, WriteTx } from '../../kernel/store-port.ts';
import { StoreUsageError } from '../../kernel/store-errors.ts';
import { accountQueries, signinThrottleQueries } from '../queries/accounts.ts';
import { agencyQueries } from '../queries/agencies.ts';
import { alertQueries } from '../queries/alerts.ts';
import { appendLeftoverAttestations, auditQueries } from '../queries/audit-log.ts';
import { auditReadQueries } from '../queries/audit-reads.ts';
import { claimQueries } from '../queries/claims.ts';
import type { QueryContext } from '../queries/context.ts';
import { datasetLabelQueries } from '../queries/dataset-labels.ts';
import { datasetProjectQueries } from '../queries/dataset-projects.ts';
import { decisionQueries } from '../queries/decisions.ts';
import { deliveryQueries } from '../queries/deliveries.ts';
import { incidentQueries } from '../queries/incidents.ts';
import { intakeKeyQueries } from '../queries/intake-keys.ts';
import { seatSessionQueries } from '../queries/seat-sessions.ts';
import { outcomeQueries } from '../queries/outcomes.ts';
import { qaQueries } from '../queries/qa.ts';
import { relocationQueries } from '../queries/relocations.ts';
import { sensorQueries } from '../queries/sensors.ts';
import { settingsQueries } from '../queries/settings.ts';
import { sourceQueries } from '../queries/sources.ts';
import { supervisionQueries } from '../queries/supervision.ts';
import type { TxState } from './connection.ts';

const GROUPS = {
  alerts: alertQueries,
  decisions: decisionQueries,
  audit: auditQueries,
  settings: settingsQueries,
  agencies: agencyQueries,
  incidents: incidentQueries,
  deliveries: deliveryQueries,
  auditReads: auditReadQueries,
  qa: qaQueries,
  datasetProjects: datasetProjectQueries,
  datasetLabels: datasetLabelQueries,
  accounts: accountQueries,
  signinThrottle: signinThrottleQueries,
  claims: claimQueries,
  relocations: relocationQueries,
  sensors: sensorQueries,
  sources: sourceQueries,
  supervision: supervisionQueries,
  intakeKeys: intakeKeyQueries,
  seatSessions: seatSessionQueries,
  outcomes: outcomeQueries,
} satisfies { [K in keyof StoreTx]: (ctx: QueryContext) => StoreTx[K] };

/** What every write does after its callback and before COMMIT: attest the changed rows no audit entry took. */
export async function beforeCommit(ctx: QueryContext): Promise<void> {
  await appendLeftoverAttestations(ctx);
}

/** An event as announced inside a write, before it is known to have committed. */
export type PendingEvent = Omit<CommittedEvent, 'local'>;

/**
 * The object a transaction callback receives: every query group, made on first use (most
 * transactions touch two or three), and for writes `emit`, which only collects.
 */
export function makeTx(ctx: QueryContext, state: TxState, events: PendingEvent[] | null): WriteTx {
  const tx: Partial<Record<keyof StoreTx, unknown>> = {};
  const target = {
    async lock(name: string): Promise<void> {
      if (!events) throw new StoreUsageError('locks are for writes: lock inside store.write, not store.read');
      // hashtextextended: a stable 64-bit key per name (the advisory lock space is shared by every name).
      if (ctx.backend === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`earwitness:${name}`}, 0))`.execute(ctx.db);
      // What was read before the lock may have changed while it waited (another server made the key).
      (tx.settings as ReturnType<typeof settingsQueries> | undefined)?.forgetReads();
    },
    emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
      if (!events) throw new StoreUsageError('events are announced by writes: emit inside store.write, not store.read');
      if (state.ended) throw new StoreUsageError(`emit('${event}') after its transaction ended (a missing await?)`);
      events.push({ event, payload } as PendingEvent);
    },
  };
  for (const name of Object.keys(GROUPS) as (keyof StoreTx)[]) {
    Object.defineProperty(target, name, {
      enumerable: true,
      get: () => (tx[name] ??= GROUPS[name](ctx)),
    });
  }
  return target as WriteTx;
}
