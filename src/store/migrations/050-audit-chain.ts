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
  postgres: `
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT COLLATE "C" NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  SELECT 1, coalesce(max(seq), 0),
    coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}')
  FROM audit_log;

-- The head row is locked (FOR UPDATE) before it is compared, so inserts from several sessions
-- are checked one after another even when they bypass the store's own lock.
CREATE FUNCTION audit_log_append_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE head audit_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
  IF NEW.seq IS DISTINCT FROM head.seq + 1 OR NEW.prev_hash IS DISTINCT FROM head.hash THEN
    RAISE EXCEPTION 'audit_log entries must continue the chain: seq = head + 1 and prev_hash = head hash';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_append_in_order BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_in_order();

CREATE FUNCTION audit_log_moves_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_moves_head();

CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq <> OLD.seq + 1 THEN RAISE EXCEPTION 'the audit head only moves forward one entry at a time'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();

CREATE FUNCTION audit_head_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit head cannot be deleted'; END $$;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_kept();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_head_kept();
`,
};
