import { mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/**
 * The process's log: pino (levels, one JSON object a line), written to
 *  - stderr, warnings and errors only, as plain text (a person reads a terminal);
 *  - once a data folder is open (`earwitness serve`, the desktop app), the file
 *    logs/earwitness.log in it, as JSON Lines from `info` up (EARWITNESS_LOG_LEVEL changes that:
 *    trace, debug, info, warn, error, fatal).
 * What a command prints for its user (tables, results, its own errors) is not logging: the CLI
 * writes that to stdout and stderr itself.
 */
export const LOG_FILE = join('logs', 'earwitness.log');

/** Past this size the file is renamed to earwitness.log.1 (replacing the older one) when a process opens it. */
const ROTATE_BYTES = 20 * 1024 * 1024;
const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const STDERR_LEVEL: Level = 'warn';

/** Plain text for a terminal: time, level and message, and an error's stack when there is one. */
const stderrText: DestinationStream = {
  write(line: string) {
    try {
      const {
        time,
        level,
        msg,
        err,
        pid: _pid,
        hostname: _host,
        ...fields
      } = JSON.parse(line) as Record<string, unknown> & {
        time?: number;
        level?: number;
        msg?: string;
        err?: { stack?: string; message?: string };
      };
      const label = pino.levels.labels[level ?? 50] ?? 'error';
      const extra = Object.entries(fields)
        .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
        .join('');
      const detail = err ? `\n${err.stack ?? err.message ?? ''}` : '';
      process.stderr.write(`${new Date(time ?? Date.now()).toISOString()} ${label}: ${msg ?? ''}${extra}${detail}\n`);
    } catch {
      process.stderr.write(line);
    }
  },
};

const streams = pino.multistream([{ level: STDERR_LEVEL, stream: stderrText }]);
const opened = new Set<string>();

export const log: Logger = pino({ level: STDERR_LEVEL, base: { pid: process.pid } }, streams);

/** The level the file takes: EARWITNESS_LOG_LEVEL when it names one, else info. */
export function fileLogLevel(env: NodeJS.ProcessEnv = process.env): Level {
  const wanted = env['EARWITNESS_LOG_LEVEL']?.trim().toLowerCase();
  return wanted && (LEVELS as readonly string[]).includes(wanted) ? (wanted as Level) : 'info';
}

/**
 * Adds the data folder's log file (created if need be) to the log and returns its path. Called by
 * the process that owns the data folder, once; a second call for the same folder changes nothing.
 */
export function openLogFile(dataDir: string, level: Level = fileLogLevel()): string {
  const path = join(dataDir, LOG_FILE);
  if (opened.has(path)) return path;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  try {
    if (statSync(path).size > ROTATE_BYTES) renameSync(path, `${path}.1`);
  } catch {
    /* no file yet */
  }
  // Synchronous writes: a line is on disk before the next statement, so a crash loses none.
  streams.add({ level, stream: pino.destination({ dest: path, sync: true, append: true }) });
  opened.add(path);
  if (LEVELS.indexOf(level) < LEVELS.indexOf(log.level as Level)) log.level = level;
  return path;
}
