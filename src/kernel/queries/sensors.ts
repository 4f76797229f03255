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
}
