import { z } from 'zod';
import { defineEvent, defineMethod } from './define.ts';
import { Id, Micros, Sha256 } from './common.ts';
import { DeliveredFile, FileTarget } from './files.ts';
import { GEOJSON_MAX_BYTES } from './publish.ts';

/**
 * What came of a published incident, as the responding agency tells it (through its CAD's signed
 * callback or an officer's one-use link), and the programme's figures and transparency report
 * built on those outcomes. See docs/outcomes/README.md.
 */

/** What responders found; several may apply. `nothing_found` and `unfounded` stand alone. */
export const OUTCOME_FINDINGS = ['nothing_found', 'shell_casings', 'victim', 'property_struck', 'arrest', 'firearm_recovered', 'unfounded'] as const;
export type OutcomeFinding = (typeof OUTCOME_FINDINGS)[number];
export const OutcomeFinding = z.enum(OUTCOME_FINDINGS);

export const FINDING_LABELS: Record<OutcomeFinding, string> = {
  nothing_found: 'No one and nothing found',
  shell_casings: 'Shell casings',
  victim: 'A victim',
  property_struck: 'A vehicle or building struck',
  arrest: 'An arrest',
  firearm_recovered: 'A firearm recovered',
  unfounded: 'Unfounded (not gunfire)',
};

/** Physical evidence that shots were fired: what the Chicago OIG counted as "evidence of a gun-related offence". */
export const EVIDENCE_FINDINGS: readonly OutcomeFinding[] = ['shell_casings', 'victim', 'property_struck', 'firearm_recovered'];
/** Findings that exclude every other one. */
export const EXCLUSIVE_FINDINGS: readonly OutcomeFinding[] = ['nothing_found', 'unfounded'];

export const OutcomeChannel = z.enum(['callback', 'link', 'demo']);

/** One version of what an agency reported on an incident; a later report adds a version, never replaces one. */
export const OutcomeVersion = z.object({
  id: Id,
  incidentId: Id,
  alertId: Id,
  agency: z.object({ id: Id, name: z.string() }),
  /** 1 for the agency's first report on the incident, then 2, 3 ... */
  version: z.number().int().min(1),
  findings: z.array(OutcomeFinding).min(1),
  arrests: z.number().int().min(0),
  firearms: z.number().int().min(0),
  notes: z.string(),
  /** The reporting unit (call sign, badge or car number) as the agency gave it. */
  unit: z.string(),
  /** The agency's own reference (CAD event number), when given. */
  reference: z.string().nullable(),
  channel: OutcomeChannel,
  /** When the agency says it found this (or when it arrived, if it did not say). */
  reportedUs: Micros,
  receivedUs: Micros,
});
export type OutcomeVersion = z.infer<typeof OutcomeVersion>;

export const OutcomeKey = z.object({
  keyId: z.string(),
  agency: z.object({ id: Id, name: z.string() }),
  createdUs: Micros,
  createdBy: z.string(),
  retiredUs: Micros.nullable(),
});

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/** Whole days in the programme's time zone, both included. */
export const ProgrammePeriod = z.object({ fromDay: Day, toDay: Day });
export type ProgrammePeriod = z.infer<typeof ProgrammePeriod>;

/** The whole network, an agency's jurisdiction, or a polygon drawn on the map (GeoJSON text, WGS84). */
export const ProgrammeArea = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('network') }),
  z.object({ kind: z.literal('agency'), agencyId: Id }),
  z.object({
    kind: z.literal('polygon'),
    geojson: z.string().max(GEOJSON_MAX_BYTES, `a polygon may hold at most ${GEOJSON_MAX_BYTES} bytes`),
    name: z.string().trim().min(1).max(120).default('a drawn area'),
  }),
]);
export type ProgrammeArea = z.infer<typeof ProgrammeArea>;

export const ProgrammeQuery = z.object({ period: ProgrammePeriod, area: ProgrammeArea.default({ kind: 'network' }) });

