/**
 * One network of four sensors for three-sensor fixes: T1-T3, and K1 60 m beyond where a shot west
 * of the three has its second solution (the geometry of tests/unit/locate/silence.test.ts). An
 * alert of T1-T3 alone at SHOT is ambiguous unless K1 is known alive and heard nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.ts';
import { LocalFrame } from '../../src/locate/geodesy.ts';
import { formatIsoMicros } from '../../src/util/time.ts';
import { gunfireAudio, type GunfireScene } from './gunfire.ts';

export const NETWORK_FRAME = new LocalFrame({ lat: 40.44, lon: -79.99 });
export const NETWORK: GunfireScene['sensors'] = [
  { id: 'T1', x: 0, y: 0 },
  { id: 'T2', x: 420, y: 30 },
  { id: 'T3', x: 180, y: 380 },
  { id: 'K1', x: -760, y: -110 },
];
/** Where the three-sensor alert's shot is fired. */
export const SHOT = { x: -400, y: 0 };
export const HOUR_US = 3600 * 1_000_000;

/** Writes an acoustic-alert/1 bundle of the network's sensors `ids` into `dir`: one shot at `at`, 1 s into 6 s clips starting at startUs. */
export function writeNetworkAlert(dir: string, o: { id: string; ids: string[]; at: { x: number; y: number }; startUs: number; source?: string }): string {
  mkdirSync(dir, { recursive: true });
  const sensors = NETWORK.filter((s) => o.ids.includes(s.id));
  const audio = gunfireAudio({ sensors, shots: [{ ...o.at, tS: 1 }], durationS: 6, sampleRate: 16000, clipStartUs: o.startUs });
  const list = audio.map((a) => {
    writeFileSync(join(dir, `${a.sensorId}.wav`), encodeWav([a.samples], { format: 'pcm16', sampleRate: a.sampleRate }));
    const g = NETWORK_FRAME.toGeo({ x: a.local.x, y: a.local.y, z: 0 });
    return { id: a.sensorId, lat: g.lat, lon: g.lon, clip: `${a.sensorId}.wav`, clipStart: formatIsoMicros(o.startUs), fullScaleDbSpl: 120 };
  });
  const alert = {
    format: 'acoustic-alert/1',
    id: o.id,
    source: o.source ?? 'test-network',
    detectedAt: formatIsoMicros(o.startUs + 7_000_000),
    machine: { label: 'gunshot', confidence: 0.9, rounds: 1 },
    weather: { temperatureC: 15 },
    coordinates: 'wgs84',
    sensors: list,
  };
  writeFileSync(join(dir, 'alert.json'), JSON.stringify(alert, null, 2));
  return dir;
}
