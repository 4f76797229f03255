/**
 * `npm run eval -- sim-alert --case NAME --alert N [--seed S]`: one alert of a simulated case
 * laid bare, to see why the locator answered as it did: the scene's walls, every sound path to
 * every sensor (echoes included) beside every pick and what the locator made of it, the shots
 * with their errors (a not-shot with its cause), and the candidates set aside. Same alerts, errors and options as
 * `npm run eval -- simulated`.
 */
import { parseArgs } from 'node:util';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { paToDb, peakPa } from '../../src/ingest/demo/propagation.ts';
import { notShotCauses } from './lib/not-shot-causes.ts';
import { isNotAShot } from './lib/score.ts';
import { casePlan, runCase, SIM_CASES, SIM_DEFAULTS, type SimRunOptions } from './lib/sim-cases.ts';

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, alert: { type: 'string' }, seed: { type: 'string' } } });
  const c = SIM_CASES.find((x) => x.name === values.case);
  const n = Number(values.alert ?? '1');
  if (!c || !(n >= 1)) {
    process.stderr.write(`sim-alert: --case one of ${SIM_CASES.map((x) => JSON.stringify(x.name)).join(', ')} and --alert N (1-based)\n`);
    return 2;
  }
  const o: SimRunOptions = { ...SIM_DEFAULTS, network: defaultNetwork(), seed: values.seed ?? 'simulated', count: n };
  const [a] = runCase(c, o, { from: n });
  if (!a) throw new Error(`sim-alert: case ${c.name} drew no alert ${n}`);
  // The plan behind it, for the paths the truth file leaves out (echoes).
  const plan = casePlan(c, o, n);
  const out = a.out;
  const src0 = a.g.truth.sources.find((s) => s.round)!;
  const lines: string[] = [];
  const f1 = (v: number) => v.toFixed(1);
  lines.push(`${a.g.id} ${a.g.truth.scenario} ${a.g.truth.weapon ?? ''} rounds ${a.g.truth.rounds}, c ${out.speedOfSoundMs.toFixed(1)} m/s`);
  const truthLocal = a.g.truth.sources.filter((s) => s.round);
  lines.push(
    `source (network frame) ${f1(src0.local.x)}, ${f1(src0.local.y)}; rounds at ${truthLocal.map((s) => ((s.timeUs - src0.timeUs) / 1e3).toFixed(0)).join(' ')} ms`,
  );
  for (const w of plan.scene.walls)
    lines.push(
      `  wall at ${f1(w.point.x - src0.local.x)}, ${f1(w.point.y - src0.local.y)} from the source, normal ${w.normal.x.toFixed(2)},${w.normal.y.toFixed(2)}, R ${w.reflection.toFixed(2)}, half ${w.halfLengthM?.toFixed(0) ?? 'inf'} m, h ${w.heightM?.toFixed(0) ?? 'inf'} m${w.blocks ? ' blocks' : ''}`,
    );
  const epochUs = src0.timeUs - Math.round(plan.scene.emissions.find((e) => e.round)!.tUs);
  for (const r of plan.reporting) {
    const ts = a.g.truth.sensors.find((t) => t.id === r.sensor.id)!;
    const aud = a.audio.find((x) => x.sensorId === r.sensor.id)!;
    const d = Math.hypot(r.sensor.local.x - src0.local.x, r.sensor.local.y - src0.local.y);
    lines.push(
      `sensor ${r.sensor.id} at ${f1(r.sensor.local.x - src0.local.x)}, ${f1(r.sensor.local.y - src0.local.y)} from the source (${d.toFixed(0)} m), GPS off ${f1(ts.gpsErrorM?.x ?? 0)}, ${f1(ts.gpsErrorM?.y ?? 0)}; clip stamped ${((aud.clipStartUs - ts.clipStartUs) / 1e3).toFixed(2)} ms off`,
    );
    const startRel = (ts.clipStartUs - epochUs) / 1e6;
    const events: { t: number; text: string }[] = [];
    for (const p of r.paths) {
      const db = paToDb(peakPa(p));
      if (db < 70) continue;
      events.push({ t: p.arrivalS - startRel, text: `      path ${p.kind.padEnd(12)} e${p.emission} ${f1(db)} dB` });
    }
    for (const p of out.pulses.filter((x) => x.sensorId === r.sensor.id)) {
      const tag =
        p.shotIndex !== null
          ? `shot ${p.shotIndex}`
          : p.crackOf !== undefined
            ? `crack of ${p.crackOf}`
            : p.echoOf !== undefined
              ? `echo of ${p.echoOf}`
              : p.lateFor !== undefined
                ? `late for ${p.lateFor}`
                : '-';
      events.push({ t: p.offsetS, text: `  PICK ${f1(p.peakDbSpl ?? NaN)} dB snr ${f1(p.snrDb ?? NaN)} ${tag}` });
    }
    events.sort((x, y) => x.t - y.t);
    for (const e of events) lines.push(`   ${e.t.toFixed(4)} ${e.text}`);
  }
  const truths = a.g.truth.sources.filter((s) => s.round);
  // The not-shots' causes, in shot order (lib/not-shot-causes.ts).
  const causes = notShotCauses(a);
  out.shots.forEach((s, i) => {
    const sc = a.score.shots[i]!;
    const cause = isNotAShot(sc) ? `; NOT A SHOT: ${causes.shift()}` : '';
    lines.push(
      `shot ${s.index}: ${f1(s.local.x)}, ${f1(s.local.y)} err ${f1(sc.errorM)} m (truth ${f1(s.local.x - (sc.dx ?? 0))}, ${f1(s.local.y - (sc.dy ?? 0))})${sc.inEllipse ? '' : ' (outside ellipse)'} t ${((s.timeUs - truths[0]!.timeUs) / 1e3).toFixed(1)} ms, rms ${s.residualRmsMs?.toFixed(1)} ms, ${s.sensorsUsed.map((id) => `${id} ${s.residualsMs[id]!.toFixed(1)}`).join(', ')}${s.alternative ? `; alternative ${f1(s.alternative.local.x)}, ${f1(s.alternative.local.y)}` : ''}${s.nlos ? `; nlos ${s.nlos.map((l) => `${l.sensorId} +${l.lateMs.toFixed(1)} ms`).join(', ')}` : ''}${cause}`,
    );
  });
  for (const r of out.rejected ?? []) lines.push(`set aside: ${r.reason} (at ${f1(r.local.x)}, ${f1(r.local.y)})`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
