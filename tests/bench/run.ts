/**
 * `npm run bench [-- --json] [--quick] [--only NAME]`: runs every suite in tests/bench/suites and prints
 * each figure beside its baseline. A table for people; `--json` prints one object for scripts.
 */
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tempDir } from '../support/temp.ts';
import type { BenchSuite, Figure } from './types.ts';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, only: { type: 'string', multiple: true } } });
const dir = new URL('./suites/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();
const figures: Figure[] = [];
for (const f of files) {
  const { suite } = (await import(new URL(f, dir).href)) as { suite: BenchSuite };
  if (values.only && !values.only.some((o) => suite.name.startsWith(o))) continue;
  const tmp = tempDir(`earwitness-bench-${suite.name}-`);
  process.stderr.write(`bench ${suite.name}...\n`);
  try {
    figures.push(...(await suite.run({ workDir: tmp.dir, quick: values.quick ?? false, log: (m) => process.stderr.write(`  ${m}\n`) })));
  } finally {
    tmp.cleanup();
  }
}

const ratio = (f: Figure) => (f.baseline === 0 ? 0 : f.value / f.baseline);
if (values.json) {
  const out: Record<string, { value: number; unit: string; baseline: number; ratio: number }> = {};
  for (const f of figures) out[f.name] = { value: round(f.value), unit: f.unit, baseline: round(f.baseline), ratio: round(ratio(f)) };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} else {
  const rows = figures.map((f) => [f.name, `${round(f.value)} ${f.unit}`, `${round(f.baseline)} ${f.unit}`, f.baselineLabel, round(ratio(f)).toString()]);
  const head = ['figure', 'value', 'baseline', 'baseline is', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n * 10) / 10 : Math.round(n * 1000) / 1000;
}
