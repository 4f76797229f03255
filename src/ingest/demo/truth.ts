import type { DecisionClass } from '../../contract/taxonomy.ts';
import type { MachineCall } from './classify.ts';
import type { EmissionKind, ScenarioKind } from './scenarios.ts';

/**
 * The ground-truth file `earwitness demo` writes beside its bundles (ground-truth.json):
 * what really happened, for evaluating the locator and the classifier. Documented in
 * docs/DEMO.md; the shape is versioned by `format`.
 */

export const TRUTH_FORMAT = 'earwitness-demo-truth/1';

export interface TruthFile {
  format: typeof TRUTH_FORMAT;
  seed: string;
  network: { name: string; source: string; frameOrigin: { lat: number; lon: number } };
  alerts: TruthAlert[];
}

export interface TruthSource {
  /** 1-based, in time order; arrivals name their source by it. */
  index: number;
  kind: EmissionKind;
  /** True for what counts as a round: a shot, a fireworks burst, a bang; false for crackle pops and launch thumps. */
  round: boolean;
  /** Emission time, integer microseconds UTC, and the same as ISO 8601. */
  timeUs: number;
  time: string;
  position: { lat: number; lon: number; elevationM: number };
  /** The same point in the network's east-north-up frame (metres from frameOrigin, up from the ellipsoid). */
  local: { x: number; y: number; z: number };
  heightAboveGroundM: number;
  levelDbSpl1m: number;
  /** A supersonic bullet: sensors in its Mach cone hear a crack before the muzzle blast. */
  supersonic: boolean;
}

export interface TruthArrival {
  source: number;
  /**
   * direct: the muzzle blast (or bang) along the straight path; diffracted: the same where a
   * building blocks the straight path (it comes round the building, later); crack: the
   * bullet's shock wave.
   */
  path: 'direct' | 'diffracted' | 'crack';
  /** Integer microseconds UTC. */
  timeUs: number;
  /** Seconds from the clip's first sample, to the nanosecond. */
  clipOffsetS: number;
  /** Peak level at the sensor, dB SPL (the rise time the air adds already taken off). */
  levelDbSpl: number;
}

export interface TruthSensor {
  id: string;
  clipStartUs: number;
  sampleRate: number;
  encoding: string;
  /** Straight-line distance to the first round's source. */
  distanceM: number;
  /** Strongest arrival of any path, dB SPL. */
  peakDbSpl: number;
  /** Where the bundle's position of the sensor (a GPS fix) is off its true one, metres east, north, up; absent: true position. */
  gpsErrorM?: { x: number; y: number; z: number };
  /** Direct (or diffracted) and crack arrivals of every round (echoes and crackle pops are not listed). */
  arrivals: TruthArrival[];
}

export interface TruthAlert {
  id: string;
  /** Folder of the bundle, relative to the ground-truth file. */
  bundle: string;
  scenario: ScenarioKind;
  class: DecisionClass;
  gunfire: boolean;
  fullyAutomatic: boolean;
  weapon: string | null;
  rounds: number;
  detectedAt: string;
  weather: { temperatureC: number; reportedTemperatureC: number; relativeHumidity: number; windSpeedMs: number; windFromDeg: number };
  /** From the true temperature: c = 20.03 sqrt(T + 273.15). */
  speedOfSoundMs: number;
  sources: TruthSource[];
  /** The sensors whose clips are in the bundle. */
  sensors: TruthSensor[];
  /** Sensors that did not report: too far, shielded, or beyond the bundle's sensor limit. */
  silentSensors: { id: string; distanceM: number; peakDbSpl: number }[];
  machine: MachineCall;
}
