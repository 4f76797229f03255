import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { areaRing, publishedArea, floorFor, MIN_FLOOR_M } from '../../../src/publish/area.ts';
import { renderCap } from '../../../src/publish/cap.ts';
import { multiPolygonContains } from '../../../src/publish/geometry.ts';
import type { IncidentFacts } from '../../../src/publish/facts.ts';
import { buildJsonDocument, incidentJsonSchema } from '../../../src/publish/json-doc.ts';
import { capDateTime, type MessageMeta } from '../../../src/publish/message.ts';
import { formatIsoMicros } from '../../../src/util/time.ts';
import { validateCap } from '../../support/cap-validate.ts';

const SCHEMA_FILE = new URL('../../../docs/publish/incident.schema.json', import.meta.url);
const T = 1_763_600_000_123_456;

const ELLIPSE = { semiMajorM: 24.4, semiMinorM: 9.1, azimuthDeg: 30 };
const AREA = publishedArea({ ellipse95: ELLIPSE, residualRmsMs: 3, gdop: 1.2, speedOfSoundMs: 343 });
const facts = (o: Partial<IncidentFacts> = {}): IncidentFacts => ({
  alert: { id: 7, source: 'north <&> "net"', externalId: 'NSAC-2026-000123', detectedUs: T, clockAheadUs: 0 },
  class: 'gunfire_multiple',
  classLabel: 'Gunfire: multiple shots',
  gunfire: true,
  rounds: 3,
  roundsSource: 'reviewer',
  flags: { fullyAutomatic: true, multipleShooters: false },
  decision: { id: 11, version: 1, decidedBy: 'ana\u0001 <b>', decidedUs: T + 30_000_000 },
  sensorCount: 5,
  location: { lat: 38.6461234, lon: -121.4440987 },
  ellipse95: ELLIPSE,
  area: AREA,
  radiusM: AREA.circleRadiusM,
  shotTimeUs: T - 1_500_000,
  solution: { id: 3, version: 1 },
  audio: { sha256: 'ab'.repeat(32), bytes: 64_044, sensorId: 'S-014', sampleRate: 16000, durationS: 2 },
  ...o,
});
const meta = (o: Partial<MessageMeta> = {}): MessageMeta => ({
  identifier: 'earwitness-0123456789ab-1-1',
  sender: 'earwitness@centre',
  senderName: 'City acoustic centre',
  sentUs: T + 31_000_000,
  seq: 1,
  msgType: 'Alert',
  changes: ['published'],
  references: [],
  status: 'Actual',
  incidentKey: 'earwitness-0123456789ab-1',
  note: null,
  expiresUs: T + 31_000_000 + 7_200_000_000,
  audioLink: null,
  software: '0.1.0',
  ...o,
});
const update = meta({
  identifier: 'earwitness-0123456789ab-1-2',
  seq: 2,
  msgType: 'Update',
  changes: ['reclassified', 'rounds_corrected'],
  references: [{ sender: 'earwitness@centre', identifier: 'earwitness-0123456789ab-1-1', sentUs: T + 31_000_000 }],
});

