import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { renderCap } from '../../../src/publish/cap.ts';
import type { IncidentFacts } from '../../../src/publish/facts.ts';
import { buildJsonDocument, incidentJsonSchema } from '../../../src/publish/json-doc.ts';
import { capDateTime, type MessageMeta } from '../../../src/publish/message.ts';
import { formatIsoMicros } from '../../../src/util/time.ts';
import { validateCap } from '../../support/cap-validate.ts';

const SCHEMA_FILE = new URL('../../../docs/publish/incident.schema.json', import.meta.url);
const T = 1_763_600_000_123_456;

const facts = (o: Partial<IncidentFacts> = {}): IncidentFacts => ({
  alert: { id: 7, source: 'north <&> "net"', externalId: 'NSAC-2026-000123', detectedUs: T },
  class: 'gunfire_multiple', classLabel: 'Gunfire: multiple shots', gunfire: true, rounds: 3, roundsSource: 'reviewer',
  flags: { fullyAutomatic: true, multipleShooters: false },
  decision: { id: 11, version: 1, decidedBy: 'ana\u0001 <b>', decidedUs: T + 30_000_000 },
  sensorCount: 5,
  location: { lat: 38.6461234, lon: -121.4440987 },
  ellipse95: { semiMajorM: 24.4, semiMinorM: 9.1, azimuthDeg: 30 },
  radiusM: 24.4,
  shotTimeUs: T - 1_500_000,
  solution: { id: 3, version: 1 },
  audio: { sha256: 'ab'.repeat(32), bytes: 64_044, sensorId: 'S-014', sampleRate: 16000, durationS: 2 },
  ...o,
});
const meta = (o: Partial<MessageMeta> = {}): MessageMeta => ({
  identifier: 'earwitness-0123456789ab-1-1', sender: 'earwitness@centre', senderName: 'City acoustic centre', sentUs: T + 31_000_000, seq: 1, msgType: 'Alert', changes: ['published'],
  references: [], status: 'Actual', incidentKey: 'earwitness-0123456789ab-1', note: null, software: '0.1.0', ...o,
});
const update = meta({
  identifier: 'earwitness-0123456789ab-1-2', seq: 2, msgType: 'Update', changes: ['reclassified', 'rounds_corrected'],
  references: [{ sender: 'earwitness@centre', identifier: 'earwitness-0123456789ab-1-1', sentUs: T + 31_000_000 }],
});

describe('CAP 1.2', () => {
  it.each([
    ['a first alert', facts(), meta()],
    ['an update', facts({ class: 'probable_gunfire', classLabel: 'Probable gunfire', gunfire: false }), update],
    ['a cancel', facts(), meta({ seq: 3, msgType: 'Cancel', changes: ['cancelled'], note: 'a nail gun <really>', references: update.references })],
    ['an incident without location or audio', facts({ location: null, ellipse95: null, radiusM: null, audio: null, shotTimeUs: null, rounds: null, roundsSource: null }), meta()],
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

  it('carries the circle from the ellipse, the parameters, and the audio digest', () => {
    const xml = renderCap(facts(), meta());
    expect(xml).toContain('<circle>38.646123,-121.444099 0.024</circle>');
    for (const [k, v] of [['rounds', '3'], ['fullyAutomatic', 'true'], ['multipleShooters', 'false'], ['sensorCount', '5'], ['reviewerClass', 'gunfire_multiple'], ['digestAlgorithm', 'SHA-256']]) {
      expect(xml).toMatch(new RegExp(`<valueName>${k}</valueName>\\s*<value>${v}</value>`));
    }
    expect(xml).toContain(`<digest>${'ab'.repeat(32)}</digest>`);
    expect(xml).toContain('<size>64044</size>');
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
    ['no location', facts({ location: null, ellipse95: null, radiusM: null, audio: null, shotTimeUs: null }), meta()],
  ])('validates against the schema with a real validator: %s', (_name, f, m) => {
    const doc = buildJsonDocument(f, m);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('carries the same facts as the CAP message, plus GeoJSON of the point and the ellipse', () => {
    const doc = buildJsonDocument(facts(), update);
    expect(doc.message).toMatchObject({ type: 'update', sequence: 2, references: [{ identifier: 'earwitness-0123456789ab-1-1', sent: formatIsoMicros(T + 31_000_000) }] });
    expect(doc.location!.geometry.coordinates).toEqual([-121.4440987, 38.6461234]);
    const ring = doc.ellipse!.geometry.coordinates[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    // The ellipse's farthest vertex is its semi-major axis away from the centre.
    const far = Math.max(...ring.map(([lon, lat]) => Math.hypot((lon! - -121.4440987) * 111_320 * Math.cos((38.6461 * Math.PI) / 180), (lat! - 38.6461234) * 111_320)));
    expect(far).toBeCloseTo(24.4, 0);
    expect(doc).toMatchObject({ rounds: 3, sensorCount: 5, flags: { fullyAutomatic: true }, audio: { sha256: 'ab'.repeat(32) } });
  });

  it('rejects a document that breaks the schema (the validator is real)', () => {
    const doc = { ...buildJsonDocument(facts(), meta()), rounds: -1 };
    expect(validate(doc)).toBe(false);
  });
});
