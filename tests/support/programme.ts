import type { Core } from '../../src/core/core.ts';
import type { Clock } from '../../src/util/time.ts';
import type { DecisionClass } from '../../src/contract/index.ts';
import { Rng } from '../../src/ingest/demo/rng.ts';
import { simulateOutcome } from '../../src/outcomes/demo.ts';
import { recordOutcome } from '../../src/outcomes/record.ts';
import { addAgency, CITY, decide, seedAlert } from './publish-fixtures.ts';

/** Hot spots of the seeded city: most shots cluster in a few blocks, a few anywhere. */
const HOT_SPOTS = [
  { lat: CITY.lat + 0.006, lon: CITY.lon - 0.004, weight: 5 },
  { lat: CITY.lat - 0.011, lon: CITY.lon + 0.013, weight: 3 },
  { lat: CITY.lat + 0.017, lon: CITY.lon + 0.021, weight: 2 },
];

/** Night-heavy hours of day, as acoustic alerts run: most between 20:00 and 03:00. */
const HOUR_WEIGHTS = [8, 7, 5, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 6, 8, 9, 9];

/** The real time, unless a fixture sets it: decisions and reports of a seeded past happen when they would have. */
export class SteerableClock implements Clock {
  at: number | null = null;
  nowUs(): number {
    return this.at ?? Date.now() * 1000;
  }
}

/**
 * A programme a report can show: two agencies, `alerts` alerts over the `days` days before
 * `nowMs` (most at night, clustered in hot spots), decided as a review centre would (about half
 * gunfire), and outcomes drawn with the demo's Chicago OIG shares. Seeded, so the same every run.
 */
export async function seedProgramme(
  core: Core,
  o: { nowMs: number; days: number; alerts: number; seed?: string; yearlyCost?: number; clock?: SteerableClock },
): Promise<void> {
  const rng = Rng.of('programme-fixture', o.seed ?? 'one');
  await addAgency(core, { name: 'City Police', url: 'http://127.0.0.1:9/city', half: 0.05 });
  const classes: [DecisionClass | null, number][] = [
    ['gunfire_multiple', 30],
    ['gunfire_single', 18],
    ['fireworks', 16],
    ['firecracker', 8],
    ['vehicle_backfire', 6],
    ['probable_gunfire', 5],
    [null, 4],
  ];
  const hours = HOUR_WEIGHTS.map((w, h) => [h, w] as [number, number]);
  for (let i = 0; i < o.alerts; i++) {
    const spot =
      rng.next() < 0.8
        ? rng.weighted(HOT_SPOTS.map((s) => [s, s.weight] as const))
        : { lat: CITY.lat + rng.uniform(-0.03, 0.03), lon: CITY.lon + rng.uniform(-0.03, 0.03) };
    const at = { lat: spot.lat + rng.uniform(-0.002, 0.002), lon: spot.lon + rng.uniform(-0.002, 0.002) };
    const alertRounds = 1 + rng.int(0, 4); // drawn first, as before: the same programme from the same seed
    const day = rng.int(0, o.days - 1);
    const midnight = Math.floor(o.nowMs / 86_400_000) * 86_400_000 - day * 86_400_000;
    const detectedMs = Math.min(o.nowMs - 3_600_000, midnight + rng.weighted(hours) * 3_600_000 + rng.int(0, 3_599_999));
    // The shot a second and a half before detection, as the locator would have put it.
    const alertId = await seedAlert(core, { at, rounds: alertRounds, detectedUs: detectedMs * 1000 });
    const cls = rng.weighted(classes);
    if (cls === null) continue;
    const rounds = cls === 'gunfire_single' ? 1 : cls === 'gunfire_multiple' ? 2 + rng.int(0, 6) : null;
    // Decided (and so published) 20 s to 3 min after detection, when a clock is given to steer.
    if (o.clock) o.clock.at = (detectedMs + rng.int(20_000, 180_000)) * 1000;
    await decide(core, alertId, cls, rounds);
  }
  // Every agency each routed incident went to, with when the incident was made (through the port: either backend).
  const sent = await core.storePort.read(async (tx) => {
    const out: { incidentId: number; agencyId: number; createdUs: number }[] = [];
    for (const i of (await tx.incidents.list('routed', 1_000_000)).sort((a, b) => a.id - b.id))
      for (const a of await tx.incidents.agencies(i.id)) out.push({ incidentId: i.id, agencyId: a.id, createdUs: i.createdUs });
    return out;
  });
  for (const s of sent) {
    const sim = simulateOutcome(rng.fork('outcome', s.incidentId));
    if (sim.kind === 'missing') continue;
    // Reported within hours of publication (never after now).
    if (o.clock) o.clock.at = Math.min(o.nowMs * 1000, s.createdUs + rng.int(600, 6 * 3600) * 1e6);
    const base = {
      incidentId: s.incidentId,
      agencyId: s.agencyId,
      notes: '',
      unit: 'car 12',
      reference: null,
      channel: 'demo' as const,
      reportedUs: null,
      reportedBy: `demo-agency:${s.agencyId}`,
    };
    await recordOutcome(core, { ...base, ...sim.first });
    if (sim.later) await recordOutcome(core, { ...base, ...sim.later });
  }
  if (o.clock) o.clock.at = null;
  if (o.yearlyCost !== undefined) await core.call(core.cliSession(), 'setProgrammeSettings', { yearlyCost: o.yearlyCost, currency: 'USD', k: 3, cellM: 500 });
}
