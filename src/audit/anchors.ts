import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../util/errors.ts';
import type { Anchor } from './chain-walk.ts';
import type { VerifyProblem } from './problems.ts';

/**
 * Head hashes given out (exports, reports, verifications) are also appended to a file beside
 * the database. It is not proof against someone who controls the whole folder (receipts held
 * by others are), but it catches a database rolled back to an older copy or a truncated log.
 */
export const ANCHOR_FILE = 'audit-anchors.jsonl';
const MAX_ANCHOR_FILE = 64 * 1024 * 1024;

const AnchorLine = z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/), atUs: z.number().int(), reason: z.string().max(200) });

export function anchorFilePath(dataDir: string): string {
  return join(dataDir, ANCHOR_FILE);
}

/** Appends one anchor and fsyncs it; a failure is reported to the caller but never undoes the work done. */
export function recordAnchor(dataDir: string, a: { seq: number; hash: string; atUs: number; reason: string }): void {
  if (a.seq < 1) return;
  const file = anchorFilePath(dataDir);
  appendFileSync(file, `${JSON.stringify(AnchorLine.parse(a))}\n`, { mode: 0o644 });
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads the anchor file; a line that does not parse is itself a finding (someone edited the file). */
export function readAnchorFile(dataDir: string): { anchors: Anchor[]; problems: VerifyProblem[] } {
  const file = anchorFilePath(dataDir);
  if (!existsSync(file)) return { anchors: [], problems: [] };
  if (statSync(file).size > MAX_ANCHOR_FILE) {
    return { anchors: [], problems: [{ kind: 'anchor', seq: 0, problem: 'unreadable', source: ANCHOR_FILE, message: 'the anchor file is implausibly large' }] };
  }
  const anchors: Anchor[] = [];
  const problems: VerifyProblem[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const a = AnchorLine.parse(JSON.parse(line));
        anchors.push({ seq: a.seq, hash: a.hash, source: `${ANCHOR_FILE} line ${i + 1} (${a.reason})` });
      } catch {
        problems.push({
          kind: 'anchor',
          seq: 0,
          problem: 'unreadable',
          source: ANCHOR_FILE,
          message: `line ${i + 1} of the anchor file is not an anchor: the file was edited`,
        });
      }
    });
  return { anchors, problems };
}

const Receipt = z.object({ headSeq: z.number().int().min(1), headHash: z.string().regex(/^[0-9a-f]{64}$/) });
const HeadLine = z.object({ type: z.literal('head'), seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) });

/**
 * An anchor from a file someone kept: a receipt printed by `audit export` ({headSeq, headHash}),
 * or an export itself (JSON Lines ending in a head line, or the JSON form with `head`).
 */
export function anchorFromFile(path: string): Anchor {
  let text: string;
  try {
    if (statSync(path).size > 2 * 1024 * 1024 * 1024) throw new UserError('bad_file', `${path} is too large to be a receipt`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('bad_file', `cannot read ${path}: ${(e as Error).message}`);
  }
  const trimmed = text.trim();
  const attempts: unknown[] = [];
  try {
    attempts.push(JSON.parse(trimmed));
  } catch {
    const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
    try {
      attempts.push(JSON.parse(lastLine));
    } catch {
      /* not JSON */
    }
  }
  for (const v of attempts) {
    const r = Receipt.safeParse(v);
    if (r.success) return { seq: r.data.headSeq, hash: r.data.headHash, source: path };
    const h = HeadLine.safeParse(v);
    if (h.success) return { seq: h.data.seq, hash: h.data.hash, source: path };
    const j = z.object({ head: HeadLine.omit({ type: true }) }).safeParse(v);
    if (j.success) return { seq: j.data.head.seq, hash: j.data.head.hash, source: path };
  }
  throw new UserError('bad_file', `${path} is neither an audit receipt nor an audit export`);
}

/** `SEQ:HASH` from the command line. */
export function parseAnchorArg(text: string): Anchor {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  if (!m || Number(m[1]) < 1)
    throw new UserError('invalid_input', `an anchor is SEQ:HASH (e.g. 42:${'ab'.repeat(32)}), not ${JSON.stringify(text.slice(0, 80))}`);
  return { seq: Number(m[1]), hash: m[2]!, source: 'the command line' };
}
