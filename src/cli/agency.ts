import { openSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  CLASS_LABELS,
  DECISION_CLASSES,
  GEOJSON_MAX_BYTES,
  type Agency,
  type CapStatus,
  type DecisionClass,
  type MethodName,
  type PublishFormat,
} from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

/** Reads a file the user named, refusing anything but a regular file within the size cap (checked before reading). */
function readCapped(path: string, what: string, cap: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot open the ${what} ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`the ${what} ${JSON.stringify(path)} is not a regular file`);
    if (st.size > cap) throw new UsageError(`the ${what} ${JSON.stringify(path)} has ${st.size} bytes, more than the ${cap} allowed`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** One value per endpoint: given once for all, or once per URL. */
function perEndpoint<T>(values: T[], count: number, flag: string): T[] {
  if (values.length === 1) return Array(count).fill(values[0]) as T[];
  if (values.length === count) return values;
  throw new UsageError(`give ${flag} once, or once per --url (${count})`);
}

async function call<M extends MethodName>(core: Core, method: M, input: unknown) {
  const r = await core.dispatch(core.openSession('cli'), method, input);
  if (!r.ok) throw new UsageError(r.error.message);
  return r.value as import('../contract/index.ts').MethodOutput<M>;
}

async function findAgency(core: Core, key: string): Promise<Agency> {
  const { agencies } = await call(core, 'listAgencies', {});
  const match = /^\d+$/.test(key) ? agencies.find((a) => a.id === Number(key)) : agencies.find((a) => a.name.toLowerCase() === key.toLowerCase());
  if (!match) throw new UsageError(`no agency ${JSON.stringify(key)}`);
  return match;
}

function describe(a: Agency): string {
  const [w, s, e, n] = a.jurisdiction.bbox;
  return [
    `${a.id}  ${a.name}`,
    `    receives: ${a.classes.map((c) => CLASS_LABELS[c]).join(', ')}; messages marked ${a.accepts.join(', ')}`,
    `    jurisdiction: ${a.jurisdiction.type}, ${a.jurisdiction.polygons} polygon(s), ${a.jurisdiction.holes} hole(s), ${a.jurisdiction.vertices} vertices, bbox ${[w, s, e, n].map((v) => v.toFixed(4)).join(', ')}`,
    ...a.endpoints.map((ep) => {
      const tls = [ep.mutualTls ? 'client certificate' : '', ep.privateCa ? 'private CA' : '', ep.proxy ? `via proxy ${ep.proxy}` : ''].filter(Boolean);
      return `    endpoint ${ep.id}: ${ep.format.toUpperCase()} -> ${ep.url}${tls.length ? ` (${tls.join(', ')})` : ''}`;
    }),
  ].join('\n');
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      ...DATABASE_OPTION,
      json: { type: 'boolean' },
      name: { type: 'string' },
      geojson: { type: 'string' },
      url: { type: 'string', multiple: true },
      format: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      'secret-file': { type: 'string', multiple: true },
      classes: { type: 'string' },
      accepts: { type: 'string' },
      'keep-endpoint': { type: 'string', multiple: true },
      'client-cert': { type: 'string', multiple: true },
      'client-key': { type: 'string', multiple: true },
      ca: { type: 'string', multiple: true },
      proxy: { type: 'string', multiple: true },
    },
  });
  if (sub !== 'add' && sub !== 'list' && sub !== 'remove' && sub !== 'update')
    throw new UsageError('say add, list, update or remove (earwitness agency --help)');
  const classes = values.classes
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const c of classes ?? []) {
    if (!(DECISION_CLASSES as readonly string[]).includes(c)) throw new UsageError(`unknown class ${JSON.stringify(c)}; known: ${DECISION_CLASSES.join(', ')}`);
  }
  const accepts = values.accepts
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const a of accepts ?? [])
    if (a !== 'Actual' && a !== 'Exercise' && a !== 'Test') throw new UsageError(`--accepts takes Actual, Exercise and Test, not ${JSON.stringify(a)}`);
  /** An optional per-endpoint file: none, once for all, or once per --url. */
  const optionalFiles = (flag: 'client-cert' | 'client-key' | 'ca', count: number, what: string): (string | undefined)[] => {
    const given = values[flag] ?? [];
    return given.length === 0 ? Array<undefined>(count).fill(undefined) : perEndpoint(given, count, `--${flag}`).map((f) => readCapped(f, what, 64 * 1024));
  };
  const newEndpoints = () => {
    const urls = values.url ?? [];
    if (urls.length === 0) return [];
    const formats = perEndpoint(values.format ?? [], urls.length, '--format');
    // EIDO is not rendered yet (src/publish/endpoint-url.ts checkFormat).
    for (const f of formats) if (f !== 'cap' && f !== 'json') throw new UsageError(`--format must be cap or json, not ${JSON.stringify(f)}`);
    if (values.secret && values['secret-file']) throw new UsageError('give --secret or --secret-file, not both');
    const secretValues = values['secret-file'] ? values['secret-file'].map((f) => readCapped(f, 'secret file', 4096).trim()) : (values.secret ?? []);
    const secrets = perEndpoint(secretValues, urls.length, '--secret');
    const certs = optionalFiles('client-cert', urls.length, 'client certificate');
    const keys = optionalFiles('client-key', urls.length, 'client key');
    const cas = optionalFiles('ca', urls.length, 'CA file');
    const proxies = (values.proxy ?? []).length ? perEndpoint(values.proxy!, urls.length, '--proxy') : [];
    return urls.map((url, i) => ({
      url,
      format: formats[i] as PublishFormat,
      secret: secrets[i]!,
      ...(certs[i] !== undefined ? { clientCertPem: certs[i] } : {}),
      ...(keys[i] !== undefined ? { clientKeyPem: keys[i] } : {}),
      ...(cas[i] !== undefined ? { caPem: cas[i] } : {}),
      ...(proxies[i] ? { proxy: proxies[i] } : {}),
    }));
  };
  if ((values['client-cert'] || values['client-key'] || values.ca || values.proxy) && !values.url) {
    throw new UsageError('--client-cert, --client-key, --ca and --proxy belong to an endpoint: give them with --url');
  }

  let input: unknown = null;
  if (sub === 'add') {
    if (!values.geojson) throw new UsageError('--geojson FILE is required');
    const endpoints = newEndpoints();
    if (endpoints.length === 0) throw new UsageError('--url is required');
    const geojson = readCapped(values.geojson, 'GeoJSON file', GEOJSON_MAX_BYTES);
    let name = values.name;
    if (!name) {
      try {
        const doc = JSON.parse(geojson) as { properties?: { name?: unknown }; features?: { properties?: { name?: unknown } }[] };
        const n = doc.properties?.name ?? doc.features?.[0]?.properties?.name;
        if (typeof n === 'string' && n.trim()) name = n.trim();
      } catch {
        /* the core reports bad JSON precisely */
      }
    }
    if (!name) throw new UsageError('--name is required (the GeoJSON has no name property)');
    input = { name, geojson, endpoints, ...(classes ? { classes: classes as DecisionClass[] } : {}), ...(accepts ? { accepts: accepts as CapStatus[] } : {}) };
  } else if (sub === 'update') {
    if (positionals.length !== 1) throw new UsageError('say which agency: earwitness agency update ID|NAME ...');
    const keep = (values['keep-endpoint'] ?? []).map((k) => {
      if (!/^\d+$/.test(k)) throw new UsageError(`--keep-endpoint takes an endpoint id (see agency list), not ${JSON.stringify(k)}`);
      return Number(k);
    });
    const added = newEndpoints();
    input = {
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(classes ? { classes } : {}),
      ...(accepts ? { accepts } : {}),
      ...(values.geojson ? { geojson: readCapped(values.geojson, 'GeoJSON file', GEOJSON_MAX_BYTES) } : {}),
      // Kept endpoints by id only: the URL shown is redacted, and the core keeps their secrets.
      ...(keep.length + added.length > 0 ? { endpoints: [...keep.map((id) => ({ id })), ...added] } : {}),
    };
  } else if (sub === 'remove' && positionals.length !== 1) throw new UsageError('say which agency: earwitness agency remove ID|NAME');

  const core = await openCommandCore(values);
  try {
    if (sub === 'add') {
      const a = await call(core, 'addAgency', input);
      if (values.json) io.out(`${JSON.stringify(a, null, 2)}\n`);
      else io.out(`added agency\n${describe(a)}\n`);
    } else if (sub === 'list') {
      const { agencies } = await call(core, 'listAgencies', {});
      if (values.json) io.out(`${JSON.stringify({ agencies }, null, 2)}\n`);
      else io.out(agencies.length ? `${agencies.map(describe).join('\n')}\n` : 'no agencies\n');
    } else if (sub === 'update') {
      const match = await findAgency(core, positionals[0]!);
      const r = await call(core, 'updateAgency', { id: match.id, ...(input as object) });
      if (values.json) io.out(`${JSON.stringify(r, null, 2)}\n`);
      else {
        const effects = [
          r.movedDeliveries ? `${r.movedDeliveries} queued deliveries moved to the new endpoint` : '',
          r.cancelledDeliveries ? `${r.cancelledDeliveries} queued deliveries cancelled` : '',
        ].filter(Boolean);
        const head = r.changed.length ? `updated agency (${r.changed.join(', ')})${effects.length ? `; ${effects.join('; ')}` : ''}` : 'nothing to change';
        io.out(`${head}\n${describe(r.agency)}\n`);
      }
    } else {
      const match = await findAgency(core, positionals[0]!);
      const r = await call(core, 'removeAgency', { id: match.id });
      io.out(`removed agency ${r.agency.id} ${r.agency.name}${r.cancelledDeliveries ? `; ${r.cancelledDeliveries} queued deliveries cancelled` : ''}\n`);
    }
    return 0;
  } finally {
    await core.close();
  }
}
