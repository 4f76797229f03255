import { z } from 'zod';
import { defineMethod } from './define.ts';
import { AlertDetail, Decision, DecisionFlags } from './alerts.ts';
import { Id, Micros, Sha256 } from './common.ts';
import { DeliveredFile, FileTarget } from './files.ts';
import { DECISION_CLASSES } from './taxonomy.ts';

export const AuditProblem = z.object({
  kind: z.enum(['entry', 'head', 'anchor', 'record', 'clip']),
  /** What differs: missing, hash, link, canonical, genesis, truncated, mismatch, unreadable, altered, size. */
  problem: z.string().nullable(),
  /** The audit entry it concerns (for clips and records: the entry that recorded it), when there is one. */
  seq: z.number().int().nullable(),
  message: z.string(),
  /** One line naming where and what: for lists and the CLI. */
  description: z.string(),
  table: z.string().nullable(),
  rowId: z.number().int().nullable(),
  alertId: z.number().int().nullable(),
  sha256: z.string().nullable(),
  path: z.string().nullable(),
  uses: z.array(z.object({ alertId: z.number().int(), sensorId: z.string() })),
  expected: z.string().nullable(),
  found: z.string().nullable(),
  source: z.string().nullable(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditHead = z.object({ seq: z.number().int().min(0), hash: z.string(), entries: z.number().int() });

export const VerifyReport = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: Sha256 }).nullable(),
  checked: z.object({ entries: z.number().int(), clips: z.number().int(), records: z.boolean(), anchors: z.number().int() }),
  first: AuditProblem.nullable(),
  problems: z.array(AuditProblem),
  durationMs: z.number(),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  atUs: Micros,
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const ExportReceipt = z.object({
  format: z.literal('earwitness-audit-receipt/1'),
  path: z.string(),
  fileSha256: Sha256,
  bytes: z.number().int(),
  entries: z.number().int(),
  headSeq: z.number().int(),
  headHash: Sha256,
  generatedUs: Micros,
});
export type ExportReceipt = z.infer<typeof ExportReceipt>;

export const HistoryEvent = z.object({
  seq: z.number().int().nullable(),
  atUs: Micros,
  actor: z.string(),
  action: z.string(),
  kind: z.enum([
    'imported',
    'solution',
    'decision',
    'decision_revised',
    'decision_undone',
    'qa_sampled',
    'qa_reviewed',
    'qa_adjudicated',
    'qa_seal_opened',
    'published',
    'publish_update',
    'delivery',
    'report',
    'other',
  ]),
  summary: z.string(),
  decisionId: z.number().int().nullable(),
  version: z.number().int().nullable(),
  data: z.unknown(),
});
export const IncidentHistory = z.object({
  alertId: Id,
  events: z.array(HistoryEvent),
  decisions: z.array(Decision),
  unrecorded: z.array(z.string()),
  headSeq: z.number().int(),
});

export const AuditSettings = z.object({
  sampleShare: z.number().min(0).max(1),
  timeBudgetS: z.number().positive(),
  samplingKeyId: z.string().nullable(),
});

export const QaReview = z.object({
  id: Id,
  alertId: Id,
  reviewer: z.string(),
  class: z.enum(DECISION_CLASSES),
  rounds: z.number().int().nullable(),
  flags: DecisionFlags,
  notes: z.string(),
  reviewMs: z.number().int(),
  reviewedUs: Micros,
  comparedDecisionId: Id,
  agrees: z.boolean(),
});
export const QaAdjudication = z.object({
  id: Id,
  alertId: Id,
  qaReviewId: Id,
  auditor: z.string(),
  class: z.enum(DECISION_CLASSES),
  rounds: z.number().int().nullable(),
  notes: z.string(),
  verdict: z.enum(['first', 'second', 'neither']),
  adjudicatedUs: Micros,
});
export const QaState = z.enum(['not_selected', 'open', 'agreed', 'disputed', 'adjudicated', 'cancelled']);
export const QaSample = z.object({
  alertId: Id,
  draw: z.number(),
  share: z.number(),
  keyId: z.string(),
  selected: z.boolean(),
  decisionId: Id,
  sampledUs: Micros,
  state: QaState,
  closedUs: Micros.nullable(),
});
export const QaCase = z.object({
  sample: QaSample,
  firstDecision: Decision.nullable(),
  review: QaReview.nullable(),
  adjudication: QaAdjudication.nullable(),
});
export const QaTask = z.object({
  alertId: Id,
  source: z.string(),
  externalId: z.string(),
  detectedUs: Micros,
  sampledUs: Micros,
  sensorCount: z.number().int(),
});
/** An alert for a blind review: no decision of any person, no reviewer pulses or re-locations. */
export const BlindAlert = AlertDetail.omit({ decision: true, decisions: true });

export const QaReviewInput = z.object({
  alertId: Id,
  class: z.enum(DECISION_CLASSES),
  rounds: z.number().int().min(0).max(1000).nullable().default(null),
  flags: DecisionFlags.default({ fullyAutomatic: false, multipleShooters: false }),
  notes: z.string().max(4000).default(''),
  reviewMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600 * 1000),
});

