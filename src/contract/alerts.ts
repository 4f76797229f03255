import { z } from 'zod';
import { defineEvent, defineMethod } from './define.ts';
import { Coordinates, Id, Micros, Position, Sha256 } from './common.ts';
import { DECISION_CLASSES } from './taxonomy.ts';
import { EncodedPeaks } from './peak-codec.ts';

export const AlertStatus = z.enum(['pending', 'decided']);

export const MachineClassification = z.object({
  label: z.string(),
  confidence: z.number().min(0).max(1).nullable(),
  rounds: z.number().int().min(0).nullable(),
});

export const Weather = z.object({
  temperatureC: z.number().nullable(),
  relativeHumidity: z.number().nullable(),
  windSpeedMs: z.number().nullable(),
  windFromDeg: z.number().nullable(),
});

export const Ellipse95 = z.object({ semiMajorM: z.number(), semiMinorM: z.number(), azimuthDeg: z.number() });

export const Shot = z.object({
  index: z.number().int().min(1),
  timeUs: Micros,
  position: Position,
  /** The same point in the alert's local metric frame (east, north), for drawing and distances. */
  local: z.object({ x: z.number(), y: z.number() }),
  ellipse95: Ellipse95.nullable(),
  gdop: z.number().nullable(),
  sensorsUsed: z.array(z.string()),
  residualRmsMs: z.number().nullable(),
  residualsMs: z.record(z.string(), z.number()),
  /**
   * Three sensors left two solutions and nothing in the alert rules either out: the other one.
   * The shot's position is the likelier; its ellipse95 covers both.
   */
  alternative: z.object({ position: Position, local: z.object({ x: z.number(), y: z.number() }), timeUs: Micros, ellipse95: Ellipse95.nullable() }).optional(),
  /** Three sensors left two solutions and one was ruled out: that one, and why (e.g. a known sensor beside it heard nothing). */
  setAside: z.object({ position: Position, local: z.object({ x: z.number(), y: z.number() }), reason: z.string() }).optional(),
  /** Sensors left out of the fix because their sound came late and weak: round a building (non-line-of-sight). */
  nlos: z.array(z.object({ sensorId: z.string(), lateMs: z.number() })).optional(),
});
export type Shot = z.infer<typeof Shot>;

/**
 * A set of picks across sensors that fitted a source of its own but was set aside as the echo
 * of a located shot (its image in a wall, or echoes strung together): kept so the reviewer
 * sees it on the tracks as what it is, not as a second source. Not a round.
 */
export const EchoCandidate = z.object({
  kind: z.literal('echo'),
  /** The shot it echoes (Shot.index). */
  of: z.number().int().min(1),
  /** Where its picks alone put a source, and when it would have fired. */
  position: Position,
  local: z.object({ x: z.number(), y: z.number() }),
  timeUs: Micros,
  /** Its picks; arrivalOf where a pick is a located shot's own arrival on a sensor that shot's fix left out. */
  picks: z.array(z.object({ sensorId: z.string(), timeUs: Micros, arrivalOf: z.number().int().min(1).optional() })),
  reason: z.string(),
});

const Place = z.object({ position: Position, local: z.object({ x: z.number(), y: z.number() }) });

/**
 * Rounds heard on three sensors or more whose times fit no point, only a line: rounds of the
 * alert the locator could not place. The line runs from sensor `through` on past sensor `from`;
 * the source lies near it, beyond `from`. `position` is where on it the other sensors' times put
 * the first round: a guide for the eye, not a fix.
 */
export const OnLineCandidate = z.object({
  kind: z.literal('on-line'),
  from: z.string(),
  through: z.string(),
  position: Position,
  local: z.object({ x: z.number(), y: z.number() }),
  /** The stretch of the line drawn on the map: from `from` out past `position`. */
  line: z.object({ from: Place, to: Place }),
  rounds: z.number().int().min(1),
  timeUs: Micros,
  /** Every round's picks, with the 1-based round each belongs to. */
  picks: z.array(z.object({ sensorId: z.string(), timeUs: Micros, round: z.number().int().min(1) })),
  reason: z.string(),
});

/** What the locator set aside, with why. */
export const RejectedCandidate = z.discriminatedUnion('kind', [EchoCandidate, OnLineCandidate]);
export type RejectedCandidate = z.infer<typeof RejectedCandidate>;

export const Solution = z.object({
  id: Id,
  version: z.number().int().min(1),
  origin: z.enum(['machine', 'reviewer']),
  createdBy: z.string(),
  createdUs: Micros,
  temperatureC: z.number(),
  temperatureSource: z.enum(['weather', 'default', 'reviewer']),
  speedOfSoundMs: z.number(),
  rounds: z.number().int().min(0),
  shots: z.array(Shot),
  /** Candidates the locator set aside (a machine solution's; absent from reviewers' versions). */
  rejected: z.array(RejectedCandidate).optional(),
});
export type Solution = z.infer<typeof Solution>;

