import { auditEntryDigestOfCanonical, GENESIS_HASH, type AuditRow } from '../kernel/store-port.ts';
import { canonicalJson } from '../util/canonical.ts';
import type { VerifyProblem } from './problems.ts';

export interface Anchor {
  seq: number;
  hash: string;
  /** Where the verifier got it: a receipt file, the anchor file, the command line. */
  source: string;
}

export interface ChainWalk {
  entries: number;
  /** The last entry walked: what the log itself says its head is. */
  last: { seq: number; hash: string } | null;
  problems: VerifyProblem[];
}

const short = (h: string) => `${h.slice(0, 12)}…`;

/**
 * Walks the chain in seq order and recomputes every hash from the entry's content and the
 * previous stored hash. After a break the walk continues from the stored hash, so one altered
 * entry is reported once and later, independent breaks are still found. `visit` sees every row
 * whose payload parses, with the payload (verification uses it to collect what the log says
 * about records and clips). The rows come
 * one page at a time from the store (an async iterable), so a log of millions of entries is never
 * in memory at once.
 */
export async function walkChain(
  rows: AsyncIterable<AuditRow> | Iterable<AuditRow>,
  anchors: readonly Anchor[] = [],
  visit?: (row: AuditRow, payload: unknown) => void,
  limit = 200,
): Promise<ChainWalk> {
  const problems: VerifyProblem[] = [];
  const add = (p: VerifyProblem) => {
    if (problems.length < limit) problems.push(p);
  };
  const anchorsAt = new Map<number, Anchor[]>();
  for (const a of anchors) anchorsAt.set(a.seq, [...(anchorsAt.get(a.seq) ?? []), a]);
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let entries = 0;
  let last: ChainWalk['last'] = null;
  for await (const row of rows) {
    entries++;
    if (row.seq > expectedSeq) {
      const gap = row.seq - expectedSeq === 1 ? `entry ${expectedSeq} is missing` : `entries ${expectedSeq} to ${row.seq - 1} are missing`;
      add({ kind: 'entry', seq: expectedSeq, problem: 'missing', message: `${gap}: the log jumps from ${expectedSeq - 1} to ${row.seq}` });
    } else if (row.seq < expectedSeq) {
      add({ kind: 'entry', seq: row.seq, problem: 'missing', message: `entry ${row.seq} appears out of order after ${expectedSeq - 1}` });
    }
    if (row.seq === 1 && row.prev_hash !== GENESIS_HASH) {
      add({
        kind: 'entry',
        seq: 1,
        problem: 'genesis',
        message: 'the first entry does not start from the genesis hash',
        expected: GENESIS_HASH,
        found: row.prev_hash,
      });
    } else if (row.prev_hash !== prev) {
      add({
        kind: 'entry',
        seq: row.seq,
        problem: 'link',
        message: `its prev_hash ${short(row.prev_hash)} is not the hash ${short(prev)} of the entry before it: that entry or this one was changed, moved or removed`,
        expected: prev,
        found: row.prev_hash,
      });
    }
    let recomputed: string | null = null;
    try {
      const parsed: unknown = JSON.parse(row.payload_json);
      visit?.(row, parsed);
      const canonical = canonicalJson(parsed);
      if (canonical !== row.payload_json) {
        add({ kind: 'entry', seq: row.seq, problem: 'canonical', message: 'the stored payload is not in canonical form: its bytes were edited' });
      }
      recomputed = auditEntryDigestOfCanonical(prev, { seq: row.seq, atUs: row.at_us, actor: row.actor, action: row.action, entity: row.entity }, canonical);
    } catch {
      add({ kind: 'entry', seq: row.seq, problem: 'hash', message: 'the stored payload is not valid JSON' });
    }
    if (recomputed !== null && recomputed !== row.hash) {
      add({
        kind: 'entry',
        seq: row.seq,
        problem: 'hash',
        message: `its content does not give its stored hash (${describeEntry(row)}): the entry was altered`,
        expected: recomputed,
        found: row.hash,
      });
    }
    for (const a of anchorsAt.get(row.seq) ?? []) {
      if (a.hash !== row.hash) {
        add({
          kind: 'anchor',
          seq: row.seq,
          problem: 'mismatch',
          source: a.source,
          message: `the log's hash ${short(row.hash)} differs from ${short(a.hash)} given out earlier: the log was rewritten`,
          expected: a.hash,
          found: row.hash,
        });
      }
    }
    prev = row.hash;
    expectedSeq = row.seq + 1;
    last = { seq: row.seq, hash: row.hash };
  }
  const end = last?.seq ?? 0;
  for (const a of anchors) {
    if (a.seq > end) {
      add({
        kind: 'anchor',
        seq: a.seq,
        problem: 'truncated',
        source: a.source,
        message: `the log ends at entry ${end}, but entry ${a.seq} (hash ${short(a.hash)}) was given out earlier: the tail was removed`,
        expected: a.hash,
      });
    }
  }
  return { entries, last, problems };
}

function describeEntry(row: AuditRow): string {
  return `${row.action} on ${row.entity} by ${row.actor}`;
}