export const Agreement = z.object({
  n: z.number().int(),
  observed: z.number().nullable().describe('share of pairs that agree (po)'),
  expected: z.number().nullable().describe('agreement expected by chance from the marginals (pe)'),
  kappa: z.number().nullable().describe("Cohen's kappa, (po - pe) / (1 - pe); null when undefined (no pairs, or pe = 1)"),
  se: z.number().nullable().describe('approximate standard error of kappa'),
});
export type Agreement = z.infer<typeof Agreement>;
export const ConfusionMatrix = z.object({
  rows: z.string().describe('who the rows are'),
  cols: z.string(),
  labels: z.array(z.string()),
  counts: z.array(z.array(z.number().int())),
});
export type ConfusionMatrix = z.infer<typeof ConfusionMatrix>;
export const TimeDistribution = z.object({
  n: z.number().int(),
  meanS: z.number().nullable(),
  p50S: z.number().nullable(),
  p90S: z.number().nullable(),
  p95S: z.number().nullable(),
  maxS: z.number().nullable(),
  bins: z.array(z.object({ fromS: z.number(), toS: z.number().nullable(), count: z.number().int() })),
});
export type TimeDistribution = z.infer<typeof TimeDistribution>;
export const BudgetShare = z.object({ within: z.number().int(), of: z.number().int(), share: z.number().nullable() });
export const ChangeAfterPublish = z.object({
  alertId: Id,
  atUs: Micros,
  actor: z.string(),
  kind: z.enum(['revised', 'undone']),
  publishedUs: Micros,
  fromClass: z.enum(DECISION_CLASSES).nullable(),
  toClass: z.enum(DECISION_CLASSES).nullable(),
});
export const ReviewerStats = z.object({
  reviewer: z.string(),
  decisions: z.number().int(),
  reviewTime: TimeDistribution,
  withinBudget: BudgetShare,
  machine: Agreement,
  machineConfusion: ConfusionMatrix,
  qaClass: Agreement,
  qaVerdict: Agreement,
  qaPairs: z.number().int(),
  changesAfterPublish: z.number().int(),
});
export type ReviewerStats = z.infer<typeof ReviewerStats>;
export const AuditStats = z.object({
  fromUs: Micros,
  toUs: Micros,
  timeBudgetS: z.number(),
  alerts: z.number().int(),
  /** Alerts with a standing decision. Every review either stands on one of them or was undone: overall.decisions = decided + undoneReviews. */
  decided: z.number().int(),
  /** Reviews later undone (the alert went back to the queue). */
  undoneReviews: z.number().int(),
  /** Alerts of the period nobody has decided (yet, or any more). */
  undecided: z.number().int(),
  overall: ReviewerStats,
  reviewers: z.array(ReviewerStats),
  qa: z.object({
    sampled: z.number().int(),
    selected: z.number().int(),
    open: z.number().int(),
    pairs: z.number().int(),
    disputed: z.number().int(),
    adjudicated: z.number().int(),
    verdicts: z.object({ first: z.number().int(), second: z.number().int(), neither: z.number().int() }),
    classAgreement: Agreement,
    verdictAgreement: Agreement,
    classConfusion: ConfusionMatrix,
    verdictConfusion: ConfusionMatrix,
  }),
  machine: z.object({
    compared: z.number().int(),
    unmapped: z.number().int(),
    unmappedLabels: z.array(z.string()),
    agreement: Agreement,
    confusion: ConfusionMatrix,
  }),
  published: z.object({
    alerts: z.number().int(),
    changedAlerts: z.number().int(),
    changes: z.array(ChangeAfterPublish),
    byActor: z.array(z.object({ actor: z.string(), changes: z.number().int() })),
  }),
});
export type AuditStats = z.infer<typeof AuditStats>;

/** A file the core wrote on its own machine (after a desktop save dialog, or a path typed on the host). */
export const SavedFile = z.object({ path: z.string(), bytes: z.number().int(), sha256: Sha256 });
export type SavedFile = z.infer<typeof SavedFile>;

