/**
 * `npm run eval -- publish-area [--alerts N] [--seed S] [--jitter-ms 0.5]`: what the published
 * location area (src/publish/area.ts: the locator's 95 % ellipse widened to the floor the
 * residual, the speed of sound and GDOP support) does on the demo simulator's gunfire, against
 * the baseline of the locator's own ellipse, in the same run: the share of true positions each
 * holds (a 95 % area should hold about 95 %), how many were widened, and their sizes (full axes).
 */
import { parseArgs } from 'node:util';
import { generateSeries } from '../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { toIncoming } from '../../src/ingest/demo/output.ts';
import { Rng } from '../../src/ingest/demo/rng.ts';
import { locateFromAudio } from '../../src/locate/index.ts';
import { publishedArea, CIRCUMSCRIBE } from '../../src/publish/area.ts';
import { parseIsoMicros } from '../../src/util/time.ts';
import { audioOf } from './lib/audio.ts';
import { insideEllipse, quantile } from './lib/score.ts';

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { alerts: { type: 'string' }, seed: { type: 'string' }, 'jitter-ms': { type: 'string' } } });
  const count = Number(values.alerts ?? '30');
  const seed = values.seed ?? 'publish-area';
  const jitterS = Number(values['jitter-ms'] ?? '0.5') / 1000;
  const network = defaultNetwork();
  let shots = 0,
    inLocator = 0,
    inArea = 0,
    inCircle = 0,
    widened = 0;
  const locatorMajor: number[] = [],
    areaMajor: number[] = [],
    locatorMinor: number[] = [],
    areaMinor: number[] = [],
    errors: number[] = [];
  for (const g of generateSeries({
    network,
    seed,
    count,
    scenarios: ['single_shot', 'semi_auto', 'full_auto'],
    startUs: parseIsoMicros('2026-06-14T21:00:00Z'),
  })) {
    const incoming = toIncoming(g);
    const { audio, frame } = audioOf(incoming);
    const jitter = Rng.of('eval-publish-area', seed, 'clock', g.id);
    for (const a of audio) a.clipStartUs += Math.round(jitter.normal(0, jitterS) * 1e6);
    const out = locateFromAudio(audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: 15, mode: '2d' });
    const truths = g.truth.sources.filter((s) => s.round).map((s) => frame!.toLocal({ lat: s.position.lat, lon: s.position.lon, h: 0 }));
    if (truths.length === 0) continue;
    for (const shot of out.shots) {
      const t = truths.reduce((a, b) => (Math.hypot(b.x - shot.local.x, b.y - shot.local.y) < Math.hypot(a.x - shot.local.x, a.y - shot.local.y) ? b : a));
      const dx = t.x - shot.local.x,
        dy = t.y - shot.local.y;
      const area = publishedArea({ ellipse95: shot.ellipse95, residualRmsMs: shot.residualRmsMs, gdop: shot.gdop, speedOfSoundMs: out.speedOfSoundMs });
      shots++;
      errors.push(Math.hypot(dx, dy));
      if (insideEllipse(dx, dy, shot.ellipse95)) inLocator++;
      // The published polygon circumscribes the widened ellipse; the ellipse itself is the conservative test.
      if (insideEllipse(dx, dy, area)) inArea++;
      if (Math.hypot(dx, dy) <= area.circleRadiusM) inCircle++;
      if (area.widened) widened++;
      if (shot.ellipse95) {
        locatorMajor.push(2 * shot.ellipse95.semiMajorM);
        locatorMinor.push(2 * shot.ellipse95.semiMinorM);
      }
      areaMajor.push(2 * area.semiMajorM);
      areaMinor.push(2 * area.semiMinorM);
    }
  }
  const pct = (n: number) => `${((100 * n) / Math.max(1, shots)).toFixed(1)}%`;
  const m = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(1)} m, p10 ${quantile(xs, 0.1).toFixed(1)} m`;
  process.stdout.write(
    [
      `published 95 % area on the demo network ${network.spec.name}: seed ${seed}, ${count} alerts, ${shots} located shots, clock jitter ${(jitterS * 1000).toFixed(2)} ms`,
      `error to the nearest true round: median ${quantile(errors, 0.5).toFixed(1)} m, p90 ${quantile(errors, 0.9).toFixed(1)} m`,
      `baseline, the locator's 95 % ellipse: holds the truth for ${pct(inLocator)}; long axis ${m(locatorMajor)}; short axis ${m(locatorMinor)}`,
      `published area (floor-widened ellipse): holds the truth for ${pct(inArea)} (its circle: ${pct(inCircle)}); widened for ${pct(widened)}; long axis ${m(areaMajor)}; short axis ${m(areaMinor)}`,
      `polygon circumscription factor 1/cos(pi/32) = ${CIRCUMSCRIBE.toFixed(4)}`,
      '',
    ].join('\n'),
  );
  return 0;
}
