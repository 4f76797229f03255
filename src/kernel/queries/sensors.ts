export interface NetworkSensor {
  source: string;
  sensorId: string;
  lat: number;
  lon: number;
  /** How many alerts this sensor took part in. */
  alerts: number;
}

/**
 * The sensors of the networks as the alerts tell them: there is no sensor registry, so each
 * sensor (per source) stands where its newest WGS84 alert put it.
 */
export interface SensorQueries {
  network(limit: number): Promise<NetworkSensor[]>;
  /**
   * The sensors of one source that took part in an alert detected between fromUs and toUs
   * (inclusive), each where its newest WGS84 alert of that span put it, by sensor id: the
   * sensors known to be alive then.
   */
  reportedBetween(source: string, fromUs: number, toUs: number, limit: number): Promise<NetworkSensor[]>;
}
