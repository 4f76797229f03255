import { parseArgs } from 'node:util';
import type { MethodName, MethodOutput, ProgrammeArea } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<MethodOutput<M>> {
  const r = await core.dispatch(core.openSession('cli'), method, input);
  if (!r.ok) throw new UsageError(r.error.message);
  return r.value as MethodOutput<M>;
}

const SUBS = ['key-issue', 'keys', 'key-retire', 'link', 'figures', 'report'] as const;

/**
 * `earwitness outcomes ...`: an agency's callback keys (the secret printed once, for its CAD's
 * configuration), an officer's link, and the programme's figures and public report for a period.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      ...DATABASE_OPTION,
      json: { type: 'boolean' },
      agency: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  if (!(SUBS as readonly string[]).includes(sub ?? '')) throw new UsageError(`say ${SUBS.join(', ')} (earwitness outcomes --help)`);
  const one = (what: string): string => {
    if (positionals.length !== 1) throw new UsageError(`say which ${what}`);
    return positionals[0]!;
  };
  const id = (text: string | undefined, what: string): number => {
    if (text === undefined || !/^[1-9]\d{0,11}$/.test(text)) throw new UsageError(`${what} is a number, not ${JSON.stringify(text ?? '')}`);
    return Number(text);
  };
  const query = () => {
    if (!values.from || !values.to) throw new UsageError('--from DAY and --to DAY (YYYY-MM-DD, local days of the programme) are required');
    const area: ProgrammeArea = values.agency ? { kind: 'agency', agencyId: id(values.agency, '--agency') } : { kind: 'network' };
    return { period: { fromDay: values.from, toDay: values.to }, area };
  };

  const core = await openCommandCore(values);
  try {
    if (sub === 'key-issue') {
      const k = await call(core, 'issueOutcomeKey', { agencyId: id(one('agency (its id)'), 'the agency') });
      if (values.json) io.out(`${JSON.stringify(k, null, 2)}\n`);
      else
        io.out(
          `outcome key for ${k.agency.name}\n  key id: ${k.keyId}\n  secret: ${k.secret}\n(the secret is shown this once; give both to the agency's CAD, see docs/outcomes/README.md)\n`,
        );
    } else if (sub === 'keys') {
      const { keys } = await call(core, 'listOutcomeKeys', {});
      if (values.json) io.out(`${JSON.stringify({ keys }, null, 2)}\n`);
      else
        io.out(
          keys.length
            ? `${keys.map((k) => `${k.keyId}  ${k.agency.name}  issued by ${k.createdBy}${k.retiredUs !== null ? '  (retired)' : ''}`).join('\n')}\n`
            : 'no outcome keys\n',
        );
    } else if (sub === 'key-retire') {
      const k = await call(core, 'retireOutcomeKey', { keyId: one('key (its id)') });
      io.out(`retired ${k.keyId} of ${k.agency.name}\n`);
    } else if (sub === 'link') {
      const l = await call(core, 'createOutcomeLink', {
        incidentId: id(one('incident (its id)'), 'the incident'),
        ...(values.agency ? { agencyId: id(values.agency, '--agency') } : {}),
      });
      if (values.json) io.out(`${JSON.stringify(l, null, 2)}\n`);
      else io.out(`${l.path}\n(for an officer of ${l.agency.name}, on the host's address; works once, until ${new Date(l.expiresUs / 1000).toISOString()})\n`);
    } else if (sub === 'figures') {
      const f = await call(core, 'getProgrammeFigures', query());
      if (values.json) io.out(`${JSON.stringify(f, null, 2)}\n`);
      else {
        const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)} %`);
        const o = f.outcomes;
        io.out(
          [
            `${f.area.name}, ${f.period.fromDay} to ${f.period.toDay} (${f.period.timeZone})`,
            `alerts ${f.alerts}, decided ${f.decided}, confirmed ${f.confirmed} (${pct(f.confirmedShare)}), rounds ${f.rounds}, withdrawn ${f.withdrawn}`,
            `left out: ${f.excluded.sealed} sealed under QA, ${f.excluded.localFrame} in local metres, ${f.excluded.unplaced} unplaced`,
            `sent to an agency ${o.sentToAgency}: reported ${o.reported}, missing ${o.missing} (${pct(o.missingShare)}); evidence ${o.evidence}, arrests ${o.arrests}, firearms ${o.firearms}`,
            `shot to published: median ${f.publication.shotToPublished.p50S ?? '-'} s over ${f.publication.shotToPublished.n}`,
            '',
          ].join('\n'),
        );
      }
    } else {
      const format = values.format ?? 'html';
      if (format !== 'html' && format !== 'csv' && format !== 'geojson') throw new UsageError('--format is html, csv or geojson');
      if (!values.out) throw new UsageError('--out FILE is required');
      const r = await call(core, 'exportTransparencyReport', { ...query(), format, path: values.out, overwrite: values.force ?? false });
      io.out(`wrote ${r.path} (${r.bytes} bytes, sha256 ${r.sha256})\n`);
    }
    return 0;
  } finally {
    await core.close();
  }
}
