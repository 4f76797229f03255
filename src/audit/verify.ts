import type { CoreServices } from '../kernel/services.ts';
import { readAnchorFile } from './anchors.ts';
import { walkChain, type Anchor } from './chain-walk.ts';
import { checkClips } from './clips-check.ts';
import type { VerifyProblem } from './problems.ts';
import { RecordsCollector } from './records-check.ts';

export interface VerifyOptions {
  /** Re-hash every clip file (default true). */
  clips?: boolean;
  /** Compare the version tables with the log (default true). */
  records?: boolean;
  /** Head hashes given out earlier (receipts, reports); the anchor file beside the database is always read. */
  anchors?: readonly Anchor[];
  /** Stop collecting after this many problems (the first is what matters). */
  limit?: number;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  checked: { entries: number; clips: number; records: boolean; anchors: number };
  /** The first problem in the order the chain, the head and anchors, the records, then the clips are checked. */
  first: VerifyProblem | null;
  problems: VerifyProblem[];
  durationMs: number;
}

/**
 * Verifies everything an auditor relies on: the hash chain from the genesis hash, the head the
 * database recorded (a removed tail), head hashes given out before (anchors), the version rows
 * against the entries that recorded them, and every clip file against its SHA-256. Through the
 * store port, so the same on SQLite and PostgreSQL.
 */
export async function verifyAudit(core: Pick<CoreServices, 'storePort' | 'clips' | 'config'>, o: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const limit = o.limit ?? 200;
  const fromFile = readAnchorFile(core.config.dataDir);
  const anchors = [...fromFile.anchors, ...(o.anchors ?? [])];
  const records = new RecordsCollector();
  // One read transaction (PostgreSQL: REPEATABLE READ, one snapshot), so a decision committed
  // mid-walk cannot make the tables and the log disagree. The log comes page by page.
  const { walk, headProblems, recordProblems, clipRows } = await core.storePort.read(async (tx) => {
    // What the log says about records and clips is collected only when they are checked.
    const visit = o.records === false && o.clips === false ? undefined : records.visitParsed;
    const walk = await walkChain(tx.audit.iterate(), anchors, visit, limit);
    const headProblems = headAgainstLog(await tx.audit.recordedHead(), walk.last);
    const recordProblems = o.records === false ? [] : await records.check(tx);
    const clipRows = o.clips === false ? null : { clips: await tx.auditReads.clips(), sensors: await tx.auditReads.sensors() };
    return { walk, headProblems, recordProblems, clipRows };
  });
  // By entry; on one entry, what the log itself shows before what an outside anchor shows.
  const rank = { entry: 0, head: 1, anchor: 2, record: 3, clip: 4 } as const;
  const bySeq = (a: VerifyProblem, b: VerifyProblem) => (a as { seq: number }).seq - (b as { seq: number }).seq || rank[a.kind] - rank[b.kind];
  const chainProblems = [...[...walk.problems, ...headProblems].sort(bySeq), ...fromFile.problems];
  const clipResult = clipRows === null ? { checked: 0, problems: [] } : await checkClips(clipRows, core.clips, records.clipSeq, limit);
  const problems = [...chainProblems, ...recordProblems, ...clipResult.problems].slice(0, limit);
  return {
    ok: problems.length === 0,
    entries: walk.entries,
    head: walk.last,
    checked: { entries: walk.entries, clips: clipResult.checked, records: o.records !== false, anchors: anchors.length },
    first: problems[0] ?? null,
    problems,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The head the database recorded on every append, against where the log ends: a removed tail, or entries added without moving it. */
function headAgainstLog(recorded: { seq: number; hash: string } | null, last: { seq: number; hash: string } | null): VerifyProblem[] {
  const end = last?.seq ?? 0;
  if (recorded && recorded.seq > end) {
    const removed = recorded.seq - end === 1 ? 'the last entry was' : `the last ${recorded.seq - end} entries were`;
    return [
      {
        kind: 'head',
        seq: end + 1,
        problem: 'truncated',
        expected: recorded.hash,
        message: `the database recorded a head at entry ${recorded.seq}, but the log ends at ${end}: ${removed} removed`,
      },
    ];
  }
  if (recorded && recorded.seq < end) {
    return [
      {
        kind: 'head',
        seq: recorded.seq + 1,
        problem: 'mismatch',
        message: `entries ${recorded.seq + 1} to ${end} were added without moving the recorded head`,
      },
    ];
  }
  if (recorded && last && recorded.hash !== last.hash) {
    return [
      {
        kind: 'head',
        seq: end,
        problem: 'mismatch',
        expected: recorded.hash,
        found: last.hash,
        message: 'the last entry differs from the head the database recorded',
      },
    ];
  }
  return [];
}
