import { parseArgs } from 'node:util';
import type { MethodName, MethodOutput, Source } from '../contract/index.ts';
import { openCore, type Core } from '../core/core.ts';
import { resolveDataDir } from '../core/paths.ts';
import { UsageError } from './command.ts';
import type { CliIo } from './io.ts';

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<MethodOutput<M>> {
  const r = await core.dispatch(core.openSession('cli'), method, input);
  if (!r.ok) throw new UsageError(r.error.message);
  return r.value as MethodOutput<M>;
}

const line = (s: Source): string =>
  `${s.source}  ${s.status ?? 'not marked'}  -> published as ${s.publishesAs}${s.simulated ? '  (simulated)' : ''}  ${s.alerts} alert${s.alerts === 1 ? '' : 's'}${s.note ? `  "${s.note}"` : ''}`;

/** `earwitness source list|set NAME --status live|exercise|test [--note TEXT]`: whether a sensor network's alerts are live. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { data: { type: 'string' }, json: { type: 'boolean' }, status: { type: 'string' }, note: { type: 'string' } },
  });
  if (sub !== 'list' && sub !== 'set') throw new UsageError('say list or set (earwitness source --help)');
  if (sub === 'set') {
    if (positionals.length !== 1) throw new UsageError('say which source: earwitness source set NAME --status live|exercise|test');
    if (values.status !== 'live' && values.status !== 'exercise' && values.status !== 'test') throw new UsageError('--status must be live, exercise or test');
  }
  const core = openCore({ dataDir: resolveDataDir(values.data) });
  try {
    if (sub === 'list') {
      const { sources } = await call(core, 'listSources', {});
      if (values.json) io.out(`${JSON.stringify({ sources }, null, 2)}\n`);
      else io.out(sources.length ? `${sources.map(line).join('\n')}\n` : 'no sources yet\n');
    } else {
      const s = await call(core, 'setSourceStatus', {
        source: positionals[0],
        status: values.status,
        ...(values.note !== undefined ? { note: values.note } : {}),
      });
      io.out(values.json ? `${JSON.stringify(s, null, 2)}\n` : `${line(s)}\n`);
    }
    return 0;
  } finally {
    await core.close();
  }
}
