import { describe, expect, it } from 'vitest';
import type { AlertSummary } from '../../../src/contract/index.ts';
import { applyAlert, newestFirst } from '../../../renderer/src/queue/queue-list.ts';

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
