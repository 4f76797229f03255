import { pickPulses, type PulsePick } from '../audio/pulses/pick.ts';
import { associate } from './associate.ts';
import type { Hypothesis } from './hypothesis.ts';
import { shotFromFix, MODEL, geometryFor } from './model.ts';
import { maskedPicks, precededPicks, type Track } from './tracks.ts';
import type { LocatedShot, LocateOptions, LocateOutput, PickedPulse, SensorAudio } from './types.ts';
import { speedOfSound } from './types.ts';

export * from './types.ts';
export { relocateShot, type ReviewerPick } from './relocate.ts';

/**
 * From the sensors' audio to shots: pick every impulse on every sensor, associate them across
 * sensors into shots by geometry (echoes and pulses that fit no consistent set left out),
 * locate each shot with its 95 % ellipse. Pure: the same audio gives the same answer.
 */
export function locateFromAudio(sensors: readonly SensorAudio[], options: LocateOptions): LocateOutput {
  const temperatureC = options.temperatureC ?? options.defaultTemperatureC;
  const c = speedOfSound(temperatureC);
  const geometry = geometryFor(sensors.map((s) => s.local), c, options.mode ?? '2d');
  const refUs = sensors.length ? Math.min(...sensors.map((s) => s.clipStartUs)) : 0;
  const picked = sensors.map((s) => pickPulses(s.samples, s.sampleRate));
  const tracks: Track[] = sensors.map((s, k) => {
    const startS = (s.clipStartUs - refUs) / 1e6;
    const times = Float64Array.from(picked[k]!, (p) => startS + p.offsetS);
    const snrDb = Float64Array.from(picked[k]!, (p) => p.snrDb);
    const levelDb = Float64Array.from(picked[k]!, (p) => p.bandDb);
    return {
      id: s.sensorId, x: s.local.x, y: s.local.y, z: s.local.z, times, snrDb, levelDb, masked: maskedPicks(times, levelDb), preceded: precededPicks(times, levelDb),
      startS, endS: startS + s.samples.length / s.sampleRate,
    };
  });
  const found = associate(tracks, { ...geometry, gateS: MODEL.gateS, minRoundGapS: MODEL.minRoundGapS });
  const shots: LocatedShot[] = found.map((h, i) => shotFromFix(h.fix, h.order.map((k) => sensors[k]!.sensorId), { index: i + 1, refUs, c }));
  return {
    temperatureC,
    temperatureSource: options.temperatureC === null ? 'default' : 'weather',
    speedOfSoundMs: c,
    rounds: shots.length,
    shots,
    pulses: pulsesOut(sensors, picked, found),
  };
}

function pulsesOut(sensors: readonly SensorAudio[], picked: readonly PulsePick[][], shots: readonly Hypothesis[]): PickedPulse[] {
  const out: PickedPulse[] = [];
  sensors.forEach((s, k) => {
    picked[k]!.forEach((p, i) => {
      const shot = shots.findIndex((h) => h.picks[k] === i);
      out.push({
        sensorId: s.sensorId,
        offsetS: p.offsetS,
        snrDb: p.snrDb,
        peakDbfs: p.peakDbfs,
        peakDbSpl: s.fullScaleDbSpl === null ? null : s.fullScaleDbSpl + p.peakDbfs,
        shotIndex: shot >= 0 ? shot + 1 : null,
        clipped: p.clipped,
      });
    });
  });
  return out;
}
