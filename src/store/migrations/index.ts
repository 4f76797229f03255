import type { Migration } from './types.ts';
import { foundation } from './001-foundation.ts';
import { reviewerPicks } from './012-reviewer-picks.ts';
import { alertsBySource } from './013-alerts-by-source.ts';
import { accounts } from './020-accounts.ts';
import { claims } from './021-claims.ts';
import { seatSessions } from './022-seat-sessions.ts';
import { publish } from './030-publish.ts';
import { agencyEdits } from './031-agency-edits.ts';
import { publishTrust } from './032-publish-trust.ts';
import { auditChain } from './050-audit-chain.ts';
import { qa } from './051-qa.ts';
import { qaHolds } from './052-qa-holds.ts';
import { attestedBaseline } from './053-attested-baseline.ts';
import { datasetSchema } from './040-dataset.ts';
import { eventOutbox } from './002-event-outbox.ts';
import { intakeKeys } from './003-intake-keys.ts';
import { outcomes } from './060-outcomes.ts';
import { datasetRecordings } from './041-dataset-recordings.ts';
import { datasetKeysStates } from './042-dataset-keys-states.ts';

/**
 * Every migration, in order, each with its SQLite and PostgreSQL DDL. Ranges keep parallel work apart: 1-9 foundation, 10-19 locate,
 * 20-29 review seat and accounts, 30-39 publish, 40-49 dataset, 50-59 audit, 60-69 outcomes and the programme's figures.
 */
export const MIGRATIONS: readonly Migration[] = [
  foundation,
  eventOutbox,
  intakeKeys,
  reviewerPicks,
  alertsBySource,
  accounts,
  claims,
  seatSessions,
  publish,
  agencyEdits,
  publishTrust,
  datasetSchema,
  datasetRecordings,
  datasetKeysStates,
  auditChain,
  qa,
  qaHolds,
  attestedBaseline,
  outcomes,
];
