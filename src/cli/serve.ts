import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../kernel/paths.ts';
import { startHost } from '../host/server.ts';
import { startBackgroundWork } from '../core/background.ts';
import { log, openLogFile } from '../util/log.ts';
import { cliVersion } from './main.ts';
import { centreOptions } from './centre-options.ts';
import { DATABASE_OPTION, openCommandCore, redacted } from './database.ts';
import { databaseUrl } from './database-url.ts';
import type { CliIo } from './io.ts';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      ...DATABASE_OPTION,
      port: { type: 'string' },
      'no-demo': { type: 'boolean' },
      renderer: { type: 'string' },
      listen: { type: 'string' },
      'public-origin': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-proxy': { type: 'boolean' },
    },
  });
  // Checked before anything opens: a centre that would run without TLS, or with a broken certificate, never starts.
  const network = centreOptions(values, (line) => io.err(`${line}\n`));
  const rendererDir = values.renderer ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url));
  if (!existsSync(rendererDir)) io.err(`warning: ${rendererDir} is missing; run \`npm run build\` to build the UI\n`);
  const dataDir = resolveDataDir(values.data);
  const logFile = openLogFile(dataDir);
  // A centre's servers share one PostgreSQL database (and the data folder's clip store, on a path
  // they all mount); without a URL, the data folder's SQLite file as always.
  const database = databaseUrl(values.database === undefined ? [] : ['--database', values.database]);
  const core = await openCommandCore(values);
  startBackgroundWork(core, { demo: !values['no-demo'] });
  const host = await startHost({ core, rendererDir, port: values.port ? Number(values.port) : 0, ...(network ? { network } : {}) });
  // The token stays out of the log: the file outlives the run, and the address is a key to it.
  log.info(
    {
      version: cliVersion(),
      node: process.version,
      dataDir,
      database: database ? redacted(database) : 'sqlite',
      url: host.url,
      demo: !values['no-demo'],
      centre: network !== null,
    },
    'serving',
  );
  if (network) {
    const tls = network.tls === 'proxy' ? 'TLS at the reverse proxy' : 'TLS';
    io.out(`Earwitness is serving a centre at ${host.url} (listening on ${network.listenHost}:${host.port}, ${tls})\n`);
  } else io.out(`Earwitness is serving ${host.url}#token=${host.token}\n`);
  io.err(`log: ${logFile}\n`);
  if ((await core.storePort.read((tx) => tx.accounts.count())) === 0) {
    io.out(
      network
        ? `No account exists yet: create the first administrator with \`earwitness account add NAME --role admin${database ? ' --database URL' : ''}\`.\n`
        : 'No account exists yet: open that address to create the first administrator (or run `earwitness account add NAME --role admin`).\n',
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('stopping');
  await host.close();
  await core.close();
  log.info('stopped');
  return 0;
}
