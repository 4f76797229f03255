/**
 * The PostgreSQL baseline: the same rows written and read with pg's own client, the statements
 * the port sends written out by hand, one pooled connection per transaction. What the port adds
 * on top (Kysely's compiling, the per-transaction machinery) is the difference.
 */
import pg from 'pg';
import { auditEntryDigest, GENESIS_HASH, type AuditEntryInput, type NewAlert, type NewDecision, type SolutionBody } from '../../../src/kernel/store-port.ts';
import { canonicalJson } from '../../../src/util/canonical.ts';

const int8 = { getTypeParser: (oid: number, format?: string) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')) } as pg.CustomTypesConfig;
const floats = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export class RawPostgres {
  readonly pool: pg.Pool;
  constructor(url: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: url, max, types: int8 });
  }

  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  }

  async append(c: pg.PoolClient, e: AuditEntryInput): Promise<void> {
    await c.query({ name: 'raw_head', text: 'SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE' });
    const last = (await c.query<{ seq: number; hash: string }>({ name: 'raw_last', text: 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1' }))
      .rows[0];
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS_HASH;
    const payloadJson = canonicalJson(e.payload);
    const hash = auditEntryDigest(prev, { seq, atUs: e.atUs, actor: e.actor, action: e.action, entity: e.entity, payloadJson });
    await c.query({
      name: 'raw_append',
      text: 'INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      values: [seq, e.atUs, e.actor, e.action, e.entity, payloadJson, prev, hash],
    });
  }

  async insertAlert(c: pg.PoolClient, a: NewAlert): Promise<number> {
    const id = (
      await c.query<{ id: number }>({
        name: 'raw_alert',
        text: `INSERT INTO alerts (source, external_id, format, detected_us, imported_us, coordinates, origin_lat, origin_lon,
      machine_label, machine_confidence, machine_rounds, weather_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        values: [
          a.source,
          a.externalId,
          a.format,
          a.detectedUs,
          a.importedUs,
          a.coordinates,
          a.localOrigin?.lat ?? null,
          a.localOrigin?.lon ?? null,
          a.machine?.label ?? null,
          a.machine?.confidence ?? null,
          a.machine?.rounds ?? null,
          a.weather ? JSON.stringify(a.weather) : null,
        ],
      })
    ).rows[0]!.id;
    for (const s of a.sensors) {
      await c.query({
        name: 'raw_clip',
        text: 'INSERT INTO clips (sha256, bytes, format, sample_rate, channels, frames, added_us) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sha256) DO NOTHING',
        values: [s.clip.sha256, s.clip.bytes, s.clip.format, s.clip.sampleRate, s.clip.channels, s.clip.frames, a.importedUs],
      });
    }
    await c.query({
      name: 'raw_sensors',
      text: `INSERT INTO alert_sensors (alert_id, sensor_id, lat, lon, elevation_m, x, y, z, clip_sha256, channel, clip_start_us, clip_start_iso,
      full_scale_db_spl, peaks_per_second, peaks) SELECT $1, * FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
      $9::text[], $10::bigint[], $11::bigint[], $12::text[], $13::float8[], $14::float8[], $15::bytea[])`,
      values: [
        id,
        a.sensors.map((s) => s.sensorId),
        a.sensors.map((s) => ('lat' in s.position ? s.position.lat : null)),
        a.sensors.map((s) => ('lat' in s.position ? s.position.lon : null)),
        a.sensors.map((s) => ('lat' in s.position ? (s.position.elevationM ?? null) : null)),
        a.sensors.map((s) => s.local.x),
        a.sensors.map((s) => s.local.y),
        a.sensors.map((s) => s.local.z),
        a.sensors.map((s) => s.clip.sha256),
        a.sensors.map((s) => s.channel),
        a.sensors.map((s) => s.clipStartUs),
        a.sensors.map((s) => s.clipStartIso),
        a.sensors.map((s) => s.fullScaleDbSpl),
        a.sensors.map((s) => s.peaksPerSecond),
        a.sensors.map((s) => floats(s.peaks)),
      ],
    });
    const p = a.pulses;
    await c.query({
      name: 'raw_pulses',
      text: `INSERT INTO pulses (alert_id, sensor_id, offset_s, time_us, snr_db, peak_dbfs, peak_db_spl, shot_index, origin)
      SELECT $1, * FROM unnest($2::text[], $3::float8[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[], $8::bigint[], $9::text[])`,
      values: [
        id,
        p.map((x) => x.sensorId),
        p.map((x) => x.offsetS),
        p.map((x) => x.timeUs),
        p.map((x) => x.snrDb),
        p.map((x) => x.peakDbfs),
        p.map((x) => x.peakDbSpl),
        p.map((x) => x.shotIndex),
        p.map((x) => x.origin),
      ],
    });
    return id;
  }

  async addSolution(c: pg.PoolClient, alertId: number, createdUs: number, body: SolutionBody): Promise<void> {
    await c.query({ name: 'raw_lock', text: 'SELECT id FROM alerts WHERE id = $1 FOR UPDATE', values: [alertId] });
    await c.query({
      name: 'raw_solution',
      text: `INSERT INTO solutions (alert_id, version, origin, created_by, created_us, body_json)
      VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM solutions WHERE alert_id = $1), 'machine', 'bench', $2, $3) RETURNING id, version`,
      values: [alertId, createdUs, JSON.stringify(body)],
    });
  }

  async decide(c: pg.PoolClient, d: NewDecision): Promise<number> {
    await c.query({ name: 'raw_lock', text: 'SELECT id FROM alerts WHERE id = $1 FOR UPDATE', values: [d.alertId] });
    await c.query({ name: 'raw_claim', text: 'SELECT * FROM claims WHERE alert_id = $1', values: [d.alertId] });
    const id = (
      await c.query<{ id: number }>({
        name: 'raw_decide',
        text: `INSERT INTO decisions (alert_id, version, class, rounds, fully_automatic, multiple_shooters, notes, decided_by,
      decided_us, review_ms) VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM decisions WHERE alert_id = $1), $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        values: [d.alertId, d.class, d.rounds, d.flags.fullyAutomatic ? 1 : 0, d.flags.multipleShooters ? 1 : 0, d.notes, d.decidedBy, d.decidedUs, d.reviewMs],
      })
    ).rows[0]!.id;
    await c.query({ name: 'raw_status', text: "UPDATE alerts SET status = 'decided' WHERE id = $1", values: [d.alertId] });
    return id;
  }

  async findByKey(c: pg.PoolClient, source: string, externalId: string): Promise<number | undefined> {
    return (
      await c.query<{ id: number }>({ name: 'raw_key', text: 'SELECT id FROM alerts WHERE source = $1 AND external_id = $2', values: [source, externalId] })
    ).rows[0]?.id;
  }

  async statusOf(c: pg.PoolClient, alertId: number): Promise<string | undefined> {
    return (await c.query<{ status: string }>({ name: 'raw_statusof', text: 'SELECT status FROM alerts WHERE id = $1', values: [alertId] })).rows[0]?.status;
  }

  /** The alert's summary row, as the queue shows it (newest solution's position and rounds, standing decision). */
  async summary(c: pg.PoolClient, alertId: number): Promise<unknown> {
    return (
      await c.query({
        name: 'raw_summary',
        text: `SELECT a.*,
      (SELECT count(*) FROM alert_sensors s WHERE s.alert_id = a.id) AS sensor_count,
      (SELECT (body_json::json -> 'shots' -> 0 -> 'position')::text FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS location_json,
      (SELECT (body_json::json ->> 'rounds')::double precision FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS rounds,
      d.class AS decision_class, d.decided_by, d.decided_us
      FROM alerts a LEFT JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE alert_id = a.id AND undone_us IS NULL ORDER BY version DESC LIMIT 1)
      WHERE a.id = $1`,
        values: [alertId],
      })
    ).rows[0];
  }

  /** What the port sends with a write that announces an event: one NOTIFY, delivered at commit. */
  async notify(c: pg.PoolClient, event: string, payload: unknown): Promise<void> {
    await c.query({ name: 'raw_notify', text: 'SELECT pg_notify($1, $2)', values: ['earwitness_events', JSON.stringify({ o: 'raw', e: [[event, payload]] })] });
  }

  /** Chooses the oldest free pending alert (locked, looked at again) and claims it. */
  async claimNext(c: pg.PoolClient, seat: string, nowUs: number, leaseUs: number): Promise<number | null> {
    const leaveOut: number[] = [];
    for (;;) {
      const id = (
        await c.query<{ id: number }>({
          name: 'raw_next',
          text: `SELECT a.id FROM alerts a LEFT JOIN claims c ON c.alert_id = a.id AND c.expires_us > $1
        WHERE a.status = 'pending' AND c.alert_id IS NULL AND a.id <> ALL($2::bigint[]) ORDER BY a.detected_us, a.id LIMIT 1 FOR UPDATE OF a SKIP LOCKED`,
          values: [nowUs, leaveOut],
        })
      ).rows[0]?.id;
      if (id === undefined) return null;
      const taken = (await c.query({ name: 'raw_recheck', text: 'SELECT 1 FROM claims WHERE alert_id = $1 AND expires_us > $2', values: [id, nowUs] }))
        .rowCount;
      if (taken) {
        leaveOut.push(id);
        continue;
      }
      const r = await c.query({
        name: 'raw_take',
        text: `INSERT INTO claims (alert_id, account_id, claimed_by, seat, claimed_us, expires_us) VALUES ($1, NULL, $2, $2, $3, $4)
        ON CONFLICT (alert_id) DO UPDATE SET claimed_by = excluded.claimed_by, seat = excluded.seat, claimed_us = excluded.claimed_us, expires_us = excluded.expires_us
        WHERE claims.expires_us <= $3 OR claims.seat = excluded.seat`,
        values: [id, seat, nowUs, nowUs + leaseUs],
      });
      return r.rowCount === 1 ? id : null;
    }
  }

  /** Every audit entry in order, re-hashed: what verify does with the chain. */
  async verifyChain(): Promise<number> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let prev = GENESIS_HASH;
      let n = 0;
      let from = 0;
      for (;;) {
        const rows = (
          await c.query<{ seq: number; at_us: number; actor: string; action: string; entity: string; payload_json: string; prev_hash: string; hash: string }>({
            name: 'raw_page',
            text: 'SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 2000',
            values: [from],
          })
        ).rows;
        for (const r of rows) {
          const hash = auditEntryDigest(prev, { seq: r.seq, atUs: r.at_us, actor: r.actor, action: r.action, entity: r.entity, payloadJson: r.payload_json });
          if (hash !== r.hash || r.prev_hash !== prev) throw new Error(`chain broken at ${r.seq}`);
          prev = r.hash;
          n++;
        }
        if (rows.length < 2000) break;
        from = rows.at(-1)!.seq + 1;
      }
      await c.query('COMMIT');
      return n;
    } finally {
      c.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
