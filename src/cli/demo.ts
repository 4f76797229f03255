import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSeries, seriesId, truthFile } from '../ingest/demo/generate.ts';
import { defaultNetwork, loadNetworkFile } from '../ingest/demo/network.ts';
import { writeBundle } from '../ingest/demo/output.ts';
import { SCENARIO_KINDS, type ScenarioKind } from '../ingest/demo/scenarios.ts';
import type { TruthAlert } from '../ingest/demo/truth.ts';
import { isUserError } from '../util/errors.ts';
import { formatIsoMicros, parseIsoMicros } from '../util/time.ts';
import { UsageError } from './command.ts';
import type { CliIo } from './io.ts';

const DEFAULT_START = '2026-06-14T21:00:00Z';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      alerts: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      network: { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  if (!values.out) throw new UsageError('--out DIR is required (earwitness demo --help)');
  const count = Number(values.alerts ?? '10');
  if (!Number.isInteger(count) || count < 1 || count > 10_000)
    throw new UsageError(`--alerts must be a whole number from 1 to 10000, not ${JSON.stringify(values.alerts)}`);
  const seed = values.seed ?? '1';
  if (!/^[A-Za-z0-9_]{1,32}$/.test(seed)) throw new UsageError(`--seed must be 1 to 32 letters, digits or underscores, not ${JSON.stringify(seed)}`);
  let startUs: number;
  try {
    startUs = parseIsoMicros(values.start ?? DEFAULT_START);
  } catch {
    throw new UsageError(`--start must be an ISO 8601 UTC time such as ${DEFAULT_START}`);
  }
  const scenarios = values.scenario?.map((s) => {
    if (!(SCENARIO_KINDS as readonly string[]).includes(s)) throw new UsageError(`no scenario ${JSON.stringify(s)}; choose from ${SCENARIO_KINDS.join(', ')}`);
    return s as ScenarioKind;
  });
  let network;
  try {
    network = values.network ? loadNetworkFile(values.network) : defaultNetwork();
  } catch (e) {
    if (isUserError(e)) throw new UsageError(e.message);
    throw e;
  }

  const out = resolve(values.out);
  const truthPath = join(out, 'ground-truth.json');
  // Never overwrite: a previous run's bundles may already be imported or be someone's evidence.
  const taken = [truthPath, ...Array.from({ length: count }, (_, i) => join(out, seriesId(network.spec.idPrefix, seed, i + 1)))].filter((p) => existsSync(p));
  if (taken.length > 0) throw new UsageError(`${taken[0]} already exists; choose another --out (or --seed)`);

  const truths: TruthAlert[] = [];
  for (const g of generateSeries({ network, seed, count, startUs, ...(scenarios ? { scenarios } : {}) })) {
    const dir = writeBundle(out, g);
    truths.push(g.truth);
    if (!values.quiet) {
      const t = g.truth;
      io.out(
        `${g.id}  ${t.scenario.padEnd(12)} ${String(t.rounds).padStart(3)} rounds  ${String(t.sensors.length).padStart(2)} sensors  ${formatIsoMicros(t.sources[0]!.timeUs)}  ${dir}\n`,
      );
    }
  }
  const tmp = `${truthPath}.partial`;
  writeFileSync(tmp, `${JSON.stringify(truthFile(seed, { network }, truths), null, 2)}\n`);
  renameSync(tmp, truthPath);
  if (!values.quiet) io.out(`ground truth: ${truthPath}\n`);
  return 0;
}
