import type { Pulse } from '../../contract/index.ts';
import type { SolutionBody } from './alerts.ts';

/** What re-solving a shot needs to know of one sensor: where it is and what its clip spans. */
export interface RelocationSensor {
  sensorId: string;
  local: { x: number; y: number; z: number | null };
  clipStartUs: number;
  durationS: number;
  sampleRate: number;
}

/** The alert as a re-location sees it: its frame, state and sensors. */
export interface RelocationAlert {
  status: 'pending' | 'decided';
  coordinates: 'wgs84' | 'local';
  localOrigin: { lat: number; lon: number } | null;
  weatherTemperatureC: number | null;
  sensors: RelocationSensor[];
}

export interface StoredSolution {
  id: number;
  version: number;
  origin: 'machine' | 'reviewer';
  body: SolutionBody;
}

export interface NewReviewerPick {
  sensorId: string;
  offsetS: number;
  timeUs: number;
  shotIndex: number;
  snrDb: number | null;
  peakDbfs: number | null;
  peakDbSpl: number | null;
}

/** Reads and writes of a reviewer's re-location: picks that belong to a solution version. */
export interface RelocationQueries {
  alert(alertId: number): Promise<RelocationAlert | undefined>;
  /** The newest solution version, whoever made it: the one a re-location starts from. */
  newestSolution(alertId: number): Promise<StoredSolution | null>;
  newestMachineSolution(alertId: number): Promise<StoredSolution | null>;
  machinePulses(alertId: number): Promise<Pulse[]>;
  /** The reviewer's picks a solution version was solved from. */
  picksOf(solutionId: number): Promise<Pulse[]>;
  /** Every reviewer pick with the version it belongs to, and any whose version is gone: for audit verify. */
  allReviewerPicks(): Promise<(Pulse & { alertId: number; version: number | null })[]>;
  insertPick(alertId: number, solutionId: number, p: NewReviewerPick): Promise<number>;
}
