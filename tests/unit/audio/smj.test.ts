import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSmjBody, readSmj, SMJ_MAX_JSON_BYTES, SmjError } from '../../../src/audio/smj.ts';
import { parseWav } from '../../../src/audio/wav.ts';
import { describeIfSharedData, SHARED_DATA } from '../../support/shared-data.ts';
import { smjBody, smjDoc, smjWav } from '../../support/smj.ts';

const silence = new Float32Array(8000);
const wavWith = (...chunks: { id?: string; body: Uint8Array }[]) => smjWav(silence, 16000, chunks);
const readFrom = (bytes: Buffer) => readSmj(bytes, parseWav(bytes));
const refuse = (f: () => unknown, message: RegExp) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SmjError);
  expect((err as Error).message).toMatch(message);
};

describe('the smj chunk', () => {
  it('reads the fields Earwitness uses, microseconds included', () => {
    const m = readFrom(wavWith({ body: smjBody(smjDoc({ startTimeUTC: '2021-09-29T15:37:47.123456Z' })) }));
    expect(m).toEqual({
      chunkId: 'smj0',
      serialNumber: 'SCP-00-BNG-8319',
      startTimeUTC: '2021-09-29T15:37:47.123456Z',
      startUs: Date.UTC(2021, 8, 29, 15, 37, 47) * 1000 + 123456,
      durationS: 0.5,
      geolocation: { latitude: 41.290138, longitude: -82.226468, elevationM: 257.88016086756 },
      weather: { temperatureC: 18.3, relativeHumidity: 58.68, windSpeedMs: 0, windFromDeg: 0 },
      transducers: [{ channel: 0, fullScaleDbSpl: 93.09, active: true }],
    });
  });

  it('reads an smjx chunk, an odd-sized chunk with its pad byte, null readings and absent weather', () => {
    const doc = smjDoc({ weather: { temperature: 25, relativeHumidity: null, speed: 6.7, direction: 210 } });
    let body = smjBody(doc);
    if (body.length % 2 === 0) body = smjBody({ ...doc, pad: 'x' });
    expect(body.length % 2).toBe(1);
    const m = readFrom(wavWith({ id: 'smjx', body }));
    expect(m.chunkId).toBe('smjx');
    expect(m.weather).toEqual({ temperatureC: 25, relativeHumidity: null, windSpeedMs: 6.7, windFromDeg: 210 });
    const { weather: _omit, ...noWeather } = smjDoc();
    expect(readFrom(wavWith({ body: smjBody(noWeather) })).weather).toBeNull();
  });

  it('refuses a WAV with no smj chunk, naming the chunks it has', () => {
    refuse(() => readFrom(wavWith({ id: 'LIST', body: Buffer.from('INFO') })), /no smj chunk \(chunks: 'fmt ', 'data', 'LIST'\)/);
  });

  it('refuses two smj chunks (smj0 and smjx, or two smj0)', () => {
    refuse(
      () => readFrom(wavWith({ body: smjBody(smjDoc()) }, { id: 'smjx', body: smjBody(smjDoc()) })),
      /2 smj chunks \('smj0' at byte \d+, 'smjx' at byte \d+\): which one describes the clip is ambiguous/,
    );
    refuse(() => readFrom(wavWith({ body: smjBody(smjDoc()) }, { body: smjBody(smjDoc({ serialNumber: 'OTHER' })) })), /2 smj chunks/);
  });

  it('refuses a zip bomb without inflating it all', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces in ~64 KB
    expect(bomb.length).toBeLessThan(100_000);
    const t0 = performance.now();
    refuse(() => decodeSmjBody(bomb), new RegExp(`inflates to more than ${SMJ_MAX_JSON_BYTES} bytes \\(a zip bomb\\?\\)`));
    expect(performance.now() - t0).toBeLessThan(1000);
    // Just over the cap is refused too; just under is inflated (and then fails as JSON).
    refuse(() => decodeSmjBody(deflateSync(Buffer.alloc(SMJ_MAX_JSON_BYTES + 1, 0x20))), /inflates to more than/);
    refuse(() => decodeSmjBody(deflateSync(Buffer.alloc(SMJ_MAX_JSON_BYTES, 0x20))), /not valid JSON/);
  });

  it.each([
    ['plain JSON, not compressed', Buffer.from(JSON.stringify(smjDoc())), /not zlib data/],
    ['raw deflate without the zlib header', deflateRawSync(Buffer.from(JSON.stringify(smjDoc()))), /not zlib data/],
    ['gzip instead of zlib', gzipSync(Buffer.from(JSON.stringify(smjDoc()))), /not zlib data/],
    ['a truncated zlib stream', smjBody(smjDoc()).subarray(0, 100), /not zlib data: unexpected end of file/],
    [
      'a corrupted zlib stream',
      (() => {
        const b = Buffer.from(smjBody(smjDoc()));
        b[40]! ^= 0xff;
        b[41]! ^= 0xff;
        return b;
      })(),
      /not zlib data/,
    ],
    ['bytes after the zlib stream', Buffer.concat([smjBody(smjDoc()), Buffer.from('tail')]), /holds 4 bytes after the end of its zlib stream/],
    ['an empty body', Buffer.alloc(0), /is empty/],
    ['invalid UTF-8', deflateSync(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), /not valid UTF-8/],
    ['bad JSON', smjBody('{"serialNumber": "S1", '), /not valid JSON/],
    ['JSON that is an array', smjBody([smjDoc()]), /\(top\): .*object/],
    ['JSON null', smjBody('null'), /\(top\)/],
    [
      'a key said twice',
      smjBody(JSON.stringify(smjDoc()).replace('{', '{"startTimeUTC": "1999-01-01T00:00:00Z", ')),
      /^the 'smj0' chunk has key "startTimeUTC" twice at the top level$/,
    ],
    [
      'a key said twice deep inside',
      smjBody(JSON.stringify(smjDoc()).replace('"latitude":', '"latitude": 0, "latitude":')),
      /^the 'smj0' chunk has key "latitude" twice in geolocation$/,
    ],
  ])('refuses %s', (_name, body, message) => {
    refuse(() => decodeSmjBody(body), message);
    refuse(() => readFrom(wavWith({ body })), message);
  });

  it.each([
    ['a missing serial number', { serialNumber: undefined }, /serialNumber/],
    ['a numeric serial number', { serialNumber: 5567 }, /serialNumber: .*string/],
    ['a serial number with control characters', { serialNumber: 'SCP\n00' }, /serialNumber: holds U\+000A, which is not a printable character/],
    [
      'a start time without a zone',
      { startTimeUTC: '2021-09-29T15:37:47.000' },
      /startTimeUTC: "2021-09-29T15:37:47\.000" is not an ISO 8601 time with a zone/,
    ],
    ['an impossible start date', { startTimeUTC: '2021-02-30T15:37:47.000Z' }, /startTimeUTC: .*day 30 does not exist in 2021-02/],
    [
      'a start in year 0022 (a Date would say 1922)',
      { startTimeUTC: '0022-09-29T15:37:47.000Z' },
      /startTimeUTC: "0022-09-29T15:37:47\.000Z": year 0022 is before 1970/,
    ],
    ['a start in year 0026', { startTimeUTC: '0026-09-29T15:37:47.000Z' }, /startTimeUTC: "0026-09-29T15:37:47\.000Z": year 0026 is before 1970/],
    ['a start with offset +99:99', { startTimeUTC: '2021-09-29T15:37:47.000+99:99' }, /startTimeUTC: .*UTC offset \+99:99 is not within ±14:00/],
    ['a start in a leap second', { startTimeUTC: '2016-12-31T23:59:60.000Z' }, /startTimeUTC: .*leap second 60 is refused/],
    ['a serial number with a right-to-left override', { serialNumber: 'SCP-00-\u202eBNG' }, /serialNumber: holds U\+202E, which is not a printable character/],
    ['a start time as a number', { startTimeUTC: 1632929867 }, /startTimeUTC/],
    ['a duration as a string', { duration: '8.0' }, /duration: .*number/],
    ['a zero duration', { duration: 0 }, /duration/],
    ['a latitude of 91', { geolocation: { latitude: 91, longitude: 0, elevation: 0 } }, /geolocation.latitude/],
    ['a longitude as a string', { geolocation: { latitude: 41, longitude: '-82.2', elevation: 0 } }, /geolocation.longitude/],
    ['a missing elevation', { geolocation: { latitude: 41, longitude: -82 } }, /geolocation.elevation/],
    ['no geolocation', { geolocation: undefined }, /geolocation/],
    ['a temperature as a string', { weather: { temperature: '18.3' } }, /weather.temperature/],
    ['a temperature of 500 C', { weather: { temperature: 500 } }, /weather.temperature/],
    ['weather as a list', { weather: [18.3] }, /weather/],
    ['no transducers', { transducers: [] }, /transducers/],
    ['transducers missing', { transducers: undefined }, /transducers/],
    ['a full scale as a string', { transducers: [{ channel: 0, fullScale: '93.09' }] }, /transducers.0.fullScale/],
    ['a negative channel', { transducers: [{ channel: -1, fullScale: 93 }] }, /transducers.0.channel/],
    ['a fractional channel', { transducers: [{ channel: 0.5, fullScale: 93 }] }, /transducers.0.channel/],
    ['active as a string', { transducers: [{ channel: 0, fullScale: 93, active: 'yes' }] }, /transducers.0.active/],
  ])('refuses %s', (_name, over, message) => {
    refuse(() => readFrom(wavWith({ body: smjBody(smjDoc(over)) })), message);
  });

  it('ignores a __proto__ key instead of polluting prototypes', () => {
    const m = decodeSmjBody(smjBody(`{"__proto__": {"polluted": 1}, ${JSON.stringify(smjDoc()).slice(1)}`));
    expect(m.serialNumber).toBe('SCP-00-BNG-8319');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describeIfSharedData('smj0 chunks of the Chicago example', () => {
  it('reads all four sensors: serial, start time, WGS84 position with elevation, weather, full scale', () => {
    const dir = join(SHARED_DATA, 'shotspotter-wav/chicago-incident-556267');
    const all = readdirSync(dir)
      .filter((f) => f.endsWith('.wav'))
      .map((f) => readFrom(readFileSync(join(dir, f))));
    expect(all.map((m) => m.serialNumber).sort()).toEqual(['SCP-00-BNG-3866', 'SCP-00-BNG-4089', 'SCP-00-BNG-4827', 'SCP-00-BNG-4922']);
    const one = all.find((m) => m.serialNumber === 'SCP-00-BNG-4089')!;
    expect(one).toEqual({
      chunkId: 'smj0',
      serialNumber: 'SCP-00-BNG-4089',
      startTimeUTC: '2022-09-18T05:20:54.178Z',
      startUs: Date.UTC(2022, 8, 18, 5, 20, 54, 178) * 1000,
      durationS: 2,
      geolocation: { latitude: 41.697987, longitude: -87.633597, elevationM: 195.632161277473 },
      weather: { temperatureC: 25, relativeHumidity: null, windSpeedMs: 6.68777, windFromDeg: 210 },
      transducers: [{ channel: 0, fullScaleDbSpl: 93.09, active: true }],
    });
  });
});