/** How long something took, in seconds: percentiles and a histogram. */
export const Latency = z.object({
  n: z.number().int(),
  meanS: z.number().nullable(),
  p50S: z.number().nullable(),
  p90S: z.number().nullable(),
  maxS: z.number().nullable(),
  bins: z.array(z.object({ fromS: z.number(), toS: z.number().nullable(), count: z.number().int() })),
});
export type Latency = z.infer<typeof Latency>;

export const NightRow = z.object({
  /** The evening's date: a night runs from noon to the next noon, local time. */
  night: Day,
  /** The first or last night of the period, of which only part lies inside it. */
  partial: z.boolean(),
  alerts: z.number().int(),
  confirmed: z.number().int(),
  rounds: z.number().int(),
});
export const HourRow = z.object({ hour: z.number().int().min(0).max(23), alerts: z.number().int(), confirmed: z.number().int(), rounds: z.number().int() });

export const GridCell = z.object({
  /** `row_col` of the fixed global grid (see docs/outcomes/README.md): the same cell in every report of this cell size. */
  id: z.string(),
  south: z.number(),
  west: z.number(),
  north: z.number(),
  east: z.number(),
  confirmed: z.number().int(),
});
export type GridCell = z.infer<typeof GridCell>;

export const OutcomeFigures = z.object({
  /** Confirmed incidents that went to at least one agency: the ones an outcome can come back for. */
  sentToAgency: z.number().int(),
  /** Confirmed incidents never sent (outside every jurisdiction, held, or not yet routed). */
  notSent: z.number().int(),
  /** Of those sent, how many have an outcome from some agency, and how many have none. */
  reported: z.number().int(),
  missing: z.number().int(),
  missingShare: z.number().nullable(),
  /** Incidents (among those reported) with each finding. */
  byFinding: z.array(z.object({ finding: OutcomeFinding, incidents: z.number().int() })),
  evidence: z.number().int(),
  evidenceShareOfReported: z.number().nullable(),
  /** Evidence over every incident sent, counting the missing as none: the lower bound. */
  evidenceShareOfSent: z.number().nullable(),
  incidentsWithArrest: z.number().int(),
  arrests: z.number().int(),
  incidentsWithFirearm: z.number().int(),
  firearms: z.number().int(),
  /** Incidents whose standing report is a later version (a correction or a late finding). */
  revised: z.number().int(),
});

export const ProgrammeCost = z.object({
  yearly: z.number(),
  currency: z.string(),
  /** The yearly cost prorated to the period's days. */
  period: z.number(),
  perConfirmed: z.number().nullable(),
  perEvidence: z.number().nullable(),
  perArrest: z.number().nullable(),
  perFirearm: z.number().nullable(),
});

export const ProgrammeFigures = z.object({
  period: ProgrammePeriod.extend({ fromUs: Micros, toUs: Micros, timeZone: z.string(), days: z.number().int() }),
  area: z.object({ kind: z.enum(['network', 'agency', 'polygon']), name: z.string(), agencyId: Id.nullable() }),
  generatedUs: Micros,
  /** Alerts detected in the period and area. */
  alerts: z.number().int(),
  /** Left out, with the reason: research alerts in local metres; alerts with no located position (an area other than the network); decided alerts under blind QA review, whose decision is sealed until that review is in. */
  excluded: z.object({ localFrame: z.number().int(), unplaced: z.number().int(), sealed: z.number().int() }),
  decided: z.number().int(),
  undecided: z.number().int(),
  confirmed: z.number().int(),
  /** Confirmed once, published, then withdrawn (counted apart, not as confirmed). */
  withdrawn: z.number().int(),
  confirmedShare: z.number().nullable(),
  rounds: z.number().int(),
  /** Confirmed incidents with no round count (neither the reviewer's nor the locator's). */
  roundsUnknown: z.number().int(),
  nights: z.array(NightRow),
  hours: z.array(HourRow),
  publication: z.object({
    published: z.number().int(),
    /** Shot (located time of the first shot) to the first message made for agencies. */
    shotToPublished: Latency,
    /** Shot to the first delivery an agency acknowledged. */
    shotToDelivered: Latency,
    noShotTime: z.number().int(),
  }),
  outcomes: OutcomeFigures,
  cost: ProgrammeCost.nullable(),
  grid: z.object({ cellM: z.number(), cells: z.array(GridCell), unplacedConfirmed: z.number().int() }),
});
export type ProgrammeFigures = z.infer<typeof ProgrammeFigures>;

