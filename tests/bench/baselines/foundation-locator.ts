import type { LocatedShot, LocateOptions, LocateOutput, PickedPulse, SensorAudio } from '../../../src/locate/types.ts';
import { speedOfSound } from '../../../src/locate/types.ts';

/**
 * The bench's baseline: the foundation locator as it was before issue 3, kept verbatim. It
 * picks the strongest energy onset per sensor, treats them as one shot, and solves 2-D TDOA
 * by Gauss-Newton from the sensors' centroid. No association, no outliers, no bursts.
 */
export function foundationLocate(sensors: readonly SensorAudio[], options: LocateOptions): LocateOutput {
  const temperatureC = options.temperatureC ?? options.defaultTemperatureC;
  const c = speedOfSound(temperatureC);
  const pulses: PickedPulse[] = [];
  for (const s of sensors) {
    const p = strongestOnset(s);
    if (p) pulses.push(p);
  }
  const shots: LocatedShot[] = [];
  if (pulses.length >= 3) {
    const obs = pulses.map((p) => {
      const s = sensors.find((x) => x.sensorId === p.sensorId)!;
      return { id: s.sensorId, x: s.local.x, y: s.local.y, t: (s.clipStartUs - sensors[0]!.clipStartUs) / 1e6 + p.offsetS };
    });
    const fix = solveTdoa(obs, c);
    if (fix) {
      for (const p of pulses) p.shotIndex = 1;
      shots.push({
        index: 1,
        timeUs: sensors[0]!.clipStartUs + Math.round(fix.t0 * 1e6),
        local: { x: fix.x, y: fix.y },
        ellipse95: fix.ellipse,
        gdop: null,
        sensorsUsed: obs.map((o) => o.id),
        residualRmsMs: fix.rmsMs,
        residualsMs: fix.residualsMs,
      });
    }
  }
  return { temperatureC, temperatureSource: options.temperatureC === null ? 'default' : 'weather', speedOfSoundMs: c, rounds: shots.length, shots, pulses };
}

function strongestOnset(s: SensorAudio): PickedPulse | null {
  const x = s.samples;
  const win = Math.max(1, Math.round(s.sampleRate * 0.001));
  const env = new Float32Array(x.length);
  let acc = 0;
  for (let i = 1; i < x.length; i++) {
    const d = x[i]! - x[i - 1]!; // first difference: a crude high-pass against wind and traffic rumble
    acc += d * d;
    if (i >= win) acc -= (x[i - win + 1]! - x[i - win]!) ** 2;
    env[i] = acc / win;
  }
  const sorted = Float32Array.from(env).sort();
  const floor = sorted[Math.floor(sorted.length / 2)]! + 1e-12;
  let best = -1;
  for (let i = 0; i < env.length; i++) if (best < 0 || env[i]! > env[best]!) best = i;
  if (best < 0 || env[best]! < floor * 100) return null; // 20 dB over the median
  let onset = best;
  while (onset > 0 && env[onset]! > floor * 10) onset--;
  let peak = 0;
  for (let i = onset; i < Math.min(x.length, onset + win * 5); i++) peak = Math.max(peak, Math.abs(x[i]!));
  const peakDbfs = 20 * Math.log10(peak + 1e-12);
  return {
    sensorId: s.sensorId,
    offsetS: onset / s.sampleRate,
    snrDb: 10 * Math.log10(env[best]! / floor),
    peakDbfs,
    peakDbSpl: s.fullScaleDbSpl === null ? null : s.fullScaleDbSpl + peakDbfs,
    shotIndex: null,
  };
}

export interface Obs {
  id: string;
  x: number;
  y: number;
  t: number;
}

export function solveTdoa(obs: Obs[], c: number) {
  let x = obs.reduce((s, o) => s + o.x, 0) / obs.length;
  let y = obs.reduce((s, o) => s + o.y, 0) / obs.length;
  const first = obs.reduce((a, b) => (a.t < b.t ? a : b));
  let t0 = first.t - Math.hypot(first.x - x, first.y - y) / c;
  for (let iter = 0; iter < 50; iter++) {
    // Normal equations for (x, y, t0) of r_i = t_i - t0 - d_i / c.
    const A = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const b = [0, 0, 0];
    for (const o of obs) {
      const d = Math.max(1e-6, Math.hypot(o.x - x, o.y - y));
      const r = o.t - t0 - d / c;
      const j = [-(x - o.x) / (d * c), -(y - o.y) / (d * c), -1];
      for (let m = 0; m < 3; m++) {
        b[m]! -= j[m]! * r;
        for (let n = 0; n < 3; n++) A[m]![n]! += j[m]! * j[n]!;
      }
    }
    const step = solve3(A, b);
    if (!step) return null;
    x += step[0]!;
    y += step[1]!;
    t0 += step[2]!;
    if (Math.hypot(step[0]!, step[1]!) < 1e-4) break;
  }
  const residualsMs: Record<string, number> = {};
  let ss = 0;
  const A = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (const o of obs) {
    const d = Math.max(1e-6, Math.hypot(o.x - x, o.y - y));
    const r = o.t - t0 - d / c;
    residualsMs[o.id] = r * 1000;
    ss += r * r;
    const j = [(x - o.x) / (d * c), (y - o.y) / (d * c), 1];
    for (let m = 0; m < 3; m++) for (let n = 0; n < 3; n++) A[m]![n]! += j[m]! * j[n]!;
  }
  const rms = Math.sqrt(ss / obs.length);
  const sigma = Math.max(rms, 0.0005);
  const cov = invert3(A);
  let ellipse = null;
  if (cov) {
    const sxx = cov[0]![0]! * sigma * sigma,
      syy = cov[1]![1]! * sigma * sigma,
      sxy = cov[0]![1]! * sigma * sigma;
    const tr = sxx + syy,
      det = sxx * syy - sxy * sxy;
    const l1 = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det)),
      l2 = Math.max(0, tr - l1);
    const k = Math.sqrt(5.991); // chi-square, 2 degrees of freedom, 95 %
    const az = (Math.atan2(l1 - sxx, sxy || 1e-12) * 180) / Math.PI; // major axis from north, clockwise
    ellipse = { semiMajorM: k * Math.sqrt(l1), semiMinorM: k * Math.sqrt(l2), azimuthDeg: (((90 - az) % 180) + 180) % 180 };
  }
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  return { x, y, t0, rmsMs: rms * 1000, residualsMs, ellipse };
}

function solve3(A: number[][], b: number[]): number[] | null {
  const inv = invert3(A);
  return inv ? inv.map((row) => row[0]! * b[0]! + row[1]! * b[1]! + row[2]! * b[2]!) : null;
}

function invert3(m: number[][]): number[][] | null {
  const [a, b, c] = m[0]!,
    [d, e, f] = m[1]!,
    [g, h, i] = m[2]!;
  const A = e! * i! - f! * h!,
    B = -(d! * i! - f! * g!),
    C = d! * h! - e! * g!;
  const det = a! * A + b! * B + c! * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-30) return null;
  return [
    [A / det, -(b! * i! - c! * h!) / det, (b! * f! - c! * e!) / det],
    [B / det, (a! * i! - c! * g!) / det, -(a! * f! - c! * d!) / det],
    [C / det, -(a! * h! - b! * g!) / det, (a! * e! - b! * d!) / det],
  ];
}