/** What the Electron shell passes to webContents.printToPDF for a report (A4, backgrounds for the spectrograms). */
export const REPORT_PDF_OPTIONS = { pageSize: 'A4', printBackground: true, landscape: false, margins: { marginType: 'default' } } as const;

const AUDIT_ROLES = ['auditor', 'admin'] as const;
const REVIEW_ROLES = ['reviewer', 'admin'] as const;

export const auditMethods = {
  verifyAudit: defineMethod({
    seal: { overseers: true },
    summary: 'Walk the audit chain, the recorded head, known anchors, every version row against the log and every clip file; report the first mismatch.',
    input: z.object({
      clips: z.boolean().default(true),
      anchors: z
        .array(z.object({ seq: z.number().int().min(1), hash: Sha256 }))
        .max(1000)
        .default([]),
    }),
    output: VerifyReport,
    roles: AUDIT_ROLES,
  }),
  getAuditHead: defineMethod({
    seal: { none: true },
    summary: 'The newest audit entry: its seq and hash are what a receipt or a report quotes.',
    input: z.object({}).default({}),
    output: AuditHead,
  }),
  exportAudit: defineMethod({
    seal: { overseers: true },
    summary:
      'Command line only: write the whole chain to a file on the core machine (JSON Lines or JSON) ending with the head hash; returns the receipt to hand over.',
    input: z.object({ path: z.string().min(1).max(4096), format: z.enum(['jsonl', 'json']).default('jsonl'), overwrite: z.boolean().default(false) }),
    output: ExportReceipt,
    roles: AUDIT_ROLES,
    local: true,
    seatVariant: 'exportAuditFile',
  }),
  exportAuditFile: defineMethod({
    seal: { overseers: true },
    summary:
      'The whole chain (JSON Lines or JSON) ending with the head hash, as a download of this seat or into the file a desktop save grant (purpose audit-chain) names; returns the receipt to hand over, `path` being the file name.',
    input: z.object({ format: z.enum(['jsonl', 'json']).default('jsonl'), to: FileTarget }),
    output: z.object({ receipt: ExportReceipt, file: DeliveredFile }),
    roles: AUDIT_ROLES,
  }),
  listAuditLog: defineMethod({
    seal: { overseers: true },
    summary: 'Audit entries after a seq, oldest first; optionally of one entity (alert:12, settings:...).',
    input: z.object({
      afterSeq: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
      entity: z.string().max(200).optional(),
    }),
    output: z.object({ entries: z.array(AuditEntry), head: AuditHead }),
    roles: AUDIT_ROLES,
  }),
  getIncidentHistory: defineMethod({
    seal: { reads: { alertId: 'alert' } },
    summary: 'The timeline of an alert: import with the machine classification, every solution and decision version, undos, QA, publications, deliveries.',
    input: z.object({ alertId: Id }),
    output: IncidentHistory,
  }),
  getAuditReport: defineMethod({
    seal: { reads: { alertId: 'alert' } },
    summary:
      'A self-contained HTML report of one alert for an agency or a court (waveforms, spectrograms, map, pulses, solution, decision history, clip hashes, chain head). The shell prints it to PDF.',
    input: z.object({ alertId: Id }),
    output: z.object({
      alertId: Id,
      html: z.string(),
      fileName: z.string(),
      sha256: Sha256,
      headSeq: z.number().int(),
      headHash: z.string(),
      generatedUs: Micros,
      pdf: z.object({ pageSize: z.literal('A4'), printBackground: z.boolean(), landscape: z.boolean() }),
    }),
    roles: ['reviewer', 'auditor', 'admin'],
  }),
  getAuditSettings: defineMethod({
    seal: { none: true },
    summary: 'The QA sampling share, the decision time budget and the fingerprint of the sampling key.',
    input: z.object({}).default({}),
    output: AuditSettings,
  }),
  setAuditSettings: defineMethod({
    seal: { none: true },
    summary: 'Change the QA sampling share or the time budget, or rotate the sampling key; every change is an audit entry.',
    input: z.object({
      sampleShare: z.number().min(0).max(1).optional(),
      timeBudgetS: z.number().min(1).max(86_400).optional(),
      rotateSamplingKey: z.boolean().default(false),
    }),
    output: AuditSettings,
    roles: AUDIT_ROLES,
  }),
  listQaTasks: defineMethod({
    seal: { qa: true },
    summary: 'Alerts waiting for a blind QA review that this person may give (never their own decisions, never one another reviewer has open).',
    input: z.object({}).default({}),
    output: z.object({ tasks: z.array(QaTask) }),
    roles: REVIEW_ROLES,
  }),
  getBlindAlert: defineMethod({
    seal: { qa: true },
    summary:
      'An alert selected for QA as the blind reviewer sees it: the audio and the machine output, without any decision. Opening it holds the task for this reviewer for 10 minutes (conflict if another holds it).',
    input: z.object({ alertId: Id }),
    output: BlindAlert,
    roles: REVIEW_ROLES,
  }),
  submitQaReview: defineMethod({
    seal: { qa: true },
    summary: 'Record the blind second review; a different class from the standing decision goes to an auditor.',
    input: QaReviewInput,
    output: z.object({ review: QaReview, state: QaState }),
    roles: REVIEW_ROLES,
  }),
  listQaCases: defineMethod({
    seal: { overseers: true },
    summary: 'QA cases with the first decision, the blind review and the adjudication; disputed ones by default.',
    input: z.object({ state: QaState.optional().default('disputed'), limit: z.number().int().min(1).max(1000).default(200) }),
    output: z.object({ cases: z.array(QaCase) }),
    roles: AUDIT_ROLES,
  }),
  adjudicateQa: defineMethod({
    seal: { acts: { alertId: 'alert' } },
    summary: 'An auditor settles a disputed QA case; the first decision, the review and the adjudication all stay on record.',
    input: z.object({
      alertId: Id,
      class: z.enum(DECISION_CLASSES),
      rounds: z.number().int().min(0).max(1000).nullable().default(null),
      notes: z.string().min(1).max(4000),
    }),
    output: z.object({ adjudication: QaAdjudication, standingDiffers: z.boolean() }),
    roles: AUDIT_ROLES,
  }),
  exportAuditStats: defineMethod({
    seal: { overseers: true },
    summary:
      'Command line only: the statistics of getAuditStats as CSV (one figure per row: section, reviewer, metric, row, column, value); with a path, also written there on the core machine.',
    input: z.object({
      fromUs: Micros,
      toUs: Micros,
      timeBudgetS: z.number().min(1).max(86_400).optional(),
      path: z.string().min(1).max(4096).optional(),
      overwrite: z.boolean().default(false),
    }),
    output: z.object({ csv: z.string(), fileName: z.string(), saved: SavedFile.nullable() }),
    roles: AUDIT_ROLES,
    local: true,
    seatVariant: 'exportAuditStatsFile',
  }),
  exportAuditStatsFile: defineMethod({
    seal: { overseers: true },
    summary:
      'The statistics of getAuditStats as a CSV file (one figure per row: section, reviewer, metric, row, column, value): a download of this seat, or into the file a desktop save grant (purpose statistics) names.',
    input: z.object({ fromUs: Micros, toUs: Micros, timeBudgetS: z.number().min(1).max(86_400).optional(), to: FileTarget }),
    output: z.object({ fileName: z.string(), file: DeliveredFile }),
    roles: AUDIT_ROLES,
  }),
  saveAuditReport: defineMethod({
    seal: { reads: { alertId: 'alert' } },
    summary: 'Command line only: writes the per-incident report to a file on the core machine, as HTML (or PDF where the desktop shell prints).',
    input: z.object({ alertId: Id, path: z.string().min(1).max(4096), format: z.enum(['html', 'pdf']).default('html'), overwrite: z.boolean().default(false) }),
    output: SavedFile.extend({ alertId: Id, format: z.enum(['html', 'pdf']), reportSha256: Sha256, headSeq: z.number().int(), headHash: z.string() }),
    roles: ['reviewer', 'auditor', 'admin'],
    local: true,
    seatVariant: 'saveAuditReportFile',
  }),
  saveAuditReportFile: defineMethod({
    seal: { reads: { alertId: 'alert' } },
    summary:
      'The per-incident report as a file: HTML as a download of this seat or into a desktop save grant (purpose report); PDF only into a save grant, printed by the desktop shell (unavailable on the loopback host). The generation is recorded with its hash.',
    input: z.object({ alertId: Id, format: z.enum(['html', 'pdf']).default('html'), to: FileTarget }),
    output: z.object({
      alertId: Id,
      format: z.enum(['html', 'pdf']),
      reportSha256: Sha256,
      headSeq: z.number().int(),
      headHash: z.string(),
      file: DeliveredFile,
    }),
    roles: ['reviewer', 'auditor', 'admin'],
  }),
  getAuditStats: defineMethod({
    seal: { overseers: true },
    summary:
      'Agreement (kappa), confusion matrices, review times, the time-budget share and changes after publishing, per reviewer and overall, for alerts detected in [fromUs, toUs).',
    input: z.object({ fromUs: Micros, toUs: Micros, timeBudgetS: z.number().min(1).max(86_400).optional() }),
    output: AuditStats,
    roles: AUDIT_ROLES,
  }),
};