/** The figures as they leave the building: no cell under k, every cell on the fixed grid, the method beside each figure. */
export const TransparencyReport = z.object({
  figures: ProgrammeFigures.omit({ grid: true }),
  map: z.object({
    cellM: z.number(),
    k: z.number().int(),
    cells: z.array(GridCell),
    /** Cells with 1..k-1 confirmed incidents, left off the map, and the incidents in them (counted in every total). */
    suppressedCells: z.number().int(),
    suppressedIncidents: z.number().int(),
    unplacedConfirmed: z.number().int(),
  }),
  methods: z.record(z.string(), z.string()),
  title: z.string(),
});
export type TransparencyReport = z.infer<typeof TransparencyReport>;

export const ProgrammeSettings = z.object({
  /** What the programme costs a year (contract, staff), in `currency`; null when not entered. */
  yearlyCost: z.number().nullable(),
  currency: z.string(),
  /** IANA time zone of the programme's city: nights and hours of day are counted in it. */
  timeZone: z.string(),
  /** Side of a public map cell, metres. */
  cellM: z.number().int(),
  /** Public map cells with fewer confirmed incidents than this are left off. */
  k: z.number().int(),
  /** How long an officer's link stays usable. */
  linkTtlHours: z.number(),
  limits: z.object({ minCellM: z.number().int(), maxCellM: z.number().int(), minK: z.number().int(), maxK: z.number().int(), maxLinkTtlHours: z.number() }),
});
export type ProgrammeSettings = z.infer<typeof ProgrammeSettings>;

export const TRANSPARENCY_FORMATS = ['html', 'pdf', 'csv', 'geojson'] as const;

const OVERSEERS = ['auditor', 'admin'] as const;
const ADMIN = ['admin'] as const;

