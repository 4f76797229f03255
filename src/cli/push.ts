import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { alertFolders } from '../ingest/import.ts';
import { readerFor } from '../ingest/readers.ts';
import { UsageError } from './command.ts';
import type { CliIo } from './io.ts';
import { systemClock } from '../util/time.ts';
import { demoSenderPlan, sendDemoAlerts } from './push-demo.ts';
import { bundleParts, readCa, sendPush, type PushAnswer } from './push-request.ts';

const INTAKE_PATH = '/intake/v1/alerts';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The longest wait a Retry-After may impose on one try: a centre that asks for more is treated as down. */
const MAX_WAIT_S = 60;

/** The intake address a --to names: the centre's origin (any path is replaced), https, or http on this machine only. */
function intakeUrl(to: string): URL {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new UsageError(`--to ${JSON.stringify(to)} is not an address (say https://review.example:8443)`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new UsageError('--to must be https:// (plain http only to this machine): the key would cross the network in clear');
  return new URL(INTAKE_PATH, url.origin);
}

function readKey(file: string, io: CliIo): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    if ((statSync(file).mode & 0o077) !== 0 && process.platform !== 'win32') io.err(`earwitness push: ${file} is readable by others; chmod 600 it\n`);
  } catch (e) {
    throw new UsageError(`cannot read the key file ${file}: ${(e as Error).message}`);
  }
  const key = text.trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(key))
    throw new UsageError(`${file} does not hold an intake key (43 base64url characters, as earwitness source key issue writes)`);
  return key;
}

type Line = { kind: 'accepted' | 'duplicate' | 'refused'; text: string; stop?: boolean };

/** What one answer means for the line printed (and whether sending the rest is pointless). */
function describe(a: PushAnswer): Line {
  const reason = a.body && !a.body.ok ? a.body.error.message : a.text.slice(0, 200) || `HTTP ${a.status}`;
  if (a.body?.ok)
    return a.body.value.duplicate
      ? { kind: 'duplicate', text: `alert ${a.body.value.alertId} (stored before; nothing changed)` }
      : { kind: 'accepted', text: `alert ${a.body.value.alertId}` };
  // A refused key is refused for every bundle, and each try counts against this address.
  return { kind: 'refused', text: `${a.status}: ${reason}`, stop: a.status === 401 };
}

/**
 * `earwitness push DIR... --to URL --key-file F [--ca FILE] [--retries N]`: the reference sender a
 * sensor network runs. Sends each acoustic-alert/1 bundle under DIR as one multipart request, one
 * at a time; waits as a 429's Retry-After says, up to N times per bundle. One line per bundle.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      'key-file': { type: 'string' },
      ca: { type: 'string' },
      retries: { type: 'string' },
      demo: { type: 'boolean' },
      alerts: { type: 'string' },
      interval: { type: 'string' },
      seed: { type: 'string' },
      network: { type: 'string' },
    },
  });
  const demoOptions = [values.alerts, values.interval, values.seed, values.network].some((v) => v !== undefined);
  if (values.demo && positionals.length > 0) throw new UsageError('--demo sends simulated alerts; it takes no DIR');
  if (!values.demo && demoOptions) throw new UsageError('--alerts, --interval, --seed and --network go with --demo');
  if (!values.demo && positionals.length === 0)
    throw new UsageError('say what to send: earwitness push DIR --to URL --key-file FILE, or --demo (earwitness push --help)');
  if (values.to === undefined || values['key-file'] === undefined) throw new UsageError('--to URL and --key-file FILE are needed');
  const retries = values.retries === undefined ? 5 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) throw new UsageError('--retries is a whole number from 0 to 100');
  const url = intakeUrl(values.to);
  const key = readKey(values['key-file'], io);
  let ca: string | undefined;
  try {
    ca = values.ca === undefined ? undefined : readCa(values.ca);
  } catch (e) {
    throw new UsageError(`cannot read the CA file ${values.ca}: ${(e as Error).message}`);
  }

  const counts = { accepted: 0, duplicate: 0, refused: 0 };
  const print = (dir: string, root: string, l: Line) => {
    counts[l.kind]++;
    io.out(`${l.kind.padEnd(9)} ${relative(root, dir) || dir}: ${l.text}\n`);
  };
  const summary = () => {
    io.err(`earwitness push: ${counts.accepted} accepted, ${counts.duplicate} duplicates, ${counts.refused} refused\n`);
    return counts.refused > 0 ? 1 : 0;
  };
  if (values.demo) {
    const plan = demoSenderPlan(values, systemClock.nowUs());
    let interrupted = false;
    const interrupt = () => void (interrupted = true);
    process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
    try {
      await sendDemoAlerts(
        plan,
        () => systemClock.nowUs(),
        async (dir, parts) => {
          const line = await sendWithRetries(url, key, parts, ca, retries);
          print(dir, join(dir, '..'), line);
          return { stop: line.stop === true };
        },
        () => interrupted,
      );
    } finally {
      process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    }
    return summary();
  }
  let stopped = false;
  for (const root of positionals) {
    const folders = alertFolders(root);
    if (folders.length === 0) print(root, root, { kind: 'refused', text: 'not sent: no acoustic-alert/1 bundle (a folder with alert.json) here or below' });
    for (const dir of folders) {
      if (stopped) {
        print(dir, root, { kind: 'refused', text: 'not sent: the key was refused' });
        continue;
      }
      const reader = readerFor(dir);
      if (reader !== null && reader.kind !== 'acoustic-alert/1 bundle') {
        print(dir, root, {
          kind: 'refused',
          text: `not sent: it reads as ${reader.kind}, not an acoustic-alert/1 bundle (earwitness import reads it on the centre)`,
        });
        continue;
      }
      let parts;
      try {
        parts = bundleParts(dir);
      } catch (e) {
        print(dir, root, { kind: 'refused', text: e instanceof Error ? e.message : String(e) });
        continue;
      }
      const line = await sendWithRetries(url, key, parts, ca, retries);
      stopped = line.stop === true;
      print(dir, root, line);
    }
  }
  return summary();
}

async function sendWithRetries(url: URL, key: string, parts: Parameters<typeof sendPush>[2], ca: string | undefined, retries: number): Promise<Line> {
  for (let attempt = 0; ; attempt++) {
    let answer: PushAnswer;
    try {
      answer = await sendPush(url, key, parts, ca);
    } catch (e) {
      return { kind: 'refused', text: `could not send to ${url.origin}: ${(e as Error).message}` };
    }
    if (answer.status !== 429 || attempt >= retries) {
      const line = describe(answer);
      return answer.status === 429 ? { ...line, text: `${line.text} (after ${attempt + 1} tries)` } : line;
    }
    const waitS = Math.min(MAX_WAIT_S, answer.retryAfterS ?? 1);
    await sleep(waitS * 1000);
  }
}
