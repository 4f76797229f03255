import { deflateSync } from 'node:zlib';
import { encodeWav } from '../../src/audio/wav.ts';

/** An smj0 document like the vendor's (standards/smj0.schema.json example), with overrides. */
export function smjDoc(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    serialNumber: 'SCP-00-BNG-8319',
    startTimeUTC: '2021-09-29T15:37:47.000Z',
    duration: 0.5,
    utcOffset: -14400.0,
    spoolFormat: 10,
    recordStatus: -1,
    friendlyName: 'SCP-00-BNG-8319',
    friendlyNumber: -1,
    sensorType: 'Scepter2',
    firmwareVersion: 'ECO1774rc24-9.1.0.77147-0p5',
    geolocation: { latitude: 41.290138, longitude: -82.226468, elevation: 257.88016086756 },
    zone: {
      name: 'OberlinOH',
      zoneId: 404,
      host: 'SSI-EASTERN-DEV',
      instanceId: 40,
      instanceVersion: '9.8.12.77116',
      displayName: 'OberlinOH',
      localTzid: 'America/New_York',
    },
    weather: {
      medium: 'air',
      temperature: 18.3,
      relativeHumidity: 58.68,
      salinity: 0.0,
      speed: 0.0,
      direction: 0.0,
      precipitation: 'clear',
      observationTime: '2021-09-29T14:51:00.000Z',
      observationDetails: { provider: 'METAR station', station: 'KCLE' },
    },
    transducers: [{ name: 'Microphone (SCP Standard)', channel: 0, fullScale: 93.09, noise: 0.0, active: true }],
    ...over,
  };
}

export const smjBody = (doc: unknown): Buffer => deflateSync(Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc), 'utf8'));

/** A sensor WAV (mono 16-bit) carrying the given smj chunks after its data, as the sensors write them. */
export function smjWav(samples: Float32Array, sampleRate: number, chunks: { id?: string; body: Uint8Array }[]): Buffer {
  return encodeWav([samples], { format: 'pcm16', sampleRate, extraChunks: chunks.map((c) => ({ id: c.id ?? 'smj0', body: c.body })) });
}
