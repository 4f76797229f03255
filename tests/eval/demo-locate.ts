/**
 * `npm run eval -- demo-locate [--alerts N] [--seed S]`: the locator on simulated alerts of
 * the demo network, against their ground truth. Prints, per scenario, how many alerts were
 * located, the horizontal error of each located shot to the nearest true round (median and
 * 90th percentile), and how often the located round count equals the truth.
 */
import { parseArgs } from 'node:util';
import { generateSeries } from '../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { toIncoming } from '../../src/ingest/demo/output.ts';
import { SCENARIO_KINDS } from '../../src/ingest/demo/scenarios.ts';
import { prepareAlert } from '../../src/ingest/prepare.ts';
import { parseIsoMicros } from '../../src/util/time.ts';

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { alerts: { type: 'string' }, seed: { type: 'string' } } });
  const count = Number(values.alerts ?? '70');
  const seed = values.seed ?? 'eval';
  const network = defaultNetwork();
  const rows = new Map<string, { alerts: number; located: number; errors: number[]; roundsRight: number }>();
  for (const g of generateSeries({ network, seed, count, startUs: parseIsoMicros('2026-06-14T21:00:00Z') })) {
    const prepared = prepareAlert(toIncoming(g), { defaultTemperatureC: 15, nowUs: 0 });
    const row = rows.get(g.truth.scenario) ?? { alerts: 0, located: 0, errors: [], roundsRight: 0 };
    rows.set(g.truth.scenario, row);
    row.alerts++;
    if (prepared.located.rounds === g.truth.rounds) row.roundsRight++;
    const shots = prepared.solution?.shots ?? [];
    if (shots.length > 0) row.located++;
    const rounds = g.truth.sources.filter((s) => s.round).map((s) => network.frame.toLocal({ lat: s.position.lat, lon: s.position.lon, h: 0 }));
    for (const shot of shots) {
      if (!('lat' in shot.position)) continue;
      const p = network.frame.toLocal({ lat: shot.position.lat, lon: shot.position.lon, h: 0 });
      row.errors.push(Math.min(...rounds.map((q) => Math.hypot(p.x - q.x, p.y - q.y))));
    }
  }
  const all = { alerts: 0, located: 0, errors: [] as number[], roundsRight: 0 };
  const line = (name: string, r: typeof all) =>
    `${name.padEnd(13)} ${String(r.alerts).padStart(6)} ${String(r.located).padStart(8)} ${String(r.errors.length).padStart(6)} ${quantile(r.errors, 0.5).toFixed(1).padStart(9)} ${quantile(r.errors, 0.9).toFixed(1).padStart(9)} ${(r.alerts ? (100 * r.roundsRight) / r.alerts : 0).toFixed(0).padStart(10)}%`;
  const out = [`demo network ${network.spec.name}, seed ${seed}, ${count} alerts`, 'scenario      alerts  located  shots  median m     p90 m  rounds ok'];
  for (const kind of SCENARIO_KINDS) {
    const r = rows.get(kind);
    if (!r) continue;
    out.push(line(kind, r));
    all.alerts += r.alerts;
    all.located += r.located;
    all.errors.push(...r.errors);
    all.roundsRight += r.roundsRight;
  }
  out.push(line('all', all));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
