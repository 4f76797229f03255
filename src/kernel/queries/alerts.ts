import type { AlertDetail, AlertSummary, Position, Pulse, Solution } from '../../contract/index.ts';

/** A solution as the locator produces it, before it becomes a stored version. */
export type SolutionBody = Omit<Solution, 'id' | 'version' | 'origin' | 'createdBy' | 'createdUs'>;

export interface NewClip {
  sha256: string;
  bytes: number;
  format: string;
  sampleRate: number;
  channels: number;
  frames: number;
}

export interface NewSensor {
  sensorId: string;
  position: Position;
  local: { x: number; y: number; z: number | null };
  clip: NewClip;
  channel: number;
  clipStartUs: number;
  clipStartIso: string;
  fullScaleDbSpl: number | null;
  peaksPerSecond: number;
  /** Interleaved max/min pairs. */
  peaks: Float32Array;
}

export type NewPulse = Omit<Pulse, 'id'>;

export interface NewAlert {
  source: string;
  externalId: string;
  format: string;
  detectedUs: number;
  importedUs: number;
  coordinates: 'wgs84' | 'local';
  localOrigin: { lat: number; lon: number } | null;
  machine: AlertSummary['machine'];
  weather: AlertDetail['weather'];
  sensors: NewSensor[];
  pulses: NewPulse[];
}

export interface TrackPeaksRecord {
  sensorId: string;
  peaksPerSecond: number;
  peaks: Float32Array;
}

/** Alerts with their sensors, clips, machine pulses and solution versions. */
export interface AlertQueries {
  findByKey(source: string, externalId: string): Promise<number | undefined>;
  clipKnown(sha256: string): Promise<boolean>;
  /**
   * Locks the alert's row until the transaction ends (PostgreSQL: SELECT ... FOR UPDATE; SQLite's
   * write transaction holds the whole file already). Take it before reading state a change depends
   * on (its status, its newest version). False when there is no such alert.
   */
  lock(id: number): Promise<boolean>;
  /** Inserts an alert with its sensors, clips and machine pulses. Returns its id. */
  insert(a: NewAlert): Promise<number>;
  insertPulse(alertId: number, p: NewPulse): Promise<number>;
  /** Adds a new solution version (the alert is locked first); earlier versions are never touched. */
  addSolution(alertId: number, origin: 'machine' | 'reviewer', createdBy: string, createdUs: number, body: SolutionBody): Promise<Solution>;
  summary(id: number): Promise<AlertSummary | undefined>;
  list(status: 'pending' | 'decided' | 'all', limit: number): Promise<AlertSummary[]>;
  detail(id: number): Promise<AlertDetail | undefined>;
  peaks(id: number): Promise<TrackPeaksRecord[]>;
}
