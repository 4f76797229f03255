/**
 * `npm run eval -- queue [--data DIR] [--seeds N] [--doc]`: the queue's orders compared on the
 * same simulated arrivals (a steady night, New Year's Eve, an hour over capacity) with the same
 * review times: the share decided within the time budget, the 99th percentile and worst wait of
 * alerts the machine called gunfire, and the longest any alert waited. Review times come from the
 * decisions recorded in a data folder (--data) or, without one, a lognormal of median 25 s.
 * --doc writes the tables into docs/queue.md between its markers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { QUEUE_ORDERS, DEFAULT_SEAT_SETTINGS } from '../../src/contract/index.ts';
import { arrivals, lognormalReviews, recordedReviews, simulate, type Policy, type PolicyFigures, type Scenario } from './lib/queue-sim.ts';

const H = 3600;

/** Gaussian bump of `height` alerts/h centred at `at` seconds, `width` seconds wide (sd). */
const bump = (t: number, at: number, width: number, height: number) => height * Math.exp(-0.5 * ((t - at) / width) ** 2);

export const SCENARIOS: Scenario[] = [
  {
    name: 'steady night',
    about: '120 alerts/h, 15 % gunfire, 3 reviewers (about a third busy)',
    reviewers: 3,
    durationS: 6 * H,
    ratePerHour: () => 120,
    gunfireShare: () => 0.15,
  },
  {
    name: "New Year's Eve",
    about: '22:00 to 04:00: 250 alerts/h rising to 2,600/h at midnight (mostly fireworks, celebratory gunfire too), 12 reviewers (four times the usual staff)',
    reviewers: 12,
    durationS: 6 * H,
    // Midnight is 2 h in; the burst rises in the last half hour and fades over two.
    ratePerHour: (t) => 250 + bump(t, 2 * H + 600, 1500, 2350) + bump(t, 2 * H - 1800, 2400, 300),
    gunfireShare: (t) => 0.12 - 0.05 * Math.exp(-0.5 * ((t - 2 * H - 600) / 1500) ** 2),
  },
  {
    name: 'an hour over capacity',
    about: '5 reviewers for 30 % more alerts than they can take, for an hour, then 50 % of capacity',
    reviewers: 5,
    durationS: 3 * H,
    ratePerHour: (t) => (t < H ? 1.3 : 0.5) * 5 * (H / 25),
    gunfireShare: () => 0.15,
  },
];

function reviewTimes(dataDir: string | undefined): { draw: ReturnType<typeof lognormalReviews>; source: string } {
  if (!dataDir) return { draw: lognormalReviews(25), source: "a lognormal of median 25 s (sigma 0.6): give --data DIR to use a data folder's own decisions" };
  const file = join(dataDir, 'earwitness.sqlite');
  if (!existsSync(file)) throw new Error(`no earwitness.sqlite in ${dataDir}`);
  const db = new Database(file, { readonly: true });
  try {
    const seconds = (db.prepare('SELECT review_ms FROM decisions WHERE review_ms > 0').pluck().all() as number[]).map((ms) => ms / 1000);
    if (seconds.length < 20) throw new Error(`${dataDir} holds ${seconds.length} timed decisions; at least 20 are needed`);
    return { draw: recordedReviews(seconds), source: `${seconds.length} decisions recorded in ${dataDir}` };
  } finally {
    db.close();
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const secs = (x: number) => (x < 600 ? `${x.toFixed(0)} s` : `${(x / 60).toFixed(1)} min`);

/** The worst of each figure over the seeds (share: the lowest; waits: the longest). */
function worstOf(runs: PolicyFigures[]): PolicyFigures {
  const min = (k: Exclude<keyof PolicyFigures, 'policy'>) => Math.min(...runs.map((r) => r[k]));
  const max = (k: Exclude<keyof PolicyFigures, 'policy'>) => Math.max(...runs.map((r) => r[k]));
  return {
    policy: runs[0]!.policy,
    alerts: Math.round(runs.reduce((s, r) => s + r.alerts, 0) / runs.length),
    withinBudget: min('withinBudget'),
    gunfireWithinBudget: min('gunfireWithinBudget'),
    gunfireWaitP99S: max('gunfireWaitP99S'),
    gunfireWaitMaxS: max('gunfireWaitMaxS'),
    anyWaitMaxS: max('anyWaitMaxS'),
    anyWaitP99S: max('anyWaitP99S'),
  };
}

/** Every order, and likely_gunfire_first at several head starts: the budget, 10 min, 1 h, the default. */
function policies(): Policy[] {
  const d = DEFAULT_SEAT_SETTINGS;
  const starts = [...new Set([d.deadlineSeconds, 600, 3600, d.gunfireHeadStartSeconds])].sort((a, b) => a - b);
  return QUEUE_ORDERS.flatMap((order): Policy[] =>
    order === 'likely_gunfire_first' ? starts.map((headStartS) => ({ order, headStartS })) : [{ order, headStartS: 0 }],
  );
}

function policyName(p: Policy): string {
  const d = DEFAULT_SEAT_SETTINGS;
  const isDefault = p.order === d.queueOrder && (p.order !== 'likely_gunfire_first' || p.headStartS === d.gunfireHeadStartSeconds);
  const head = p.order === 'likely_gunfire_first' ? `, head start ${p.headStartS < 3600 ? `${p.headStartS / 60} min` : `${p.headStartS / 3600} h`}` : '';
  return `${p.order}${head}${isDefault ? ' **(default)**' : ''}`;
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, seeds: { type: 'string' }, doc: { type: 'boolean' } } });
  const seeds = Number(values.seeds ?? 5);
  const budgetS = DEFAULT_SEAT_SETTINGS.deadlineSeconds;
  const reviews = reviewTimes(values.data);
  const lines: string[] = [
    `Time budget ${budgetS} s; review times: ${reviews.source}; the worst of ${seeds} seeded runs per figure.`,
    'Gunfire waits are of alerts the machine called gunfire (what the order can see); "gunfire within budget" counts alerts that truly were.',
    '',
  ];
  for (const s of SCENARIOS) {
    lines.push(
      `### ${s.name}`,
      '',
      s.about,
      '',
      '| order | within budget | gunfire within budget | gunfire wait p99 | gunfire worst wait | any wait p99 | longest any alert waited |',
      '|---|---|---|---|---|---|---|',
    );
    const runsBySeed = Array.from({ length: seeds }, (_, seed) => arrivals(s, seed, reviews.draw));
    for (const policy of policies()) {
      const f = worstOf(runsBySeed.map((alerts) => simulate(alerts, s.reviewers, policy, budgetS)));
      lines.push(
        `| ${policyName(policy)} | ${pct(f.withinBudget)} | ${pct(f.gunfireWithinBudget)} | ${secs(f.gunfireWaitP99S)} | ${secs(f.gunfireWaitMaxS)} | ${secs(f.anyWaitP99S)} | ${secs(f.anyWaitMaxS)} |`,
      );
    }
    lines.push('', `(${runsBySeed.map((a) => a.length).join(', ')} alerts in the ${seeds} runs)`, '');
  }
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  if (values.doc) {
    const doc = new URL('../../docs/queue.md', import.meta.url);
    const before = readFileSync(doc, 'utf8');
    const start = '<!-- queue-eval:start -->';
    const end = '<!-- queue-eval:end -->';
    const [head, rest] = before.split(start);
    const tail = rest?.split(end)[1];
    if (head === undefined || tail === undefined) throw new Error('docs/queue.md has no queue-eval markers');
    writeFileSync(doc, `${head}${start}\n${text}\n${end}${tail}`);
  }
  return 0;
}
