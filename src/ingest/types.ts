import type { Position } from '../contract/index.ts';
import type { InsideFile } from './safe-path.ts';

/**
 * Where a sensor's clip is: a file checked to be inside the input folder (read once, by the
 * prepare step, and copied into the clip store by the commit step), or bytes already in
 * memory (the demo network). Readers never hold an alert's audio: reading alert.json and
 * checking every file costs the same whatever the clips weigh.
 */
export type ClipSource = ({ kind: 'file' } & InsideFile) | { kind: 'bytes'; bytes: Uint8Array };

/** One sensor of an alert as a reader found it, before any audio processing. */
export interface IncomingSensor {
  sensorId: string;
  position: Position;
  clip: ClipSource;
  /** Where it came from, for messages. */
  clipName: string;
  channel: number;
  clipStartUs: number;
  clipStartIso: string;
  fullScaleDbSpl: number | null;
}

/** An alert in any input format (bundle, smj sensor WAVs, research layout), normalised. Plain data: it crosses to a worker thread. */
export interface IncomingAlert {
  format: string;
  source: string;
  externalId: string;
  detectedUs: number;
  coordinates: 'wgs84' | 'local';
  machine: { label: string; confidence: number | null; rounds: number | null } | null;
  weather: { temperatureC: number | null; relativeHumidity: number | null; windSpeedMs: number | null; windFromDeg: number | null } | null;
  sensors: IncomingSensor[];
}

/** What a reader needs besides the folder: the core's clock, to refuse times from the future. */
export interface ReadOptions {
  nowUs: number;
}

/** A reader for one input kind: `detect` is cheap and never throws; `read` validates strictly and reads no audio it can avoid. */
export interface AlertReader {
  kind: string;
  detect(dir: string): boolean;
  read(dir: string, o: ReadOptions): IncomingAlert;
}
