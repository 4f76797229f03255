import type { CapStatus, SourceStatus } from '../contract/index.ts';
import { SIMULATED_SOURCE_PREFIX } from '../ingest/demo/network.ts';
import type { SourceStatusRecord, StoreTx } from '../kernel/store-port.ts';
import type { Store } from '../store/store.ts';

/**
 * A message's CAP status follows where its alert came from. An administrator marks each source
 * (sensor network) live, exercise or test. A source nobody marked publishes as Exercise: a new
 * network is not live until someone who knows it is says so, because a drill or a simulation
 * that reaches a dispatcher as Actual sends officers to a real street for nothing, while a real
 * alert sent as Exercise still reaches every agency that takes exercises and the seat shows the
 * reviewer, before deciding, that it is not going out as live. A simulated network (the demo, or
 * any source named demo-*) is never live, whatever is stored.
 */
export const isSimulatedSource = (source: string): boolean => source.startsWith(SIMULATED_SOURCE_PREFIX);

const CAP_OF: Record<SourceStatus, CapStatus> = { live: 'Actual', exercise: 'Exercise', test: 'Test' };

export function capStatusFor(source: string, status: SourceStatus | null): CapStatus {
  if (status === null) return 'Exercise';
  if (status === 'live' && isSimulatedSource(source)) return 'Exercise';
  return CAP_OF[status];
}

/** Why a message of a source with this stored status (null: nobody marked it) has its CAP status. */
export function whyStatusOf(source: string, status: SourceStatus | null): string {
  if (isSimulatedSource(source)) return `source ${source} is a simulated network, never live`;
  if (status === null) return `source ${source} has not been marked live by an administrator`;
  return `source ${source} is marked ${status}`;
}

const article = (status: CapStatus): string => (status === 'Actual' ? 'Actual' : status === 'Exercise' ? 'an Exercise' : 'a Test');

/** Why an agency does not get a message of this status (the agency named apart). */
export const withheldReason = (agency: { accepts: readonly CapStatus[] }, status: CapStatus, why: string): string =>
  `it accepts only ${agency.accepts.join(' and ')}, and this incident is ${article(status)} (${why})`;

/**
 * The `note` a message of a non-Actual incident opens with: CAP 1.2 meant `note` for Exercise
 * messages first, so a dispatcher reads why this one is not live before anything else.
 */
export const statusNote = (store: Store, source: string, status: CapStatus): string | null => statusNoteOf(source, status, store.sources.get(source));

/** The port's statusNote, inside the caller's transaction. */
export const statusNoteTx = async (tx: StoreTx, source: string, status: CapStatus): Promise<string | null> =>
  statusNoteOf(source, status, await tx.sources.get(source));

/** The note for an incident of `status` whose source is marked as `set` says now (undefined: nobody marked it). */
export function statusNoteOf(source: string, status: CapStatus, set: SourceStatusRecord | undefined): string | null {
  if (status === 'Actual') return null;
  const label = status === 'Exercise' ? 'Exercise' : 'Test';
  if (capStatusFor(source, set?.status ?? null) !== status) return `${label}: this incident was first published as ${article(status)} and keeps that status.`;
  if (isSimulatedSource(source)) return `${label}: a simulated alert (source ${source}); not a real event.`;
  if (!set) return `${label}: source ${source} has not been marked live by the centre; not confirmed as a live sensor network.`;
  return `${label}: source ${source} is marked ${set.status}${set.note ? ` (${set.note})` : ''}.`;
}
