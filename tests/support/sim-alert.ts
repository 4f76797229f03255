import { seriesId, seriesScenarios } from '../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { renderAlert, toIncoming } from '../../src/ingest/demo/output.ts';
import { planAlert, type PlanOptions } from '../../src/ingest/demo/plan.ts';
import { Rng } from '../../src/ingest/demo/rng.ts';
import { locateFromAudio, type LocateOutput } from '../../src/locate/index.ts';
import { audioOf } from '../eval/lib/audio.ts';
import { GUNFIRE } from '../eval/lib/sim-cases.ts';

/**
 * One alert of a simulated case located as `npm run eval -- simulated --seed SEED` locates it
 * (same scene, clock errors, temperature), without the alerts before it: its output, and the
 * error of a reported position (to the nearest round).
 */
export function locateSimAlert(
  evalSeed: string,
  caseName: string,
  index: number,
  plan: Partial<Pick<PlanOptions, 'maxSensors' | 'minSensors' | 'conditions' | 'supersonic'>>,
): { out: LocateOutput; rounds: number; errorM: (p: { x: number; y: number }) => number } {
  const network = defaultNetwork();
  const seed = `${evalSeed}-${caseName.replace(/\W+/g, '-')}`;
  const scenario = seriesScenarios(seed, index, GUNFIRE)[index - 1]!;
  const g = renderAlert(planAlert({ network, seed, index, scenario, gpsErrorM: 2.5, ...plan }), {
    epochUs: 1_781_000_000_000_000,
    id: seriesId(network.spec.idPrefix, seed, index),
    noise: true,
  });
  const incoming = toIncoming(g);
  const { audio, frame } = audioOf(incoming);
  // The eval's clock errors: each sensor's clip stamped off by 0.5 ms sigma.
  const jitter = Rng.of('eval-simulated', evalSeed, 'clock', g.id);
  for (const a of audio) a.clipStartUs += Math.round(jitter.normal(0, 0.0005) * 1e6);
  const knownSensors = network.sensors.map((s) => ({ sensorId: s.id, local: frame!.toLocal({ lat: s.lat, lon: s.lon, h: s.elevationM }) }));
  const out = locateFromAudio(audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: 15, mode: '2d', knownSensors });
  const truths = g.truth.sources.filter((s) => s.round).map((s) => frame!.toLocal({ lat: s.position.lat, lon: s.position.lon, h: 0 }));
  return { out, rounds: g.truth.rounds, errorM: (p) => Math.min(...truths.map((t) => Math.hypot(t.x - p.x, t.y - p.y))) };
}