export const outcomeMethods = {
  listOutcomes: defineMethod({
    seal: { reads: { incidentId: 'incident' } },
    summary: 'Every outcome version agencies reported on an incident, oldest first, and its live officer links.',
    input: z.object({ incidentId: Id }),
    output: z.object({
      outcomes: z.array(OutcomeVersion),
      links: z.array(
        z.object({
          id: Id,
          agency: z.object({ id: Id, name: z.string() }),
          createdUs: Micros,
          createdBy: z.string(),
          expiresUs: Micros,
          usedUs: Micros.nullable(),
        }),
      ),
    }),
  }),
  createOutcomeLink: defineMethod({
    seal: { acts: { incidentId: 'incident' } },
    summary:
      'A one-use link for an officer of an agency that has the incident to report what was found, from a phone, without an account: `/o/<token>` on the host. It expires after the configured hours; a new link for the same incident and agency retires the previous one. The token is shown once (only its hash is stored).',
    input: z.object({ incidentId: Id, agencyId: Id.optional() }),
    output: z.object({ linkId: Id, token: z.string(), path: z.string(), expiresUs: Micros, agency: z.object({ id: Id, name: z.string() }) }),
    roles: ['reviewer', 'admin'],
  }),
  issueOutcomeKey: defineMethod({
    seal: { none: true },
    summary:
      "A new key with which an agency's CAD signs its outcome callbacks (POST /outcomes/v1). The secret is shown once; earlier keys of the agency stay valid until retired, so a CAD can switch over.",
    input: z.object({ agencyId: Id }),
    output: z.object({ keyId: z.string(), secret: z.string(), agency: z.object({ id: Id, name: z.string() }), createdUs: Micros }),
    roles: ADMIN,
  }),
  listOutcomeKeys: defineMethod({
    seal: { none: true },
    summary: 'The outcome keys of every agency (never their secrets), newest first.',
    input: z.object({}).default({}),
    output: z.object({ keys: z.array(OutcomeKey) }),
    roles: ADMIN,
  }),
  retireOutcomeKey: defineMethod({
    seal: { none: true },
    summary: 'Stop accepting callbacks signed with a key.',
    input: z.object({ keyId: z.string().regex(/^ok_[0-9a-f]{16}$/, 'an outcome key id') }),
    output: OutcomeKey,
    roles: ADMIN,
  }),
  getProgrammeSettings: defineMethod({
    seal: { none: true },
    summary: "The programme's yearly cost, time zone, the public map's cell size and k, and how long officer links last.",
    input: z.object({}).default({}),
    output: ProgrammeSettings,
    roles: OVERSEERS,
  }),
  setProgrammeSettings: defineMethod({
    seal: { none: true },
    summary: 'Change the programme settings; each change is an audit entry. Cell size and k cannot go below their safe minimums.',
    input: z.object({
      yearlyCost: z.number().min(0).max(1e12).nullable().optional(),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
        .optional(),
      timeZone: z.string().min(1).max(64).optional(),
      cellM: z.number().int().optional(),
      k: z.number().int().optional(),
      linkTtlHours: z.number().optional(),
    }),
    output: ProgrammeSettings,
    roles: ADMIN,
  }),
  getProgrammeFigures: defineMethod({
    seal: { overseers: true },
    summary:
      'Alerts, confirmed incidents and rounds per night and hour of day, the share confirmed as gunfire, shot to publication, outcomes per confirmed incident, cost per outcome and confirmed incidents on a coarse grid, for a period and an area. Decided alerts under blind QA review are held out and counted.',
    input: ProgrammeQuery,
    output: ProgrammeFigures,
    roles: OVERSEERS,
  }),
  getTransparencyReport: defineMethod({
    seal: { overseers: true },
    summary: 'The public transparency report of a period and area: the figures, the map with cells under k left off, and the method of each figure.',
    input: ProgrammeQuery,
    output: TransparencyReport,
    roles: OVERSEERS,
  }),
  exportTransparencyReportFile: defineMethod({
    seal: { overseers: true },
    summary:
      'The transparency report as a file: self-contained HTML, PDF (desktop app, into a save grant), or open data as CSV or GeoJSON; a download of this seat or into the file a desktop save grant (purpose report, or statistics for CSV and GeoJSON) names. Recorded in the audit log with its hash.',
    input: ProgrammeQuery.extend({ format: z.enum(TRANSPARENCY_FORMATS), to: FileTarget }),
    output: z.object({ format: z.enum(TRANSPARENCY_FORMATS), sha256: Sha256, file: DeliveredFile }),
    roles: OVERSEERS,
  }),
  exportTransparencyReport: defineMethod({
    seal: { overseers: true },
    summary: 'Command line only: the transparency report written to a file on the core machine (HTML, CSV or GeoJSON).',
    input: ProgrammeQuery.extend({ format: z.enum(['html', 'csv', 'geojson']), path: z.string().min(1).max(4096), overwrite: z.boolean().default(false) }),
    output: z.object({ format: z.enum(['html', 'csv', 'geojson']), path: z.string(), bytes: z.number().int(), sha256: Sha256 }),
    roles: OVERSEERS,
    local: true,
    seatVariant: 'exportTransparencyReportFile',
  }),
};

export const outcomeEvents = {
  outcomeReported: defineEvent({
    seal: { about: 'outcome.alertId', outsider: 'drop' },
    summary: 'An agency reported what responders found on an incident (a new outcome version).',
    payload: z.object({ outcome: OutcomeVersion }),
  }),
};
