import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { anchorFromFile, parseAnchorArg } from '../audit/anchors.ts';
import type { Anchor } from '../audit/chain-walk.ts';
import { exportAudit } from '../audit/export.ts';
import { problemView } from '../audit/handlers.ts';
import { describeProblem } from '../audit/problems.ts';
import { buildReport } from '../audit/report/build.ts';
import { statsCsv } from '../audit/stats/csv.ts';
import { computeStats } from '../audit/stats/compute.ts';
import { verifyAudit } from '../audit/verify.ts';
import { recordAnchor } from '../audit/anchors.ts';
import { cliActor, type Core } from '../core/core.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { isUserError } from '../util/errors.ts';
import { parseIsoMicros } from '../util/time.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

const instant = (flag: string, v: string | undefined): number => {
  if (v === undefined) throw new UsageError(`--${flag} is required (an ISO time like 2026-11-01T00:00:00Z, or a date 2026-11-01)`);
  try {
    return parseIsoMicros(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  } catch (e) {
    throw new UsageError(`--${flag}: ${(e as Error).message}`);
  }
};

async function withCore<T>(flags: { data?: string | undefined; database?: string | undefined }, fn: (core: Core) => T | Promise<T>): Promise<T> {
  // Every audit subcommand runs whole on the store port, so each takes --database.
  const core = await openCommandCore(flags);
  try {
    return await fn(core);
  } catch (e) {
    if (isUserError(e)) throw new UsageError(e.message);
    throw e;
  } finally {
    await core.close();
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      data: { type: 'string' },
      ...DATABASE_OPTION,
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      out: { type: 'string' },
      format: { type: 'string' },
      force: { type: 'boolean' },
      'no-clips': { type: 'boolean' },
      anchor: { type: 'string', multiple: true },
      receipt: { type: 'string', multiple: true },
      alert: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      budget: { type: 'string' },
    },
  });
  const actor = cliActor().name;
  switch (sub) {
    case 'verify': {
      let anchors: Anchor[];
      try {
        anchors = [...(values.anchor ?? []).map(parseAnchorArg), ...(values.receipt ?? []).map(anchorFromFile)];
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      return withCore(values, async (core) => {
        const r = await verifyAudit(core, { clips: !values['no-clips'], anchors });
        if (values.json) io.out(`${JSON.stringify({ ...r, first: r.first && problemView(r.first), problems: r.problems.map(problemView) }, null, 2)}\n`);
        else {
          io.out(`${r.entries} entries, ${r.checked.clips} clips, ${r.checked.anchors} anchors checked in ${r.durationMs} ms\n`);
          if (r.head) io.out(`head: entry ${r.head.seq} ${r.head.hash}\n`);
          if (r.ok) io.out('OK: the chain, the records and every clip match\n');
          else {
            io.out(`FIRST MISMATCH: ${describeProblem(r.first!)}\n`);
            for (const p of r.problems.slice(1, 20)) io.out(`  also: ${describeProblem(p)}\n`);
            if (r.problems.length > 20) io.out(`  ... ${r.problems.length - 20} more\n`);
          }
        }
        if (r.ok && r.head) recordAnchor(core.config.dataDir, { seq: r.head.seq, hash: r.head.hash, atUs: core.clock.nowUs(), reason: 'verified (cli)' });
        return r.ok ? 0 : 1;
      });
    }
    case 'export': {
      if (!values.out) throw new UsageError('--out FILE is required');
      const format = values.format ?? 'jsonl';
      if (format !== 'jsonl' && format !== 'json') throw new UsageError('--format is jsonl or json');
      return withCore(values, async (core) => {
        const receipt = await exportAudit(core, actor, {
          path: checkOutsideDataFolder(core.config.dataDir, values.out!, 'write'),
          format,
          overwrite: !!values.force,
        });
        io.out(`${JSON.stringify(receipt, null, 2)}\n`);
        return 0;
      });
    }
    case 'report': {
      const id = Number(values.alert);
      if (!values.alert || !Number.isInteger(id) || id < 1) throw new UsageError('--alert ID (a positive whole number) is required');
      if (!values.out) throw new UsageError('--out FILE.html is required');
      return withCore(values, async (core) => {
        // Checked before the report is built: building it writes an audit entry.
        const out = checkOutsideDataFolder(core.config.dataDir, values.out!, 'write');
        const r = await buildReport(core, id, actor);
        writeFileSync(out, r.html, { flag: values.force ? 'w' : 'wx' });
        io.out(`wrote ${values.out} (sha256 ${r.sha256}, chain head ${r.headSeq})\n`);
        return 0;
      });
    }
    case 'stats': {
      const fromUs = instant('from', values.from),
        toUs = instant('to', values.to);
      const budget = values.budget === undefined ? undefined : Number(values.budget);
      if (budget !== undefined && !(budget > 0)) throw new UsageError('--budget is a positive number of seconds');
      return withCore(values, async (core) => {
        const out = values.out === undefined ? undefined : checkOutsideDataFolder(core.config.dataDir, values.out, 'write');
        const s = await core.storePort.read((tx) => computeStats(tx, fromUs, toUs, budget));
        const text = values.csv ? statsCsv(s) : `${JSON.stringify(s, null, 2)}\n`;
        if (out) writeFileSync(out, text);
        else io.out(text);
        return 0;
      });
    }
    default:
      throw new UsageError(`${sub ? `no audit subcommand ${JSON.stringify(sub)}` : 'say verify, export, report or stats'} (earwitness audit --help)`);
  }
}
