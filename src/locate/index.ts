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
  let sigmaS = MODEL.sigmaS;
  let found = associate(tracks, { ...geometry, gateS: 3 * sigmaS, minRoundGapS: MODEL.minRoundGapS });
  // Where the alert's own well-determined shots agree far better than the model allows for
  // (sensors placed by survey, not by a GPS fix), search again with the gate they show: a
  // bullet's crack or an echo a few ms off then no longer passes for the muzzle blast.
  const own = alertSigmaS(found);
  if (own !== null && own < sigmaS / 2) {
    sigmaS = own;
    found = associate(tracks, { ...geometry, gateS: 3 * sigmaS, minRoundGapS: MODEL.minRoundGapS });
  }
  const prior = { ...MODEL.prior, sigma0S: sigmaS };
  const shots: LocatedShot[] = found.map((h, i) => shotFromFix(h.fix, h.order.map((k) => sensors[k]!.sensorId), { index: i + 1, refUs, c, prior }));
  return {
    temperatureC,
    temperatureSource: options.temperatureC === null ? 'default' : 'weather',
    speedOfSoundMs: c,
    rounds: shots.length,
    shots,
    pulses: pulsesOut(sensors, picked, found),
  };
}

/**
 * The timing scatter the alert's best-determined shot shows (fitted with two degrees of freedom
 * or more: the network and the streets allow that much precision, and a set of picks that
 * scatters far more is suspect), doubled for safety and never under the floor picks are timed
 * to; null without such a shot.
 */
function alertSigmaS(shots: readonly Hypothesis[]): number | null {
  let best: number | null = null;
  for (const h of shots) {
    if (h.support < 5) continue;
    const scale = Math.sqrt(h.fix.rss / (h.support - 3));
    if (best === null || scale < best) best = scale;
  }
  return best === null ? null : Math.max(MODEL.minSigmaS, 2 * best);
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
