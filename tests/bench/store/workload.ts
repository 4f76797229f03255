/** The rows every store figure is measured on, the same for the port and the raw baselines. */
import type { NewAlert, NewDecision, SolutionBody } from '../../../src/kernel/store-port.ts';
import { newAlert, pulse, sensor, solutionBody, T0 } from '../../support/store-fixtures.ts';

export const SENSORS = 6;
/** Claims last a minute in the bench (nothing expires while it runs). */
export const LEASE = 60_000_000;
/** The bench's queue: by detection time, which the raw baselines' SQL says as plainly. */
export const OLDEST_FIRST = { queueOrder: 'oldest_first', deadlineSeconds: 90, gunfireHeadStartSeconds: 0 } as const;
/** 4 s of waveform peaks at 200 pairs per second, as ingest stores them. */
const PEAK_FLOATS = 4 * 200 * 2;

/** A 6-sensor alert with its peaks and 12 machine pulses: what one import commits. */
export function benchAlert(n: number): NewAlert {
  const sensors = Array.from({ length: SENSORS }, (_, i) => ({
    ...sensor(i + 1, { alert: n }),
    peaks: Float32Array.from({ length: PEAK_FLOATS }, (_, k) => Math.sin((k + n) / 7) * (k % 2 ? -1 : 1)),
  }));
  const pulses = sensors.flatMap((s, i) => [pulse(s.sensorId, 0.5 + i / 100), pulse(s.sensorId, 1.25 + i / 100, { shotIndex: 2 })]);
  return newAlert(n, { sensors, pulses, source: 'bench' });
}

export const benchSolution = (): SolutionBody => solutionBody(2);

export const importAudit = (alertId: number, a: NewAlert) => ({
  atUs: a.importedUs,
  actor: 'bench',
  action: 'alert.imported',
  entity: `alert:${alertId}`,
  payload: { source: a.source, externalId: a.externalId, sensors: a.sensors.map((s) => ({ id: s.sensorId, clip: s.clip.sha256 })) },
});

export const benchDecision = (alertId: number, i: number): NewDecision => ({
  alertId,
  class: i % 3 ? 'gunfire_single' : 'fireworks',
  rounds: i % 3 ? 1 : null,
  flags: { fullyAutomatic: false, multipleShooters: false },
  notes: 'bench',
  decidedBy: 'bench',
  decidedUs: T0 + i,
  reviewMs: 4000,
});

export const decisionAudit = (d: NewDecision, decisionId: number) => ({
  atUs: d.decidedUs,
  actor: d.decidedBy,
  action: 'decision.made',
  entity: `alert:${d.alertId}`,
  payload: { decisionId, class: d.class, rounds: d.rounds, flags: d.flags, notes: d.notes, reviewMs: d.reviewMs },
});

export const verifyAudit = (i: number) => ({
  atUs: T0 + i,
  actor: 'bench',
  action: 'bench.entry',
  entity: `alert:${1 + (i % 20)}`,
  payload: { i, note: 'a payload of typical size', values: [i, i * 2, i * 3] },
});

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