describe('CAP 1.2', () => {
  it.each([
    ['a first alert', facts(), meta()],
    ['an update', facts({ class: 'probable_gunfire', classLabel: 'Probable gunfire', gunfire: false }), update],
    ['a cancel', facts(), meta({ seq: 3, msgType: 'Cancel', changes: ['cancelled'], note: 'a nail gun <really>', references: update.references })],
    [
      'an incident without location or audio',
      facts({ location: null, ellipse95: null, area: null, radiusM: null, audio: null, shotTimeUs: null, rounds: null, roundsSource: null }),
      meta(),
    ],
  ])('validates against the OASIS schema: %s', async (_name, f, m) => {
    const xml = renderCap(f, m);
    const r = await validateCap(xml);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('fails validation when the schema is broken on purpose (the validator is real)', async () => {
    const xml = renderCap(facts(), meta()).replace('<status>Actual</status>', '<status>Maybe</status>');
    expect((await validateCap(xml)).valid).toBe(false);
  });

  it('writes sent with a numeric offset, never Z', () => {
    const xml = renderCap(facts(), meta());
    expect(/<sent>([^<]+)<\/sent>/.exec(xml)![1]).toBe(`${new Date(Math.floor((T + 31_000_000) / 1e6) * 1000).toISOString().slice(0, 19)}-00:00`);
    expect(xml).not.toMatch(/<(sent|onset)>[^<]*Z</);
  });

  it('carries the circle around the area, the parameters, and the audio digest', () => {
    const xml = renderCap(facts(), meta());
    // 24.4 m semi-major, circumscribed by 1/cos(pi/32), rounded up to the metre: 25 m.
    expect(xml).toContain('<circle>38.646123,-121.444099 0.025</circle>');
    for (const [k, v] of [
      ['rounds', '3'],
      ['fullyAutomatic', 'true'],
      ['multipleShooters', 'false'],
      ['sensorCount', '5'],
      ['reviewerClass', 'gunfire_multiple'],
      ['digestAlgorithm', 'SHA-256'],
    ]) {
      expect(xml).toMatch(new RegExp(`<valueName>${k}</valueName>\\s*<value>${v}</value>`));
    }
    expect(xml).toContain(`<digest>${'ab'.repeat(32)}</digest>`);
    expect(xml).toContain('<size>64044</size>');
  });

  it("says where the network's clock ran ahead, in a parameter and the description of both formats, and validates", async () => {
    const ahead = facts({ alert: { id: 7, source: 'net', externalId: 'X-1', detectedUs: T, clockAheadUs: 7_260_000_000 } });
    const xml = renderCap(ahead, meta());
    expect(xml).toMatch(/<valueName>networkClockAheadS<\/valueName>\s*<value>7260<\/value>/);
    expect(xml).toContain("The sensor network's clock ran 2 h 01 min ahead of the review centre's");
    expect((await validateCap(xml)).valid).toBe(true);
    expect(buildJsonDocument(ahead, meta()).classification.description).toContain('clock ran 2 h 01 min ahead');
    // Within tolerance: nothing said.
    expect(renderCap(facts(), meta())).not.toContain('networkClockAheadS');
  });

  it('references every earlier message as sender,identifier,sent', () => {
    const xml = renderCap(facts(), update);
    expect(xml).toContain(`<references>earwitness@centre,earwitness-0123456789ab-1-1,${capDateTime(T + 31_000_000)}</references>`);
  });

  it('escapes what it must and drops what XML cannot hold', () => {
    const xml = renderCap(facts(), meta());
    expect(xml).toContain('north &lt;&amp;&gt; &quot;net&quot;');
    expect(xml).not.toContain('\u0001');
  });
});

describe('the JSON document', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const validate = ajv.compile(schema);

  it('is documented by a schema file generated from its definition', () => {
    expect(schema).toEqual(JSON.parse(JSON.stringify(incidentJsonSchema())));
  });

  it.each([
    ['an alert', facts(), meta()],
    ['an update', facts(), update],
    ['no location', facts({ location: null, ellipse95: null, area: null, radiusM: null, audio: null, shotTimeUs: null }), meta()],
  ])('validates against the schema with a real validator: %s', (_name, f, m) => {
    const doc = buildJsonDocument(f, m);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('carries the same facts as the CAP message, plus GeoJSON of the point and the ellipse', () => {
    const doc = buildJsonDocument(facts(), update);
    expect(doc.message).toMatchObject({
      type: 'update',
      sequence: 2,
      references: [{ identifier: 'earwitness-0123456789ab-1-1', sent: formatIsoMicros(T + 31_000_000) }],
    });
    expect(doc.location!.geometry.coordinates).toEqual([-121.4440987, 38.6461234]);
    const ring = doc.area!.geometry.coordinates[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    // The polygon circumscribes the ellipse: its farthest vertex is the semi-major axis / cos(pi/32) away.
    const far = Math.max(
      ...ring.map(([lon, lat]) => Math.hypot((lon! - -121.4440987) * 111_320 * Math.cos((38.6461 * Math.PI) / 180), (lat! - 38.6461234) * 111_320)),
    );
    expect(far).toBeCloseTo(24.4 / Math.cos(Math.PI / 32), 0);
    // Full axes, named as such.
    expect(doc.location!.properties).toMatchObject({
      locatorEllipse95: { majorAxisM: 48.8, minorAxisM: 18.2, azimuthDeg: 30 },
      area: { majorAxisM: 48.8, minorAxisM: 20, widenedToFloor: true },
    }); // the 18 m minor axis is under the 10 m floor's 20
    expect(doc.message.expires).toBe(formatIsoMicros(T + 31_000_000 + 7_200_000_000));
    expect(doc).toMatchObject({ rounds: 3, sensorCount: 5, flags: { fullyAutomatic: true }, audio: { sha256: 'ab'.repeat(32) } });
  });

  it('rejects a document that breaks the schema (the validator is real)', () => {
    const doc = { ...buildJsonDocument(facts(), meta()), rounds: -1 };
    expect(validate(doc)).toBe(false);
  });
});

/** Metres east and north of a centre, for checking containment in a local plane. */
const M_PER_DEG = 111_320;
const toLonLat = (c: { lat: number; lon: number }, east: number, north: number): [number, number] => [
  c.lon + east / (M_PER_DEG * Math.cos((c.lat * Math.PI) / 180)),
  c.lat + north / M_PER_DEG,
];

describe('honest location', () => {
  const centre = { lat: 38.6461234, lon: -121.4440987 };
  const capPolygon = (xml: string) =>
    /<polygon>([^<]+)<\/polygon>/
      .exec(xml)![1]!
      .split(' ')
      .map((p) => p.split(',').map(Number) as [number, number]);
  const capCircleKm = (xml: string) => Number(/<circle>[^ ]+ ([^<]+)<\/circle>/.exec(xml)![1]);

  it('publishes a closed polygon of lat,lon pairs that contains every point of the ellipse, and a circle that contains the polygon', async () => {
    const xml = renderCap(facts(), meta());
    expect((await validateCap(xml)).errors).toEqual([]);
    const pairs = capPolygon(xml);
    expect(pairs.length).toBeGreaterThanOrEqual(33);
    expect(pairs[0]).toEqual(pairs.at(-1));
    // lat first: every pair's first number is a latitude near the centre.
    for (const [lat, lon] of pairs) expect([Math.abs(lat - centre.lat) < 0.01, Math.abs(lon - centre.lon) < 0.01]).toEqual([true, true]);
    const polygon = [[pairs.map(([lat, lon]) => [lon, lat] as [number, number])]];
    const az = (ELLIPSE.azimuthDeg * Math.PI) / 180;
    for (let k = 0; k < 360; k++) {
      const t = (k * Math.PI) / 180;
      const along = ELLIPSE.semiMajorM * Math.cos(t) * 0.999,
        across = ELLIPSE.semiMinorM * Math.sin(t) * 0.999;
      const p = toLonLat(centre, along * Math.sin(az) + across * Math.cos(az), along * Math.cos(az) - across * Math.sin(az));
      expect(multiPolygonContains(polygon, p), `ellipse point at ${k} degrees`).toBe(true);
    }
    const radiusM = capCircleKm(xml) * 1000;
    for (const [lat, lon] of pairs) {
      const d = Math.hypot((lon - centre.lon) * M_PER_DEG * Math.cos((centre.lat * Math.PI) / 180), (lat - centre.lat) * M_PER_DEG);
      expect(d).toBeLessThanOrEqual(radiusM + 0.05); // the coordinates' own rounding (6 decimals: 0.1 m)
    }
  });

  it('never publishes an area tighter than the network supports: a 2 m ellipse becomes the 10 m floor, and says so', async () => {
    const tight = { semiMajorM: 2, semiMinorM: 1, azimuthDeg: 10 };
    const area = publishedArea({ ellipse95: tight, residualRmsMs: 0.1, gdop: 0.8, speedOfSoundMs: 343 });
    expect(area).toMatchObject({ semiMajorM: MIN_FLOOR_M, semiMinorM: MIN_FLOOR_M, floorM: MIN_FLOOR_M, widened: true });
    const xml = renderCap(facts({ ellipse95: tight, area, radiusM: area.circleRadiusM }), meta());
    expect((await validateCap(xml)).errors).toEqual([]);
    expect(capCircleKm(xml)).toBeGreaterThanOrEqual(0.01);
    expect(xml).toMatch(/<areaDesc>Acoustic location of the shot: 95 % area 20 m by 20 m[^<]*widened from the locator's 4 m by 2 m/);
  });

  it('derives the floor from the residual, the sound speed and the geometry', () => {
    // 2.448 x 343 m/s x 5 ms x GDOP 5 = 21 m: far outside the sensors, timing error costs more.
    expect(floorFor({ residualRmsMs: 5, gdop: 5, speedOfSoundMs: 343 })).toBeCloseTo(Math.sqrt(5.991) * 343 * 0.005 * 5, 6);
    // Residuals below the 2 ms picks can deliver count as 2 ms; GDOP below 1 counts as 1.
    expect(floorFor({ residualRmsMs: 0.01, gdop: 0.5, speedOfSoundMs: 343 })).toBe(MIN_FLOOR_M);
    expect(floorFor({ residualRmsMs: 20, gdop: null, speedOfSoundMs: 343 })).toBeCloseTo(Math.sqrt(5.991) * 343 * 0.02, 6);
    // A wide ellipse is not touched.
    expect(publishedArea({ ellipse95: { semiMajorM: 90, semiMinorM: 40, azimuthDeg: 5 }, residualRmsMs: 3, gdop: 1, speedOfSoundMs: 343 })).toMatchObject({
      semiMajorM: 90,
      semiMinorM: 40,
      widened: false,
    });
  });

  it('states full axes wherever a person reads them', () => {
    const e = { semiMajorM: 40, semiMinorM: 15, azimuthDeg: 0 };
    const area = publishedArea({ ellipse95: e, residualRmsMs: 3, gdop: 1, speedOfSoundMs: 343 });
    const f = facts({ ellipse95: e, area, radiusM: area.circleRadiusM });
    const xml = renderCap(f, meta());
    expect(xml).toContain('95 % area 80 m by 30 m');
    expect(xml).toContain('Located within 80 m by 30 m (95 %, full axes).');
    expect(xml).toMatch(/<valueName>areaMajorAxisM<\/valueName>\s*<value>80.0<\/value>/);
    expect(xml).not.toMatch(/40 m by 15 m/);
    expect(areaRing(centre, area).length).toBe(33);
  });

  it('sets expires on every message, after sent', async () => {
    for (const m of [meta(), update]) {
      const xml = renderCap(facts(), m);
      expect(xml).toContain(`<expires>${capDateTime(m.expiresUs)}</expires>`);
      expect((await validateCap(xml)).errors).toEqual([]);
    }
  });
});

describe('the audio resource', () => {
  it('says there is no link when the centre serves none (the desktop app alone), and still validates', async () => {
    const xml = renderCap(facts(), meta());
    expect(xml).not.toContain('<uri>');
    expect(xml).toContain('no link: this centre serves no audio links (desktop only), ask it for the clip by its digest');
    expect((await validateCap(xml)).errors).toEqual([]);
    expect(buildJsonDocument(facts(), meta()).audio!.link).toBeNull();
  });

  it('carries the clip link and the page link, with when they stop working', async () => {
    const link = { uri: 'https://centre.example/agency-audio/1.1900000000.' + 'cd'.repeat(32) + '/', expiresUs: 1_900_000_000_000_000 };
    const xml = renderCap(facts(), meta({ audioLink: link }));
    expect(xml).toContain(`<uri>${link.uri}clips/${'ab'.repeat(32)}.wav</uri>`);
    expect(xml).toContain(`<uri>${link.uri}</uri>`);
    expect(xml).toContain(`the link works until ${formatIsoMicros(link.expiresUs)}`);
    expect((await validateCap(xml)).errors).toEqual([]);
    const doc = buildJsonDocument(facts(), meta({ audioLink: link }));
    expect(doc.audio!.link).toEqual({ page: link.uri, clip: `${link.uri}clips/${'ab'.repeat(32)}.wav`, expires: formatIsoMicros(link.expiresUs) });
  });
});
