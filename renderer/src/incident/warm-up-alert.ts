import { encodePeaks, type AlertDetail, type EarwitnessClient, type MethodOutput, type Track } from '../../../src/contract/index.ts';

/** Made-up sensors round a made-up source, of an ordinary alert's size: six sensors, four seconds at 48 kHz. */
const SENSORS = 6;
const DURATION_S = 4;
const RATE = 48_000;
const ORIGIN = { lat: 51.5, lon: -0.12 };
const M_PER_DEG = 111_320;

const geo = (x: number, y: number) => ({ lat: ORIGIN.lat + y / M_PER_DEG, lon: ORIGIN.lon + x / (M_PER_DEG * Math.cos((ORIGIN.lat * Math.PI) / 180)) });

/**
 * An alert that exists nowhere, for the incident view drawn once out of sight after sign-in
 * (IncidentWarmUp): every part the first real alert shows (tracks, picks, a located shot with its
 * ellipse, the machine's verdict) so each part's code and styles are met once before it.
 */
export function warmUpAlert(nowUs: number): AlertDetail {
  const startUs = nowUs - 60_000_000;
  const shotUs = startUs + 1_000_000;
  const tracks: Track[] = Array.from({ length: SENSORS }, (_, i) => {
    const angle = (2 * Math.PI * i) / SENSORS;
    const x = Math.round(300 * Math.cos(angle));
    const y = Math.round(300 * Math.sin(angle));
    return {
      sensorId: `WARM-${i + 1}`,
      position: geo(x, y),
      local: { x, y, z: null },
      participating: i < SENSORS - 1,
      clip: {
        sha256: String(i).repeat(64),
        bytes: DURATION_S * RATE * 2 + 44,
        format: 'pcm16',
        sampleRate: RATE,
        channels: 1,
        frames: DURATION_S * RATE,
        durationS: DURATION_S,
      },
      channel: 0,
      clipStartUs: startUs,
      clipStartIso: new Date(startUs / 1000).toISOString(),
      fullScaleDbSpl: null,
    };
  });
  const pulses = tracks.map((t, i) => ({
    id: i + 1,
    sensorId: t.sensorId,
    offsetS: 1 + 0.9 + i * 0.01,
    timeUs: shotUs + 900_000 + i * 10_000,
    snrDb: 20,
    peakDbfs: -6,
    peakDbSpl: null,
    shotIndex: 1,
    origin: 'machine' as const,
  }));
  const used = tracks.filter((t) => t.participating).map((t) => t.sensorId);
  const shot = {
    index: 1,
    timeUs: shotUs,
    position: geo(20, -10),
    local: { x: 20, y: -10 },
    ellipse95: { semiMajorM: 14, semiMinorM: 6, azimuthDeg: 30 },
    gdop: 1.4,
    sensorsUsed: used,
    residualRmsMs: 0.3,
    residualsMs: Object.fromEntries(used.map((s) => [s, 0.2])),
  };
  return {
    id: 1,
    source: 'warm-up',
    externalId: 'warm-up',
    format: 'warm-up',
    detectedUs: shotUs,
    importedUs: nowUs,
    sensorCount: SENSORS,
    machine: { label: 'gunshot', confidence: 0.9, rounds: 1 },
    status: 'pending',
    decision: null,
    location: shot.position,
    rounds: 1,
    coordinates: 'wgs84',
    localOrigin: ORIGIN,
    weather: null,
    tracks,
    pulses,
    solutions: [
      {
        id: 1,
        version: 1,
        origin: 'machine',
        createdBy: 'machine',
        createdUs: nowUs,
        temperatureC: 15,
        temperatureSource: 'default',
        speedOfSoundMs: 340,
        rounds: 1,
        shots: [shot],
      },
    ],
    decisions: [],
  };
}

/** Each track's peaks as the core sends them: (max, min) pairs at 1,000 pairs a second, encoded for the wire. */
export function warmUpPeaks(alert: AlertDetail): MethodOutput<'getPeaks'> {
  const pairs = new Float32Array(2000 * DURATION_S);
  for (let i = 0; i < pairs.length; i++) pairs[i] = (i % 2 ? -0.5 : 0.5) * Math.abs(Math.sin(i / 97));
  const peaks = encodePeaks(pairs);
  return { tracks: alert.tracks.map((t) => ({ sensorId: t.sensorId, peaksPerSecond: 1000, peaks })) };
}

/** A WAV of no samples: the players' media elements load it instead of asking the core for a clip. */
const SILENT_WAV = (() => {
  const b = new DataView(new ArrayBuffer(44));
  const text = (at: number, s: string) => [...s].forEach((c, i) => b.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  b.setUint32(4, 36, true);
  text(8, 'WAVEfmt ');
  b.setUint32(16, 16, true);
  b.setUint16(20, 1, true);
  b.setUint16(22, 1, true);
  b.setUint32(24, RATE, true);
  b.setUint32(28, RATE * 2, true);
  b.setUint16(32, 2, true);
  b.setUint16(34, 16, true);
  text(36, 'data');
  b.setUint32(40, 0, true);
  return `data:audio/wav;base64,${btoa(String.fromCharCode(...new Uint8Array(b.buffer)))}`;
})();

/**
 * A client that reaches nothing: the two reads the N key's prefetch makes (getAlert, getPeaks) are
 * answered here with the made-up alert, so the warm-up opens it through the same code as a real
 * alert; every other call is refused here and written down (the warm-up must make no core call
 * and no claim; the e2e test reads `calls`), no event ever comes, clips are silent.
 */
export function standInClient(transport: EarwitnessClient['transport'], alert: AlertDetail): EarwitnessClient & { calls: string[] } {
  const calls: string[] = [];
  const refused = { ok: false as const, error: { code: 'unavailable' as const, message: 'the warm-up view reaches no core' } };
  const answers: Partial<Record<string, unknown>> = { getAlert: alert, getPeaks: warmUpPeaks(alert) };
  return {
    transport,
    calls,
    call: (method) => {
      if (method in answers) return Promise.resolve({ ok: true as const, value: answers[method] as never });
      calls.push(method);
      return Promise.resolve(refused);
    },
    on: () => () => {},
    clipUrl: () => SILENT_WAV,
    upload: (): Promise<typeof refused> => (calls.push('upload'), Promise.resolve(refused)),
    downloadUrl: () => null,
  };
}
