import { describe, expect, it } from 'vitest';
import { RejectedCandidate } from '../../../src/contract/alerts.ts';

const place = (x: number, y: number) => ({ position: { x, y }, local: { x, y } });
const echo = {
  kind: 'echo',
  of: 1,
  ...place(340, -35),
  timeUs: 1_700_000_000_500_000,
  picks: [{ sensorId: 'S1', timeUs: 1_700_000_001_000_000 }],
  reason: 'echo of shot 1: ...',
};
const onLine = {
  kind: 'on-line',
  from: 'A',
  through: 'B',
  ...place(0, 200),
  line: { from: place(0, 0), to: place(0, 400) },
  rounds: 3,
  timeUs: 1_700_000_000_500_000,
  picks: [{ sensorId: 'A', timeUs: 1_700_000_001_000_000, round: 1 }],
  reason: '3 rounds not located: ...',
};

describe('a candidate the locator set aside, as the contract carries it', () => {
  it('is an echo of a located shot, or rounds on a line, each with its own fields', () => {
    expect(RejectedCandidate.parse(echo)).toEqual(echo);
    expect(RejectedCandidate.parse(onLine)).toEqual(onLine);
  });

  it('refuses a kind it does not know, and either kind without what it stands on', () => {
    expect(RejectedCandidate.safeParse({ ...echo, kind: 'ghost' }).success).toBe(false);
    expect(RejectedCandidate.safeParse({ ...onLine, kind: 'echo' }).success).toBe(false);
    const { line: _line, ...noLine } = onLine;
    expect(RejectedCandidate.safeParse(noLine).success).toBe(false);
    expect(RejectedCandidate.safeParse({ ...onLine, rounds: 0 }).success).toBe(false);
    expect(RejectedCandidate.safeParse({ ...onLine, picks: [{ sensorId: 'A', timeUs: 1, round: 0 }] }).success).toBe(false);
    expect(RejectedCandidate.safeParse({ ...echo, of: 0 }).success).toBe(false);
  });
});
