import type { MethodOutput } from '../../../../src/contract/index.ts';

export type HistoryEvent = MethodOutput<'getIncidentHistory'>['events'][number];
export type HistoryKind = HistoryEvent['kind'];

/** How each kind of event reads in the timeline, and the group it is coloured and filtered by. */
export const KIND: Record<HistoryKind, { label: string; group: 'machine' | 'decision' | 'qa' | 'publish' | 'record' }> = {
  imported: { label: 'received', group: 'machine' },
  solution: { label: 'location', group: 'machine' },
  decision: { label: 'decision', group: 'decision' },
  decision_revised: { label: 'revised', group: 'decision' },
  decision_undone: { label: 'undone', group: 'decision' },
  qa_sampled: { label: 'QA draw', group: 'qa' },
  qa_reviewed: { label: 'QA review', group: 'qa' },
  qa_adjudicated: { label: 'verdict', group: 'qa' },
  qa_seal_opened: { label: 'seal opened', group: 'qa' },
  published: { label: 'published', group: 'publish' },
  publish_update: { label: 'incident', group: 'publish' },
  delivery: { label: 'delivery', group: 'publish' },
  report: { label: 'report', group: 'record' },
  other: { label: 'other', group: 'record' },
};

export const GROUPS = [
  { id: 'machine', label: 'Machine' },
  { id: 'decision', label: 'Decisions' },
  { id: 'qa', label: 'QA' },
  { id: 'publish', label: 'Publishing' },
  { id: 'record', label: 'Reports, other' },
] as const;
export type Group = (typeof GROUPS)[number]['id'];

/** Entries of the same kind, by the same actor, within a second, that a timeline may fold (delivery retries). */
export function foldRuns(events: readonly HistoryEvent[]): { event: HistoryEvent; folded: HistoryEvent[] }[] {
  const out: { event: HistoryEvent; folded: HistoryEvent[] }[] = [];
  for (const e of events) {
    const last = out.at(-1);
    if (last && e.kind === 'delivery' && last.event.kind === 'delivery' && last.event.summary === e.summary) last.folded.push(e);
    else out.push({ event: e, folded: [] });
  }
  return out;
}