export const Pulse = z.object({
  id: Id,
  sensorId: z.string(),
  /** Seconds from the first sample of the clip: sub-sample precise. */
  offsetS: z.number(),
  timeUs: Micros,
  snrDb: z.number().nullable(),
  peakDbfs: z.number().nullable(),
  peakDbSpl: z.number().nullable(),
  shotIndex: z.number().int().nullable(),
  origin: z.enum(['machine', 'reviewer']),
  /** A reviewer's pick belongs to the solution version solved from it; machine picks have none. */
  solutionId: Id.nullable().optional(),
});
export type Pulse = z.infer<typeof Pulse>;

export const ClipInfo = z.object({
  sha256: Sha256,
  bytes: z.number().int(),
  format: z.string().describe('pcm16, pcm24, float32 ...'),
  sampleRate: z.number().int(),
  channels: z.number().int(),
  frames: z.number().int(),
  durationS: z.number(),
});
export type ClipInfo = z.infer<typeof ClipInfo>;

export const Track = z.object({
  sensorId: z.string(),
  position: Position,
  local: z.object({ x: z.number(), y: z.number(), z: z.number().nullable() }),
  participating: z.boolean(),
  clip: ClipInfo,
  channel: z.number().int().min(0),
  clipStartUs: Micros,
  clipStartIso: z.string(),
  fullScaleDbSpl: z.number().nullable(),
});
export type Track = z.infer<typeof Track>;

export const DecisionFlags = z.object({ fullyAutomatic: z.boolean(), multipleShooters: z.boolean() });

export const Decision = z.object({
  id: Id,
  alertId: Id,
  version: z.number().int().min(1),
  class: z.enum(DECISION_CLASSES),
  rounds: z.number().int().min(0).nullable(),
  flags: DecisionFlags,
  notes: z.string(),
  decidedBy: z.string(),
  decidedUs: Micros,
  reviewMs: z.number().int().min(0),
  undoneUs: Micros.nullable(),
});
export type Decision = z.infer<typeof Decision>;

export const AlertSummary = z.object({
  id: Id,
  source: z.string(),
  externalId: z.string(),
  format: z.string(),
  detectedUs: Micros,
  importedUs: Micros,
  sensorCount: z.number().int(),
  machine: MachineClassification.nullable(),
  status: AlertStatus,
  decision: z.object({ class: z.enum(DECISION_CLASSES), decidedBy: z.string(), decidedUs: Micros }).nullable(),
  location: Position.nullable(),
  rounds: z.number().int().nullable(),
});
export type AlertSummary = z.infer<typeof AlertSummary>;

export const AlertDetail = AlertSummary.extend({
  coordinates: Coordinates,
  /** For WGS84 alerts, the origin of the local east-north frame that `local` fields use. */
  localOrigin: z.object({ lat: z.number(), lon: z.number() }).nullable(),
  weather: Weather.nullable(),
  tracks: z.array(Track),
  pulses: z.array(Pulse),
  /** Every version, oldest first: the machine's, then each reviewer's. */
  solutions: z.array(Solution),
  decisions: z.array(Decision),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const TrackPeaks = z.object({
  sensorId: z.string(),
  peaksPerSecond: z.number(),
  /** Interleaved max, min pairs in [-1, 1], one pair per 1/peaksPerSecond seconds, encoded (peak-codec.ts). */
  peaks: EncodedPeaks,
});

export const alertMethods = {
  listAlerts: defineMethod({
    seal: { list: { items: 'alerts', alertAt: 'id', outsider: 'blind' } },
    summary: 'Alerts, newest first; pending ones by default.',
    input: z.object({
      status: z.enum(['pending', 'decided', 'all']).default('pending'),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: z.object({ alerts: z.array(AlertSummary) }),
    passive: true,
  }),
  getAlert: defineMethod({
    seal: { blind: { id: 'alert' } },
    summary: 'One alert with its tracks, pulses, solution versions and decision versions.',
    input: z.object({ id: Id }),
    output: AlertDetail,
    passive: true,
  }),
  getPeaks: defineMethod({
    seal: { none: true },
    summary: 'Waveform peaks of every track of an alert, computed at import, so a waveform is drawn before any audio is decoded.',
    input: z.object({ id: Id }),
    output: z.object({ tracks: z.array(TrackPeaks) }),
    passive: true,
  }),
};

export const alertEvents = {
  alertAdded: defineEvent({
    seal: { about: 'alert.id', outsider: 'blind' },
    summary: 'A new alert was imported.',
    payload: z.object({ alert: AlertSummary }),
  }),
  alertChanged: defineEvent({
    seal: { about: 'alert.id', outsider: 'blind' },
    summary: 'An alert was decided, undone, re-located or otherwise changed.',
    payload: z.object({ alert: AlertSummary }),
  }),
};
