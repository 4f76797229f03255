import type { Position } from '../contract/index.ts';

/** One sensor of an alert as a reader found it, before any audio processing. */
export interface IncomingSensor {
  sensorId: string;
  position: Position;
  /** The whole WAV file, as read from disk. */
  clipBytes: Buffer;
  /** Where it came from, for messages. */
  clipName: string;
  channel: number;
  clipStartUs: number;
  clipStartIso: string;
  fullScaleDbSpl: number | null;
}

/** An alert in any input format (bundle, smj sensor WAVs, research layout), normalised. */
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

/** A reader for one input kind: `detect` is cheap and never throws; `read` validates strictly. */
export interface AlertReader {
  kind: string;
  detect(dir: string): boolean;
  read(dir: string): IncomingAlert;
}
