import { describe, expect, it } from 'vitest';
import { firstMode, modesFor } from '../../../renderer/src/app/modes.ts';
import { stampUtc } from '../../../renderer/src/audit/format.ts';
import { foldRuns, type HistoryEvent } from '../../../renderer/src/audit/history/kinds.ts';
import { dayStartUs, lastDays, periodMicros, statsFileName } from '../../../renderer/src/audit/stats/period.ts';

describe('the statistics period: whole UTC days, both ends included', () => {
  it('turns days into the core half-open interval', () => {
    expect(dayStartUs('2026-03-01')).toBe(Date.UTC(2026, 2, 1) * 1000);
    expect(periodMicros({ from: '2026-03-01', to: '2026-03-01' })).toEqual({ fromUs: Date.UTC(2026, 2, 1) * 1000, toUs: Date.UTC(2026, 2, 2) * 1000 });
    // Across the end of a leap February.
    expect(periodMicros({ from: '2024-02-28', to: '2024-02-29' })).toEqual({ fromUs: Date.UTC(2024, 1, 28) * 1000, toUs: Date.UTC(2024, 2, 1) * 1000 });
  });
  it('refuses half-typed, impossible and reversed periods with a reason', () => {
    for (const bad of ['', '2026-3-1', '2026-02-30', '2025-02-29', '2026-13-01', 'yesterday']) expect(dayStartUs(bad), bad).toBeNull();
    expect(periodMicros({ from: '2026-03-02', to: '2026-03-01' })).toEqual({ problem: 'The period ends before it starts.' });
    expect(periodMicros({ from: '', to: '2026-03-01' })).toHaveProperty('problem');
  });
  it('counts the last days up to today, and names the CSV as the core does', () => {
    const now = Date.UTC(2026, 0, 3, 23, 59);
    expect(lastDays(1, now)).toEqual({ from: '2026-01-03', to: '2026-01-03' });
    expect(lastDays(7, now)).toEqual({ from: '2025-12-28', to: '2026-01-03' });
    expect(statsFileName({ from: '2025-12-28', to: '2026-01-03' })).toBe('earwitness-statistics-2025-12-28-to-2026-01-03.csv');
  });
  it('stamps microseconds to the millisecond, in UTC, negative-safe', () => {
    expect(stampUtc(Date.UTC(2026, 10, 20, 3, 14, 15) * 1000 + 926_535)).toBe('2026-11-20 03:14:15.926');
    expect(stampUtc(0)).toBe('1970-01-01 00:00:00.000');
  });
});

describe("the seat's modes follow the roles", () => {
  it('everyone may look at the queue; trainers label; reviewers give second reviews; auditors and admins audit and watch the floor', () => {
    expect(modesFor(['reviewer']).map((m) => m.id)).toEqual(['review', 'qa']);
    expect(modesFor(['auditor']).map((m) => m.id)).toEqual(['review', 'audit', 'supervision']);
    // An admin sees every sealed decision, so is never blind: no second reviews.
    expect(modesFor(['admin']).map((m) => m.id)).toEqual(['review', 'labelling', 'audit', 'supervision']);
    expect(modesFor(['admin', 'reviewer']).map((m) => m.id)).toEqual(['review', 'labelling', 'qa', 'audit', 'supervision']);
    expect(modesFor(['trainer']).map((m) => m.id)).toEqual(['review', 'labelling']);
    expect(modesFor([]).map((m) => m.id)).toEqual(['review']);
  });
  it('an auditor who does not review starts in the audit, a trainer on their projects', () => {
    expect(firstMode(['auditor'])).toBe('audit');
    expect(firstMode(['auditor', 'reviewer'])).toBe('review');
    expect(firstMode(['admin'])).toBe('review');
    expect(firstMode(['trainer'])).toBe('labelling');
    expect(firstMode(['trainer', 'reviewer'])).toBe('review');
  });
});

describe('the timeline folds repeated delivery attempts', () => {
  const ev = (kind: HistoryEvent['kind'], summary: string, seq: number): HistoryEvent => ({
    seq,
    atUs: seq,
    actor: 'worker',
    action: kind,
    kind,
    summary,
    decisionId: null,
    version: null,
    data: null,
  });
  it('folds identical delivery lines in a row, nothing else', () => {
    const folded = foldRuns([
      ev('decision', 'd', 1),
      ev('delivery', 'Delivery failed (HTTP 503)', 2),
      ev('delivery', 'Delivery failed (HTTP 503)', 3),
      ev('delivery', 'Delivery delivered', 4),
      ev('decision', 'd', 5),
      ev('decision', 'd', 6),
    ]);
    expect(folded.map((f) => [f.event.seq, f.folded.map((x) => x.seq)])).toEqual([
      [1, []],
      [2, [3]],
      [4, []],
      [5, []],
      [6, []],
    ]);
  });
});
