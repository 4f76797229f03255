import type { Db } from './db.ts';
import type { AttestedTableName } from '../kernel/store-port.ts';
import { canonicalJson, sha256Hex } from '../util/canonical.ts';

/**
 * Rows that say what police received and who may act: incidents and where they went, the
 * messages sent and their deliveries, agencies with their endpoints and jurisdictions, accounts
 * with their roles and passwords, the settings, and what agencies reported back (outcomes, their
 * keys and links). Every change to one of them is attested in
 * the audit log (a digest of the row's protected columns, in the entry of the change, or in a
 * `record.attested` entry at the end of its transaction), so `audit verify` names a row edited,
 * added or removed behind the log. Columns a worker moves on its own (leases, retry times,
 * counters, last sign-in) are left out: they change without anyone's action and prove nothing.
 */
export const ATTESTED_TABLES = {
  incidents: { key: 'id', columns: ['alert_id', 'state', 'unrouted_reason', 'hold_note', 'created_us', 'status'] },
  incident_agencies: { key: "incident_id || ':' || agency_id", columns: ['incident_id', 'agency_id', 'how', 'routed_us', 'routed_by'] },
  incident_messages: {
    key: 'id',
    columns: [
      'incident_id',
      'seq',
      'msg_type',
      'identifier',
      'sender',
      'sent_us',
      'changes_json',
      'decision_id',
      'solution_id',
      'facts_json',
      'cap_xml',
      'json_body',
      'created_by',
      'eido_json',
    ],
  },
  deliveries: { key: 'id', columns: ['incident_id', 'message_id', 'seq', 'agency_id', 'endpoint_id', 'idempotency_key', 'state', 'delivered_us'] },
  agencies: {
    key: 'id',
    columns: ['name', 'classes_json', 'jurisdiction_json', 'jurisdiction_rev', 'created_us', 'created_by', 'removed_us', 'removed_by', 'accepts_json'],
  },
  agency_endpoints: { key: 'id', columns: ['agency_id', 'url', 'format', 'secret', 'retired_us', 'client_cert_pem', 'client_key_pem', 'ca_pem', 'proxy_url'] },
  /** Whether a drill can reach police: a source's status decides the CAP status of its alerts. */
  source_statuses: { key: 'source', columns: ['status', 'note', 'set_us', 'set_by'] },
  /** Agencies an incident was kept from because they do not accept its status (an exercise, say). */
  incident_withheld: { key: "incident_id || ':' || agency_id", columns: ['incident_id', 'agency_id', 'status', 'reason', 'at_us'] },
  accounts: { key: 'id', columns: ['name', 'display_name', 'password_hash', 'roles_json', 'disabled_us', 'created_us', 'created_by'] },
  settings: { key: 'key', columns: ['value_json'] },
  // What agencies reported, who may report (their callback keys) and the officers' links (used or not).
  agency_outcome_keys: { key: 'id', columns: ['agency_id', 'key_id', 'secret', 'created_us', 'created_by', 'retired_us', 'retired_by'] },
  outcomes: {
    key: 'id',
    columns: [
      'incident_id',
      'agency_id',
      'version',
      'findings_json',
      'arrests',
      'firearms',
      'notes',
      'unit',
      'reference',
      'channel',
      'reported_us',
      'received_us',
      'reported_by',
      'callback_sig',
    ],
  },
  /** Who may push alerts for a source: a key added or un-revoked behind the log would let anyone in. */
  intake_keys: { key: 'id', columns: ['source', 'key_sha256', 'note', 'issued_us', 'issued_by', 'revoked_us', 'revoked_by'] },
  outcome_links: {
    key: 'id',
    columns: ['incident_id', 'agency_id', 'token_sha256', 'created_us', 'created_by', 'expires_us', 'used_us', 'outcome_id', 'retired_us'],
  },
} as const;

export type AttestedTable = keyof typeof ATTESTED_TABLES;
// The port names the same tables (src/kernel): a table added here must be named there too, and the reverse.
const sameTables: [AttestedTable, AttestedTableName] extends [AttestedTableName, AttestedTable] ? true : never = true;
void sameTables;
export const ATTESTED_TABLE_NAMES = Object.keys(ATTESTED_TABLES) as AttestedTable[];

/** One row as an audit entry attests it. */
export interface RowAttestation {
  table: AttestedTable;
  key: string;
  /** SHA-256 of the canonical JSON of the row's protected columns; null when the row is gone. */
  digest: string | null;
}

type Row = Record<string, unknown> & { k: string | number };

const select = (table: AttestedTable) => {
  const spec = ATTESTED_TABLES[table];
  return `SELECT ${spec.key} AS k, ${spec.columns.join(', ')} FROM ${table}`;
};

/** The digest of a row's protected columns (its key column excluded: the key names the row). */
export function rowDigest(table: AttestedTable, row: Record<string, unknown>): string {
  const body: Record<string, unknown> = { table };
  for (const c of ATTESTED_TABLES[table].columns) body[c] = row[c] ?? null;
  return sha256Hex(canonicalJson(body));
}

/**
 * The rows a transaction changed in the attested tables, waiting to be written into an audit
 * entry of that transaction. Store queries mark what they change; the audit log drains the
 * marks into the next entry it appends; the store's transaction appends a `record.attested`
 * entry for what is left before it commits.
 */
export class Attestations {
  private readonly pending = new Map<string, { table: AttestedTable; key: string }>();
  private readonly byKey = new Map<AttestedTable, ReturnType<Db['prepare']>>();
  /** Appends the `record.attested` entry for marks no entry of the transaction took (set by the store). */
  writeLeftovers: (() => void) | null = null;

  constructor(private readonly db: Db) {}

  mark(table: AttestedTable, ...keys: (string | number)[]): void {
    for (const k of keys) this.pending.set(`${table}\u0000${k}`, { table, key: String(k) });
  }

  get size(): number {
    return this.pending.size;
  }

  /** Digests of every marked row as it stands now (inside the transaction), and the marks cleared. */
  drain(): RowAttestation[] {
    const out: RowAttestation[] = [];
    for (const { table, key } of this.pending.values()) {
      let stmt = this.byKey.get(table);
      if (!stmt) this.byKey.set(table, (stmt = this.db.prepare(`${select(table)} WHERE ${ATTESTED_TABLES[table].key} = ?`)));
      const row = stmt.get(keyValue(table, key)) as Row | undefined;
      out.push({ table, key, digest: row ? rowDigest(table, row) : null });
    }
    this.pending.clear();
    return out.sort(compareAttestations);
  }

  /** Before a transaction commits: marks that no audit entry took go into one `record.attested` entry. */
  flush(): void {
    if (this.pending.size > 0) this.writeLeftovers?.();
  }

  /** Forgets marks of a transaction that rolled back. */
  discard(): void {
    this.pending.clear();
  }

  /** Every row of one attested table as it stands, for `audit verify`. */
  all(table: AttestedTable): { key: string; digest: string }[] {
    return (this.db.prepare(select(table)).all() as Row[]).map((r) => ({ key: String(r.k), digest: rowDigest(table, r) }));
  }
}

/** Integer ids compare as numbers (the composite key of incident_agencies stays text). */
const keyValue = (table: AttestedTable, key: string): string | number => (ATTESTED_TABLES[table].key === 'id' ? Number(key) : key);
const compareKeys = (a: string, b: string): number => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);

/** The order an entry lists its attestations in: by table, then by key (integer keys as numbers). */
export const compareAttestations = (a: RowAttestation, b: RowAttestation): number =>
  a.table === b.table ? compareKeys(a.key, b.key) : a.table < b.table ? -1 : 1;
