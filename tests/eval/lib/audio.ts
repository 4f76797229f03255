import { decodeChannel, parseWav } from '../../../src/audio/wav.ts';
import { frameFor, loadClip } from '../../../src/ingest/prepare.ts';
import type { IncomingAlert } from '../../../src/ingest/types.ts';
import type { LocalFrame } from '../../../src/locate/geodesy.ts';
import type { SensorAudio } from '../../../src/locate/index.ts';

/** An alert's sensors as the locator takes them, in the alert's local frame (as prepareAlert builds them). */
export function audioOf(incoming: IncomingAlert): { audio: SensorAudio[]; frame: LocalFrame | null } {
  const frame = frameFor(incoming);
  const audio = incoming.sensors.map((s) => {
    const bytes = loadClip(s.clip, s.clipName);
    const info = parseWav(bytes);
    const p = s.position;
    let local: SensorAudio['local'];
    if ('lat' in p) {
      const e = frame!.toLocal({ lat: p.lat, lon: p.lon, h: p.elevationM ?? 0 });
      local = { x: e.x, y: e.y, z: p.elevationM === undefined ? null : e.z };
    } else local = { x: p.x, y: p.y, z: p.z ?? null };
    return {
      sensorId: s.sensorId,
      local,
      clipStartUs: s.clipStartUs,
      sampleRate: info.sampleRate,
      samples: decodeChannel(bytes, info, s.channel),
      fullScaleDbSpl: s.fullScaleDbSpl,
    };
  });
  return { audio, frame };
}
