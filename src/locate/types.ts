import type { PulsePick } from '../audio/pulses/pick.ts';
/** What the locator takes and gives, in the alert's local metric frame (east, north, up). */

export interface SensorAudio {
  sensorId: string;
  local: { x: number; y: number; z: number | null };
  /** UTC of the first sample, integer microseconds. */
  clipStartUs: number;
  sampleRate: number;
  /** The channel this sensor uses, as floats in [-1, 1). */
  samples: Float32Array;
  /** dB SPL of digital full scale, when the sensor is calibrated. */
  fullScaleDbSpl: number | null;
}

/** What the locator needs of a sensor besides its picks: where it is and when its clip starts. */
export type SensorPlace = Omit<SensorAudio, 'samples' | 'sampleRate'>;

/** A sensor once its audio is picked: what locating needs, without the samples (an importer lets each clip go once picked). */
export interface SensorPicks extends SensorPlace {
  durationS: number;
  picks: PulsePick[];
  /**
   * The sensor's samples again, for the second look at rounds a burst's reverberation hid
   * (lost-rounds.ts), asked for only when a located round calls for it: an importer that let
   * each clip go reads it once more then. Absent: no second look on this alert.
   */
  audio?: () => { samples: Float32Array; sampleRate: number };
}

export interface LocateOptions {
  /** Air temperature from the alert's weather, if it has one. */
  temperatureC: number | null;
  /** Used when the alert has no temperature; the output says which was used. */
  defaultTemperatureC: number;
  /** '2d' (default): horizontal distances. '2.5d': 3-D distances to a source at street level (see model.ts). */
  mode?: '2d' | '2.5d';
  /**
   * The network's other sensors known to be alive (where the workstation has seen them report
   * lately), in the alert's local frame. Those among the alert's sensors are ignored. A source
   * far nearer one of them than to the sensors that heard it, and loud enough that it would
   * have been heard there, is unlikely: it rules out one of a three-sensor fix's two solutions.
   */
  knownSensors?: readonly KnownSensor[];
}

/** A sensor of the source's network, where it stands in the alert's local frame. */
export interface KnownSensor {
  sensorId: string;
  local: { x: number; y: number };
}

export interface PickedPulse {
  sensorId: string;
  /** Seconds from the clip's first sample, sub-sample precise. */
  offsetS: number;
  snrDb: number | null;
  peakDbfs: number | null;
  peakDbSpl: number | null;
  /** 1-based shot this pulse was associated with, or null (echo, noise, unassociated). */
  shotIndex: number | null;
  /** The pulse hit full scale: its level is a lower bound. */
  clipped?: boolean;
  /**
   * Present where the pulse is a supersonic bullet's crack, not a source's sound: the 1-based
   * shot whose bullet made it (null when that shot is not among those located).
   */
  crackOf?: number | null;
  /** Present where the pulse belongs to a candidate rejected as an echo: the 1-based shot it echoes. */
  echoOf?: number;
  /** Present where the pulse is a shot's late arrival on a sensor left out of its fix (LocatedShot.nlos): that 1-based shot. */
  lateFor?: number;
}

/** What the locator set aside, with why: an echo of a located shot, or rounds it could not place. */
export type RejectedCandidate = EchoCandidate | OnLineCandidate;

/**
 * A set of picks across sensors that fitted a source of its own but was found to be something
 * else, kept so a reviewer sees what was set aside and why (not a round, not located as one).
 */
export interface EchoCandidate {
  /** echo: the sound of a located shot reflected off a building (its image source, or echoes strung together). */
  kind: 'echo';
  /** 1-based shot it echoes. */
  of: number;
  /** Where its picks alone put a source, and when it would have fired (integer microseconds UTC). */
  local: { x: number; y: number };
  timeUs: number;
  /** Where the image hypothesis puts the image source (the shot mirrored in the wall), when it holds. */
  image: { x: number; y: number } | null;
  /**
   * Its picks: sensor and seconds from that sensor's clip start; arrivalOf where the pick is a
   * located shot's own arrival on a sensor its fix left out (not an echo at all).
   */
  picks: { sensorId: string; offsetS: number; arrivalOf?: number }[];
  /** Sensors that heard the shot and would have heard a source there, and picked nothing. */
  unheard: string[];
  /** One line for the reviewer. */
  reason: string;
}

