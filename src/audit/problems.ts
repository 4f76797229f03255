/**
 * What `audit verify` can find. Every problem names where it is (an entry's seq, a table row,
 * a clip file) and what differs, so an auditor can go straight to it.
 */
export type VerifyProblem =
  | {
      kind: 'entry';
      seq: number;
      /** missing: a gap in seq; hash: the content does not give the stored hash; link: prev_hash is not the previous entry's hash; canonical: the stored payload is not in the canonical form the hash covers; genesis: the first entry does not start from the genesis hash. */
      problem: 'missing' | 'hash' | 'link' | 'canonical' | 'genesis';
      message: string;
      expected?: string;
      found?: string;
    }
  | { kind: 'head'; seq: number; problem: 'truncated' | 'mismatch'; message: string; expected?: string; found?: string }
  | { kind: 'anchor'; seq: number; problem: 'truncated' | 'mismatch' | 'unreadable'; message: string; source: string; expected?: string; found?: string }
  | { kind: 'record'; table: string; rowId: number; alertId: number | null; seq: number | null; message: string }
  | {
      kind: 'clip';
      sha256: string;
      problem: 'missing' | 'altered' | 'size';
      message: string;
      path: string;
      seq: number | null;
      uses: { alertId: number; sensorId: string }[];
      found?: string;
    };

export const describeProblem = (p: VerifyProblem): string => {
  switch (p.kind) {
    case 'entry':
    case 'head':
      return `entry ${p.seq}: ${p.message}`;
    case 'anchor':
      return `entry ${p.seq} (anchor from ${p.source}): ${p.message}`;
    case 'record':
      return `${p.table} row ${p.rowId}${p.alertId !== null ? ` (alert ${p.alertId})` : ''}${p.seq !== null ? `, audit entry ${p.seq}` : ''}: ${p.message}`;
    case 'clip':
      return `clip ${p.sha256}${p.seq !== null ? ` (recorded by entry ${p.seq})` : ''}: ${p.message}`;
  }
};
