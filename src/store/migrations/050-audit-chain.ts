import type { Migration } from './types.ts';

/**
 * Hardens the audit chain inside the file:
 * - `audit_head` mirrors the newest entry (seq, hash), kept by a trigger. Deleting the tail of
 *   the log, even with the delete trigger dropped, leaves the head pointing past the end, so
 *   `audit verify` sees the truncation unless the attacker also knows to rewrite the head.
 *   (Against someone who rewrites everything, only a head hash kept outside the file helps:
 *   export receipts, report footers and the anchor file; see docs/audit/README.md.)
 * - Appends must continue the chain: seq = head + 1 and prev_hash = head hash, checked by the
 *   database itself, so no caller (or a second process) can fork or gap the chain.
 */
export const auditChain: Migration = {
  version: 50,
  name: 'audit-chain',
  sql: `
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash)
  SELECT 1, coalesce(max(seq), 0),
    coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}')
  FROM audit_log;

CREATE TRIGGER audit_log_append_in_order BEFORE INSERT ON audit_log
  WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
    OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
  BEGIN SELECT RAISE(ABORT, 'audit_log entries must continue the chain: seq = head + 1 and prev_hash = head hash'); END;
CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log
  BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
  WHEN NEW.seq <> OLD.seq + 1
  BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward one entry at a time'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;
`,
};