/**
 * Rounds heard on three sensors or more whose times fit no point, only a line (bearing-only.ts):
 * rounds of the alert, not located. The line runs from sensor `through` on past sensor `from`,
 * and the source lies near it, beyond `from`; `local` is where on it the other sensors' times
 * put the first round, a guide for the eye, not a fix.
 */
export interface OnLineCandidate {
  kind: 'on-line';
  from: string;
  through: string;
  local: { x: number; y: number };
  /** The stretch of the line drawn for the reviewer: from `from` out past `local`. */
  line: { from: { x: number; y: number }; to: { x: number; y: number } };
  rounds: number;
  /** When the first round would have been fired from `local` (integer microseconds UTC). */
  timeUs: number;
  /** Every round's picks: sensor, seconds from that sensor's clip start, and the 1-based round. */
  picks: { sensorId: string; offsetS: number; round: number }[];
  reason: string;
}

/** A supersonic bullet's crack, heard before its shot's blast by the sensors inside the Mach cone. */
export interface BulletCrack {
  /** 1-based shot whose bullet it was, or null when its blast is not among the shots located. */
  shotIndex: number | null;
  sensors: string[];
  /** Direction of flight (taken level), degrees clockwise from north in the local frame. */
  azimuthDeg: number;
  /** The bullet's speed where the crack was shed, m/s: c / sin(Mach angle). */
  bulletSpeedMs: number;
}

export interface LocatedShot {
  index: number;
  /** Emission time, integer microseconds UTC. */
  timeUs: number;
  local: { x: number; y: number };
  ellipse95: { semiMajorM: number; semiMinorM: number; azimuthDeg: number } | null;
  gdop: number | null;
  sensorsUsed: string[];
  residualRmsMs: number | null;
  residualsMs: Record<string, number>;
  /**
   * Present where three sensors leave two solutions and nothing in the alert rules either out:
   * the other one, with its own ellipse. The shot's position is the likelier of the two, and its
   * ellipse95 covers both.
   */
  alternative?: { local: { x: number; y: number }; timeUs: number; ellipse95: { semiMajorM: number; semiMinorM: number; azimuthDeg: number } | null };
  /**
   * Present where three sensors left two solutions and one was ruled out: the one set aside,
   * and why (e.g. "sensor S7, 40 m away, heard nothing"), so a reviewer can see what was excluded.
   */
  setAside?: { local: { x: number; y: number }; reason: string };
  /**
   * Sensors left out of the fix whose first pick after the arrival it predicts came late, by
   * more than the fix allows and no more than a building's detour: heard round a building
   * (non-line-of-sight), or placed metres off by its GPS fix.
   */
  nlos?: { sensorId: string; lateMs: number }[];
}

/** A shot fitted from given picks alone, as a re-location gives it: no second solution, no late sensors. */
export type PlainShot = Omit<LocatedShot, 'alternative' | 'setAside' | 'nlos'>;

export interface LocateOutput {
  temperatureC: number;
  temperatureSource: 'weather' | 'default';
  speedOfSoundMs: number;
  /** Distinct shots the audio holds, located or not (an on-line candidate's rounds are not located). */
  rounds: number;
  shots: LocatedShot[];
  pulses: PickedPulse[];
  /** Cracks of supersonic bullets: evidence of rifle fire, neither rounds nor located as sources. */
  cracks?: BulletCrack[];
  /** Candidates set aside, with why: echoes of located shots, rounds whose times fit only a line. */
  rejected?: RejectedCandidate[];
}

/** c = 20.03 * sqrt(T + 273.15) m/s. */
export const speedOfSound = (temperatureC: number): number => 20.03 * Math.sqrt(temperatureC + 273.15);
