import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { pickPulses } from '../../../src/audio/pulses/pick.ts';
import { prepareAlert } from '../../../src/ingest/prepare.ts';
import { readAlertFolder } from '../../../src/ingest/readers.ts';
import { locateFromAudio } from '../../../src/locate/index.ts';
import { audioOf } from '../../eval/lib/audio.ts';
import { describeIfSharedData, SHARED_DATA } from '../../support/shared-data.ts';

const PITTSBURGH = join(SHARED_DATA, 'pittsburgh-2018', 'dev');

/** The truth of a test, read here by the test only: the locator never sees it. */
function survey(dir: string): { rounds: number; x: number; y: number } {
  const test = dir.split('/').at(-1)!;
  const s = JSON.parse(readFileSync(join(dir, `${test}.survey.json`), 'utf8')) as { num_rounds: number; survey_location: { x: number; y: number } };
  return { rounds: s.num_rounds, x: s.survey_location.x, y: s.survey_location.y };
}

describeIfSharedData('locating real recordings', () => {
  it('Pittsburgh: one test of each firing position, every round counted and within 25 m of the survey', () => {
    for (const test of ['FP1/test_001', 'FP2/test_021', 'FP3/test_047']) {
      const dir = join(PITTSBURGH, test);
      const truth = survey(dir);
      const incoming = readAlertFolder(dir);
      const out = locateFromAudio(audioOf(incoming).audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: -1 });
      expect(out.rounds, test).toBe(truth.rounds);
      for (const s of out.shots) {
        expect(Math.hypot(s.local.x - truth.x, s.local.y - truth.y), test).toBeLessThan(25);
        expect(s.sensorsUsed.length).toBeGreaterThanOrEqual(3);
        expect(s.ellipse95).not.toBeNull();
      }
    }
  });

  it('Pittsburgh FP2: the echo 0.3 s after the direct sound on SCP-00-BNQ-0681, and louder than it, is not taken for it', () => {
    const dir = join(PITTSBURGH, 'FP2', 'test_019');
    const incoming = readAlertFolder(dir);
    const out = locateFromAudio(audioOf(incoming).audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: -1 });
    const picks = out.pulses.filter((p) => p.sensorId === 'SCP-00-BNQ-0681');
    const used = picks
      .filter((p) => p.shotIndex !== null)
      .map((p) => p.offsetS)
      .sort((a, b) => a - b);
    // ShotSpotter's own arrivals on that sensor (allpulses.json, to the millisecond): 3.023, 3.676, 4.710 s into the clip.
    expect(used).toHaveLength(3);
    [3.023, 3.676, 4.71].forEach((t, i) => expect(Math.abs(used[i]! - t)).toBeLessThan(0.003));
    const direct = picks.find((p) => Math.abs(p.offsetS - 3.023) < 0.003)!;
    const echo = picks.find((p) => p.offsetS > 3.2 && p.offsetS < 3.4 && p.shotIndex === null)!;
    expect(echo.peakDbfs!).toBeGreaterThan(direct.peakDbfs!);
  });

  it("Pittsburgh FP3: the second round, lost in the first one's reverberation on the sensor 88 m away, is picked again where the first round's pattern puts it", () => {
    const dir = join(PITTSBURGH, 'FP3', 'test_044');
    const truth = survey(dir);
    const incoming = readAlertFolder(dir);
    const audio = audioOf(incoming).audio;
    // The picker's own thresholds, over the whole clip, miss it on SCP-00-BNG-5515 (ShotSpotter's arrival there: 3.183 s into the clip).
    const at = 3.183;
    const sensor = audio.find((a) => a.sensorId === 'SCP-00-BNG-5515')!;
    expect(pickPulses(sensor.samples, sensor.sampleRate).some((p) => Math.abs(p.offsetS - at) < 0.004)).toBe(false);
    const out = locateFromAudio(audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: -1 });
    expect(out.rounds).toBe(truth.rounds);
    for (const s of out.shots) expect(Math.hypot(s.local.x - truth.x, s.local.y - truth.y)).toBeLessThan(10);
    expect(out.pulses.some((p) => p.sensorId === sensor.sensorId && p.shotIndex === 2 && Math.abs(p.offsetS - at) < 0.004)).toBe(true);
  });

  it('Pittsburgh FP2: a sound 0.35 s after the third round, fitting a source 100 m off on four sensors, is set aside: two sensors that heard the rounds heard nothing of it', () => {
    const dir = join(PITTSBURGH, 'FP2', 'test_025');
    const truth = survey(dir);
    const incoming = readAlertFolder(dir);
    const out = locateFromAudio(audioOf(incoming).audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: -1 });
    expect(out.rounds).toBe(truth.rounds);
    for (const s of out.shots) expect(Math.hypot(s.local.x - truth.x, s.local.y - truth.y)).toBeLessThan(25);
    const aside = out.rejected!.filter((r) => r.kind === 'echo').find((r) => Math.hypot(r.local.x - truth.x, r.local.y - truth.y) > 50)!;
    expect(aside.unheard.length).toBeGreaterThanOrEqual(2);
    expect(aside.reason).toMatch(/^echo of shot \d/);
  });

  it('Pittsburgh: a test folder imports with its shots located, through the same path as the import', () => {
    const dirs = readdirSync(join(PITTSBURGH, 'FP2'))
      .filter((d) => d.startsWith('test_'))
      .slice(0, 2);
    for (const d of dirs) {
      const prepared = prepareAlert(readAlertFolder(join(PITTSBURGH, 'FP2', d)), { defaultTemperatureC: -1, nowUs: 0 });
      expect(prepared.solution!.shots.length).toBeGreaterThan(0);
      expect(prepared.alert.pulses.filter((p) => p.shotIndex !== null).length).toBeGreaterThanOrEqual(3 * prepared.solution!.shots.length);
    }
  });

  it('Chicago: one shot from all four sensors, residuals of a few milliseconds', () => {
    const incoming = readAlertFolder(join(SHARED_DATA, 'shotspotter-wav', 'chicago-incident-556267'));
    const { solution, located } = prepareAlert(incoming, { defaultTemperatureC: 15, nowUs: 0 });
    expect(located.temperatureSource).toBe('weather');
    expect(solution!.shots.length).toBeGreaterThanOrEqual(1);
    const shot = solution!.shots[0]!;
    expect(shot.sensorsUsed).toHaveLength(4);
    for (const r of Object.values(shot.residualsMs)) expect(Math.abs(r)).toBeLessThan(10);
    expect('lat' in shot.position).toBe(true);
  });
});
