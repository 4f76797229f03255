import { parseArgs } from 'node:util';
import type { Position } from '../contract/index.ts';
import { prepareAlert } from '../ingest/prepare.ts';
import { readAlertFolder } from '../ingest/readers.ts';
import { UserError } from '../util/errors.ts';
import { formatIsoMicros, systemClock } from '../util/time.ts';
import { UsageError } from './command.ts';
import type { CliIo } from './io.ts';

/** The default of the core's configuration: a temperate night. */
const DEFAULT_TEMPERATURE_C = 15;

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

function positionOut(p: Position): { x: number; y: number } | { lat: number; lon: number } {
  return 'lat' in p ? { lat: round(p.lat, 7), lon: round(p.lon, 7) } : { x: round(p.x, 2), y: round(p.y, 2) };
}

/**
 * `earwitness locate PATH [--json] [--default-temperature C]`: locates the shots of one alert
 * folder of any input kind from its audio, with nothing written anywhere. With --json, one
 * document on stdout exactly as FORMATS.md describes (earwitness-locate/1); diagnostics always
 * go to stderr. Exit 0 when the input was read, even with no shot located; 1 with a one-line
 * reason when it could not be read; 2 for a wrong command line.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'default-temperature': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('one alert folder, please (earwitness locate --help)');
  const fallback = values['default-temperature'] === undefined ? DEFAULT_TEMPERATURE_C : Number(values['default-temperature']);
  if (!Number.isFinite(fallback) || fallback < -60 || fallback > 60)
    throw new UsageError(`--default-temperature must be degrees C between -60 and 60, not ${values['default-temperature']}`);
  let prepared;
  try {
    // On this thread: a one-shot command has no seats to keep answering.
    const incoming = readAlertFolder(positionals[0]!, { nowUs: systemClock.nowUs() });
    prepared = prepareAlert(incoming, { defaultTemperatureC: fallback, nowUs: 0 });
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`earwitness locate: ${e.message.split('\n')[0]}\n`);
      return 1;
    }
    throw e;
  }
  const { alert, located, solution } = prepared;
  const startOf = new Map(alert.sensors.map((s) => [s.sensorId, s.clipStartUs]));
  const doc = {
    format: 'earwitness-locate/1',
    coordinates: alert.coordinates,
    temperatureC: round(located.temperatureC, 2),
    speedOfSoundMs: round(located.speedOfSoundMs, 2),
    rounds: located.rounds,
    shots: (solution?.shots ?? []).map((s) => ({
      index: s.index,
      time: formatIsoMicros(s.timeUs),
      position: positionOut(s.position),
      ellipse95: s.ellipse95 && {
        semiMajorM: round(s.ellipse95.semiMajorM, 1),
        semiMinorM: round(s.ellipse95.semiMinorM, 1),
        azimuthDeg: round(s.ellipse95.azimuthDeg, 1),
      },
      sensorsUsed: s.sensorsUsed,
      residualRmsMs: s.residualRmsMs === null ? null : round(s.residualRmsMs, 2),
    })),
    sensors: alert.sensors.map((s) => ({
      id: s.sensorId,
      pulses: located.pulses
        .filter((p) => p.sensorId === s.sensorId)
        .map((p) => ({
          time: formatIsoMicros(startOf.get(s.sensorId)! + Math.round(p.offsetS * 1e6)),
          snrDb: p.snrDb === null ? null : round(p.snrDb, 1),
        })),
    })),
  };
  io.err(
    `${positionals[0]}: ${alert.sensors.length} sensors, ${located.pulses.length} pulses, ${located.rounds} rounds, ${doc.shots.length} located; ` +
      `temperature ${located.temperatureC} C (${located.temperatureSource === 'weather' ? 'from the alert' : 'default: the alert has none'}), c = ${located.speedOfSoundMs.toFixed(1)} m/s\n`,
  );
  if (values.json) {
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    return 0;
  }
  for (const s of doc.shots) {
    const where = 'lat' in s.position ? `${s.position.lat}, ${s.position.lon}` : `x ${s.position.x}, y ${s.position.y}`;
    const ellipse = s.ellipse95 ? `95 % ellipse ${s.ellipse95.semiMajorM} x ${s.ellipse95.semiMinorM} m at ${s.ellipse95.azimuthDeg} deg` : 'no ellipse';
    io.out(`shot ${s.index}  ${s.time}  ${where}  ${ellipse}  ${s.sensorsUsed.length} sensors, residual rms ${s.residualRmsMs ?? '-'} ms\n`);
  }
  if (doc.shots.length === 0) io.out('no shot located\n');
  return 0;
}
