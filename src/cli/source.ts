import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { IntakeKey, MethodName, MethodOutput, Source } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<MethodOutput<M>> {
  const r = await core.dispatch(core.openSession('cli'), method, input);
  if (!r.ok) throw new UsageError(r.error.message);
  return r.value as MethodOutput<M>;
}

const line = (s: Source): string =>
  `${s.source}  ${s.status ?? 'not marked'}  -> published as ${s.publishesAs}${s.simulated ? '  (simulated)' : ''}  ${s.alerts} alert${s.alerts === 1 ? '' : 's'}${s.note ? `  "${s.note}"` : ''}`;

const iso = (us: number | null): string => (us === null ? 'never' : new Date(Math.floor(us / 1000)).toISOString());

const keyLine = (k: IntakeKey): string =>
  `${k.id}  ${k.source}  issued ${iso(k.issuedUs)} by ${k.issuedBy}  last used ${iso(k.lastUsedUs)}` +
  `${k.revokedUs !== null ? `  REVOKED ${iso(k.revokedUs)} by ${k.revokedBy}` : ''}${k.note ? `  "${k.note}"` : ''}`;

/** `earwitness source list|set|key ...`: whether a sensor network's alerts are live, and the keys it pushes alerts with. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'key') return runKey(rest, io);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { data: { type: 'string' }, ...DATABASE_OPTION, json: { type: 'boolean' }, status: { type: 'string' }, note: { type: 'string' } },
  });
  if (sub !== 'list' && sub !== 'set') throw new UsageError('say list, set or key (earwitness source --help)');
  if (sub === 'set') {
    if (positionals.length !== 1) throw new UsageError('say which source: earwitness source set NAME --status live|exercise|test');
    if (values.status !== 'live' && values.status !== 'exercise' && values.status !== 'test') throw new UsageError('--status must be live, exercise or test');
  }
  const core = await openCommandCore(values);
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

/** `earwitness source key issue NAME [--out FILE] | list | revoke ID`: a sensor network's push keys. */
async function runKey(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { data: { type: 'string' }, ...DATABASE_OPTION, json: { type: 'boolean' }, note: { type: 'string' }, out: { type: 'string' } },
  });
  if (verb !== 'issue' && verb !== 'list' && verb !== 'revoke') throw new UsageError('say key issue, key list or key revoke (earwitness source key --help)');
  if (verb === 'issue' && positionals.length !== 1) throw new UsageError('say which source: earwitness source key issue NAME [--out FILE]');
  if (verb === 'revoke' && (positionals.length !== 1 || !/^[1-9]\d{0,14}$/.test(positionals[0]!)))
    throw new UsageError('say which key by its id (earwitness source key list): earwitness source key revoke ID');
  if (verb !== 'issue' && (values.out !== undefined || values.note !== undefined)) throw new UsageError('--out and --note are for key issue');
  const core = await openCommandCore(values);
  try {
    if (verb === 'list') {
      const { keys } = await call(core, 'listIntakeKeys', {});
      if (values.json) io.out(`${JSON.stringify({ keys }, null, 2)}\n`);
      else io.out(keys.length ? `${keys.map(keyLine).join('\n')}\n` : 'no intake keys yet\n');
    } else if (verb === 'revoke') {
      const k = await call(core, 'revokeIntakeKey', { id: Number(positionals[0]) });
      io.out(values.json ? `${JSON.stringify(k, null, 2)}\n` : `${keyLine(k)}\n`);
    } else {
      const { key, secret } = await call(core, 'issueIntakeKey', { source: positionals[0], ...(values.note !== undefined ? { note: values.note } : {}) });
      if (values.out !== undefined) {
        try {
          // Never over an existing file (another network's key, say); readable by this user only.
          writeFileSync(values.out, `${secret}\n`, { mode: 0o600, flag: 'wx' });
        } catch (e) {
          const why = (e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists already' : (e as Error).message;
          // The key exists in the store but nobody can have it: revoke it rather than leave it behind.
          await call(core, 'revokeIntakeKey', { id: key.id });
          throw new UsageError(`could not write the key to ${values.out} (${why}); key ${key.id} was revoked again`);
        }
        io.out(
          values.json
            ? `${JSON.stringify({ key, file: values.out }, null, 2)}\n`
            : `${keyLine(key)}\nthe key is in ${values.out} (mode 0600): give it to the network's sender\n`,
        );
      } else {
        io.out(values.json ? `${JSON.stringify({ key, secret }, null, 2)}\n` : `${keyLine(key)}\n${secret}\n(shown once: only its hash is kept)\n`);
      }
    }
    return 0;
  } finally {
    await core.close();
  }
}
