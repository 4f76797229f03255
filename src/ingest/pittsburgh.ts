/**
 * The research layout of the Pittsburgh live-fire data set (FORMATS.md section 3): one folder per
 * test, `test_NNN.audio.<serial>.wav` with a sidecar `test_NNN.audio.<serial>.json` (serial,
 * UTC time of the first sample, position in local metres), and optionally `test_NNN.weather.json`.
 *
 * The folder also holds ground truth (`survey.json`) and the vendor's own processing
 * (`allpulses.json`, `nlos-tuples.json`). This reader opens only the sidecars, the WAVs and the
 * weather file, by name, so nothing downstream can locate from the answers.
 */
import { readdirSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../util/errors.ts';
import { describeZodIssues, isoTime, printableId } from '../util/schemas.ts';
import { parseStrictJsonBytes, StrictJsonError } from '../util/strict-json.ts';
import { formatIsoMicros, parseIsoMicros } from '../util/time.ts';
import { checkClipSet, refuseFutureTime, type ClipEntry } from './input-checks.ts';
import { LIMITS } from './limits.ts';
import { readInside, resolveInside } from './safe-path.ts';
import type { AlertReader, IncomingAlert, IncomingSensor, ReadOptions } from './types.ts';

export const RESEARCH_SOURCE = 'research';
/** Anything that looks like a sidecar: enough to tell the layout, then checked strictly. */
const SIDECAR_LIKE = /^test_.*\.audio\..*\.json$/;
const SIDECAR = /^(test_\d{1,6})\.audio\.([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.json$/;
const AUDIO_LIKE = /^test_.*\.audio\..*\.wav$/i;

/** Local metres in an arbitrary frame; the data set's origins are kilometres away, not light years. */
const metres = () => z.number().min(-1e7).max(1e7);

const SidecarSchema = z.object({
  serial_number: printableId(64),
  timestamp: isoTime('2018-12-19T00:49:26.000Z'),
  location: z.object({ x: metres(), y: metres(), z: metres().optional() }),
  description: z.string().max(4000).optional(),
});

const WeatherSchema = z.object({
  fluid: z.literal('air').optional(),
  temperature: z.number().min(-60).max(60),
  speed: z.number().min(0).max(100).nullable().optional(),
  direction: z.number().min(0).max(360).nullable().optional(),
});

function readJson(dir: string, name: string): unknown {
  const file = resolveInside(dir, name, LIMITS.metadataBytes, 'file', 'test folder');
  try {
    return parseStrictJsonBytes(readInside(file, name));
  } catch (e) {
    if (e instanceof StrictJsonError) throw new UserError('bad_file', `${name} ${e.message.slice(0, 200)}`);
    throw e;
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UserError('bad_file', `${name}: ${describeZodIssues(r.error)}`);
  return r.data;
}

/** Reads one research test folder strictly. */
export function readResearchTest(dir: string, o: ReadOptions): IncomingAlert {
  const names = readdirSync(dir);
  const sidecars = names.filter((n) => SIDECAR_LIKE.test(n)).sort();
  if (sidecars.length === 0) throw new UserError('bad_file', `${dir} holds no test_NNN.audio.<serial>.json sidecar`);
  if (sidecars.length > LIMITS.sensorsPerAlert)
    throw new UserError('bad_file', `${dir} holds ${sidecars.length} sidecars, over the limit of ${LIMITS.sensorsPerAlert} sensors per alert`);
  const parsedNames = sidecars.map((n) => {
    const m = SIDECAR.exec(n);
    if (!m)
      throw new UserError(
        'bad_file',
        `sidecar name ${JSON.stringify(n.slice(0, 120))} is not test_NNN.audio.<serial>.json with a plain serial (letters, digits, - and _)`,
      );
    return { name: n, test: m[1]!, serial: m[2]! };
  });
  const tests = [...new Set(parsedNames.map((p) => p.test))];
  if (tests.length > 1) throw new UserError('bad_file', `${dir} mixes tests ${tests.join(', ')}: a test folder holds one test`);
  const test = tests[0]!;
  const nameSet = new Set(names);
  for (const wav of names.filter((n) => AUDIO_LIKE.test(n))) {
    const sidecar = wav.replace(/\.wav$/i, '.json');
    if (!nameSet.has(sidecar)) throw new UserError('bad_file', `${wav} has no sidecar ${sidecar}: its position and start time are unknown`);
  }
  const files: ClipEntry[] = [];
  const sensors: IncomingSensor[] = parsedNames.map(({ name, serial }) => {
    const side = parseWith(SidecarSchema, readJson(dir, name), name);
    if (side.serial_number !== serial) {
      throw new UserError('bad_file', `${name} says it is from sensor ${JSON.stringify(side.serial_number)}, but its name says ${serial}`);
    }
    const wav = `${test}.audio.${serial}.wav`;
    if (!nameSet.has(wav)) throw new UserError('bad_file', `${name} has no audio: ${wav} is missing`);
    const file = resolveInside(dir, wav, LIMITS.clipBytes, 'clip', 'test folder');
    files.push({ file, channel: 0, name: wav, where: wav, label: wav });
    const clipStartUs = parseIsoMicros(side.timestamp);
    refuseFutureTime(clipStartUs, o.nowUs, `${name}: timestamp`);
    const { x, y, z: height } = side.location;
    return {
      sensorId: serial,
      position: height === undefined ? { x, y } : { x, y, z: height },
      clip: { kind: 'file', ...file },
      clipName: wav,
      channel: 0,
      clipStartUs,
      clipStartIso: side.timestamp,
      fullScaleDbSpl: null,
    };
  });
  checkClipSet(files);
  const weatherName = `${test}.weather.json`;
  const w = nameSet.has(weatherName) ? parseWith(WeatherSchema, readJson(dir, weatherName), weatherName) : null;
  const earliest = Math.min(...sensors.map((s) => s.clipStartUs));
  return {
    format: 'research-test',
    source: RESEARCH_SOURCE,
    // Test numbers are unique within a data set; the first clip's start tells data sets apart.
    externalId: `${test}@${formatIsoMicros(earliest)}`,
    detectedUs: earliest,
    coordinates: 'local',
    machine: null,
    weather: w ? { temperatureC: w.temperature, relativeHumidity: null, windSpeedMs: w.speed ?? null, windFromDeg: w.direction ?? null } : null,
    sensors,
  };
}

export const pittsburghReader: AlertReader = {
  kind: 'research test folder (Pittsburgh layout)',
  detect: (dir) => {
    try {
      return readdirSync(dir).some((n) => SIDECAR_LIKE.test(n));
    } catch {
      return false;
    }
  },
  read: readResearchTest,
};
