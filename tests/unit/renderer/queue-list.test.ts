import { describe, expect, it } from 'vitest';
import { DEFAULT_SEAT_SETTINGS, type AlertSummary, type QueueEntry } from '../../../src/contract/index.ts';
import { applyAlert, newestFirst, predictNext, splitId } from '../../../renderer/src/queue/queue-list.ts';

const alert = (id: number, detectedUs: number, status: AlertSummary['status'] = 'pending'): AlertSummary => ({
  id,
  source: 'net',
  externalId: `A-${id}`,
  format: 'acoustic-alert/1',
  detectedUs,
  importedUs: detectedUs,
  sensorCount: 4,
  machine: null,
  status,
  decision: null,
  location: null,
  rounds: null,
});

describe('a queue kept live by events', () => {
  it('puts a new alert in its place, newest detection first', () => {
    let list = [alert(1, 300), alert(2, 100)];
    list = applyAlert(list, alert(3, 200), 'pending');
    expect(list.map((a) => a.id)).toEqual([1, 3, 2]);
  });

  it('replaces an alert it already holds instead of listing it twice', () => {
    const list = applyAlert([alert(1, 300), alert(2, 100)], { ...alert(2, 100), sensorCount: 6 }, 'pending');
    expect(list).toHaveLength(2);
    expect(list[1]!.sensorCount).toBe(6);
  });

  it('drops a decided alert from the pending view and adds it to the decided one', () => {
    const decided = alert(1, 300, 'decided');
    expect(applyAlert([alert(1, 300), alert(2, 100)], decided, 'pending').map((a) => a.id)).toEqual([2]);
    expect(applyAlert([], decided, 'decided').map((a) => a.id)).toEqual([1]);
  });

  it('leaves the list untouched (same array) for an alert of another view it does not hold', () => {
    const list = [alert(2, 100)];
    expect(applyAlert(list, alert(9, 50, 'decided'), 'pending')).toBe(list);
  });

  it('breaks ties of detection time by the newer id', () => {
    expect([alert(1, 100), alert(2, 100)].sort(newestFirst).map((a) => a.id)).toEqual([2, 1]);
  });
});

describe('the alert the N key would take, prefetched by the seat', () => {
  const settings = { ...DEFAULT_SEAT_SETTINGS, queueOrder: 'likely_gunfire_first' as const, gunfireHeadStartSeconds: 600 };
  const NOW = 10_000_000_000;
  const entry = (id: number, ageS: number, label: string | null, claim: QueueEntry['claim'] = null): QueueEntry => ({
    ...alert(id, NOW - ageS * 1e6),
    machine: label ? { label, confidence: 0.9, rounds: null } : null,
    claim,
  });
  const held = (alertId: number, expiresUs: number) => ({ alertId, by: 'ann', seat: 's1', claimedUs: NOW - 1, expiresUs });

  it('is the first in the core’s order that nobody holds, other than the open one', () => {
    const list = [entry(1, 300, 'fireworks'), entry(2, 5, 'gunshot'), entry(3, 900, null)];
    // The gunshot's head start (600 s) puts it before a firework 300 s old, not before one 900 s old.
    expect(predictNext(list, settings, NOW, null)).toBe(3);
    expect(predictNext(list, settings, NOW, 3)).toBe(2);
    expect(predictNext([entry(1, 300, 'fireworks'), entry(2, 5, 'gunshot', held(2, NOW + 1e6))], settings, NOW, null)).toBe(1);
  });

  it('counts a lapsed claim as free, and is null when nothing is free', () => {
    expect(predictNext([entry(2, 5, 'gunshot', held(2, NOW - 1))], settings, NOW, null)).toBe(2);
    expect(predictNext([entry(2, 5, 'gunshot', held(2, NOW + 1e6))], settings, NOW, null)).toBeNull();
    expect(predictNext([entry(2, 5, 'gunshot')], settings, NOW, 2)).toBeNull();
  });
});

describe('an alert id in a narrow queue column', () => {
  it('keeps the end, where ids of one network differ, and lets the start give way', () => {
    expect(splitId('RACE-038')).toEqual({ head: 'RACE-038', tail: '' });
    expect(splitId('ShotSpotter-2024-06-14-000123')).toEqual({ head: 'ShotSpotter-2024-06-14', tail: '-000123' });
    expect(splitId('pgh_20240614_test07_round12')).toEqual({ head: 'pgh_20240614_test07', tail: '_round12' });
    // No short last part: the last 8 characters.
    expect(splitId('a1b2c3d4e5f6a7b8c9d0')).toEqual({ head: 'a1b2c3d4e5f6', tail: 'a7b8c9d0' });
    for (const id of ['x', 'ShotSpotter-2024-06-14-000123', 'a-b-c-d-e-f-g-h-i']) expect(Object.values(splitId(id)).join('')).toBe(id);
  });
});
