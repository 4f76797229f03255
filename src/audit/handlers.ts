import type { AuditProblem } from '../contract/audit.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { UserError } from '../util/errors.ts';
import { GENESIS_HASH } from '../kernel/queries/audit.ts';
import { recordAnchor } from './anchors.ts';
import { exportAudit } from './export.ts';
import { incidentHistory } from './history.ts';
import { describeProblem, type VerifyProblem } from './problems.ts';
import { changeSettingTx, readAuditSettingsTx, samplingKeyTx, SETTING } from './qa/settings.ts';
import { buildReport } from './report/build.ts';
import { computeStats } from './stats/compute.ts';
import { verifyAudit } from './verify.ts';

/** The flat, transport-friendly form of a problem. */
export function problemView(p: VerifyProblem): AuditProblem {
  const o = p as Partial<Record<string, unknown>>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
  return {
    kind: p.kind,
    problem: 'problem' in p ? p.problem : null,
    seq: 'seq' in p && typeof p.seq === 'number' ? p.seq : null,
    message: p.message,
    description: describeProblem(p),
    table: str('table'),
    rowId: typeof o.rowId === 'number' ? o.rowId : null,
    alertId: typeof o.alertId === 'number' ? o.alertId : null,
    sha256: str('sha256'),
    path: str('path'),
    uses: p.kind === 'clip' ? p.uses : [],
    expected: str('expected'),
    found: str('found'),
    source: str('source'),
  };
}

export const auditHandlers: Handlers<
  | 'verifyAudit'
  | 'getAuditHead'
  | 'exportAudit'
  | 'listAuditLog'
  | 'getIncidentHistory'
  | 'getAuditReport'
  | 'getAuditSettings'
  | 'setAuditSettings'
  | 'getAuditStats'
> = {
  verifyAudit: async ({ core }, { clips, anchors }) => {
    const r = await verifyAudit(core, { clips, anchors: anchors.map((a) => ({ ...a, source: 'the caller' })) });
    if (r.ok && r.head) recordAnchor(core.config.dataDir, { seq: r.head.seq, hash: r.head.hash, atUs: core.clock.nowUs(), reason: 'verified' });
    return { ...r, first: r.first ? problemView(r.first) : null, problems: r.problems.map(problemView) };
  },
  getAuditHead: ({ core }) =>
    core.storePort.read(async (tx) => {
      const h = await tx.audit.last();
      return { seq: h?.seq ?? 0, hash: h?.hash ?? GENESIS_HASH, entries: await tx.audit.count() };
    }),
  exportAudit: (ctx, input) => exportAudit(ctx.core, actorName(ctx), { ...input, path: checkOutsideDataFolder(ctx.core.config.dataDir, input.path, 'write') }),
  listAuditLog: ({ core }, { afterSeq, limit, entity }) =>
    core.storePort.read(async (tx) => {
      const rows =
        entity !== undefined ? (await tx.audit.forEntity(entity)).filter((r) => r.seq > afterSeq).slice(0, limit) : await tx.audit.page(afterSeq + 1, limit);
      const h = await tx.audit.last();
      return {
        entries: rows.map((r) => ({
          seq: r.seq,
          atUs: r.at_us,
          actor: r.actor,
          action: r.action,
          entity: r.entity,
          payload: safeParse(r.payload_json),
          prevHash: r.prev_hash,
          hash: r.hash,
        })),
        head: { seq: h?.seq ?? 0, hash: h?.hash ?? GENESIS_HASH, entries: await tx.audit.count() },
      };
    }),
  getIncidentHistory: ({ core }, { alertId }) => core.storePort.read((tx) => incidentHistory(tx, alertId)),
  getAuditReport: (ctx, { alertId }) => {
    // The seal rule (reads alertId) refused an outsider before this ran: the report writes an entry.
    return buildReport(ctx.core, alertId, actorName(ctx));
  },
  getAuditSettings: ({ core }) => core.storePort.read(readAuditSettingsTx),
  setAuditSettings: async (ctx, input) => {
    const { storePort, clock } = ctx.core;
    const who = actorName(ctx);
    if (input.sampleShare === undefined && input.timeBudgetS === undefined && !input.rotateSamplingKey) {
      throw new UserError('invalid_input', 'nothing to change: give sampleShare, timeBudgetS or rotateSamplingKey');
    }
    return storePort.write(async (tx) => {
      // Read, compare, then write: two administrators' changes at once take turns, so each entry's
      // "from" is what the other left.
      await tx.lock('settings:audit');
      const now = clock.nowUs();
      const before = await readAuditSettingsTx(tx);
      if (input.sampleShare !== undefined && input.sampleShare !== before.sampleShare)
        await changeSettingTx(tx, SETTING.sampleShare, before.sampleShare, input.sampleShare, who, now);
      if (input.timeBudgetS !== undefined && input.timeBudgetS !== before.timeBudgetS)
        await changeSettingTx(tx, SETTING.timeBudgetS, before.timeBudgetS, input.timeBudgetS, who, now);
      if (input.rotateSamplingKey) await samplingKeyTx(tx, who, now, true);
      return readAuditSettingsTx(tx);
    });
  },
  getAuditStats: ({ core }, { fromUs, toUs, timeBudgetS }) => core.storePort.read((tx) => computeStats(tx, fromUs, toUs, timeBudgetS)),
};

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
