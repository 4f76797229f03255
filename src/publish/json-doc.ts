import { z } from 'zod';
import { DECISION_CLASSES } from '../contract/index.ts';
import { formatIsoMicros } from '../util/time.ts';
import { certaintyOf, type IncidentFacts } from './facts.ts';
import { areaRing } from './area.ts';
import { round7 } from './geometry.ts';
import { description, headline, type MessageMeta } from './message.ts';

export const JSON_FORMAT = 'earwitness-incident/2';
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const Iso = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .describe('UTC instant with microseconds');
const Ref = z.object({ sender: z.string(), identifier: z.string(), sent: Iso }).strict();
const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const Ellipse = z
  .object({
    majorAxisM: z.number().min(0).describe('full length of the long axis, metres (not the semi-axis)'),
    minorAxisM: z.number().min(0).describe('full length of the short axis, metres'),
    azimuthDeg: z.number().describe('bearing of the long axis, degrees clockwise from north'),
  })
  .strict();
const Area = Ellipse.extend({
  floorRadiusM: z.number().min(0).describe('the least semi-axis the network timing and the solution residual support (docs/publish/README.md)'),
  widenedToFloor: z.boolean().describe("true when the locator's ellipse was tighter than the floor and was widened to it"),
  circleRadiusM: z.number().min(0).describe('radius of the circle that contains the area polygon (the CAP circle)'),
}).strict();

/**
 * The JSON document, version 2 (2 named the ellipse by its full axes, published the widened area, added expires). Its JSON Schema (docs/publish/incident.schema.json) is generated
 * from this by `npx tsx scripts/publish-schema.ts`; a test keeps the two equal.
 */
export const IncidentDocument = z
  .object({
    format: z.literal(JSON_FORMAT),
    message: z
      .object({
        identifier: z.string().describe('unique per message; the same as the CAP identifier'),
        sender: z.string(),
        sent: Iso,
        type: z.enum(['alert', 'update', 'cancel']),
        sequence: z.number().int().min(1).describe('1 for the first message of an incident, then 2, 3 ...'),
        changes: z.array(z.enum(['published', 'reclassified', 'rounds_corrected', 'flags_corrected', 'moved', 'cancelled', 'reinstated'])),
        references: z.array(Ref).describe('every earlier message of this incident, oldest first'),
        status: z.enum(['actual', 'exercise', 'test']),
        note: z.string().nullable().describe('why it is not live (exercise, test), what changed and why (update), why it was withdrawn (cancel)'),
        expires: Iso.describe('when the information stops being in effect (CAP expires)'),
      })
      .strict(),
    incident: z
      .object({
        key: z.string().describe('stable across all messages of the incident (CAP incidents)'),
        alert: z.object({ source: z.string(), id: z.string(), detected: Iso }).strict(),
      })
      .strict(),
    classification: z
      .object({
        class: z.enum(DECISION_CLASSES),
        label: z.string(),
        gunfire: z.boolean(),
        certainty: z.enum(['observed', 'likely', 'unlikely']),
        headline: z.string(),
        description: z.string(),
      })
      .strict(),
    rounds: z.number().int().min(0).nullable(),
    roundsSource: z.enum(['reviewer', 'locator']).nullable(),
    flags: z.object({ fullyAutomatic: z.boolean(), multipleShooters: z.boolean() }).strict(),
    sensorCount: z.number().int().min(0),
    decision: z.object({ version: z.number().int().min(1), decidedBy: z.string(), decided: Iso }).strict(),
    shotTime: Iso.nullable(),
    location: z
      .object({
        type: z.literal('Feature'),
        geometry: z.object({ type: z.literal('Point'), coordinates: LonLat }).strict(),
        properties: z
          .object({
            locatorEllipse95: Ellipse.nullable().describe("the locator's 95 % ellipse as it computed it"),
            area: Area.describe('the 95 % area published: the ellipse, widened to the floor where it was tighter'),
          })
          .strict(),
      })
      .strict()
      .nullable()
      .describe('GeoJSON Feature of the located shot (WGS84), null when none was located'),
    area: z
      .object({
        type: z.literal('Feature'),
        geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(LonLat).min(4)).length(1) }).strict(),
        properties: z.object({ confidence: z.literal(0.95) }).strict(),
      })
      .strict()
      .nullable()
      .describe('GeoJSON Feature of the published 95 % area as a polygon that contains the ellipse'),
    audio: z
      .object({
        sensorId: z.string(),
        mimeType: z.literal('audio/wav'),
        bytes: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        durationS: z.number().min(0),
        link: z
          .object({
            page: z.string().describe("a page with the loudest sensor's excerpt and every sensor's clip"),
            clip: z.string().describe('this clip'),
            expires: Iso,
          })
          .strict()
          .nullable()
          .describe('signed, expiring links to the audio; null when the centre serves none (desktop only)'),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type IncidentDocument = z.infer<typeof IncidentDocument>;

const d1 = (v: number): number => Math.round(v * 10) / 10;
const fullAxes = (e: { semiMajorM: number; semiMinorM: number; azimuthDeg: number }) => ({
  majorAxisM: d1(2 * e.semiMajorM),
  minorAxisM: d1(2 * e.semiMinorM),
  azimuthDeg: d1(e.azimuthDeg),
});

export function buildJsonDocument(f: IncidentFacts, m: MessageMeta): IncidentDocument {
  const loc = f.location;
  return {
    format: JSON_FORMAT,
    message: {
      identifier: m.identifier,
      sender: m.sender,
      sent: formatIsoMicros(m.sentUs),
      type: m.msgType.toLowerCase() as 'alert' | 'update' | 'cancel',
      sequence: m.seq,
      changes: m.changes,
      references: m.references.map((r) => ({ sender: r.sender, identifier: r.identifier, sent: formatIsoMicros(r.sentUs) })),
      status: m.status.toLowerCase() as 'actual' | 'exercise' | 'test',
      note: m.note,
      expires: formatIsoMicros(m.expiresUs),
    },
    incident: { key: m.incidentKey, alert: { source: f.alert.source, id: f.alert.externalId, detected: formatIsoMicros(f.alert.detectedUs) } },
    classification: {
      class: f.class,
      label: f.classLabel,
      gunfire: f.gunfire,
      certainty: certaintyOf(f.class).toLowerCase() as 'observed' | 'likely' | 'unlikely',
      headline: headline(f, m),
      description: description(f, m),
    },
    rounds: f.rounds,
    roundsSource: f.roundsSource,
    flags: { ...f.flags },
    sensorCount: f.sensorCount,
    decision: { version: f.decision.version, decidedBy: f.decision.decidedBy, decided: formatIsoMicros(f.decision.decidedUs) },
    shotTime: f.shotTimeUs === null ? null : formatIsoMicros(f.shotTimeUs),
    location:
      loc && f.area
        ? {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [round7(loc.lon), round7(loc.lat)] },
            properties: {
              locatorEllipse95: f.ellipse95 ? fullAxes(f.ellipse95) : null,
              area: { ...fullAxes(f.area), floorRadiusM: d1(f.area.floorM), widenedToFloor: f.area.widened, circleRadiusM: d1(f.area.circleRadiusM) },
            },
          }
        : null,
    area: loc && f.area ? { type: 'Feature', geometry: { type: 'Polygon', coordinates: [areaRing(loc, f.area)] }, properties: { confidence: 0.95 } } : null,
    audio: f.audio
      ? {
          sensorId: f.audio.sensorId,
          mimeType: 'audio/wav',
          bytes: f.audio.bytes,
          sha256: f.audio.sha256,
          durationS: f.audio.durationS,
          link: m.audioLink
            ? { page: m.audioLink.uri, clip: `${m.audioLink.uri}clips/${f.audio.sha256}.wav`, expires: formatIsoMicros(m.audioLink.expiresUs) }
            : null,
        }
      : null,
  };
}

export const renderJson = (f: IncidentFacts, m: MessageMeta): string => JSON.stringify(buildJsonDocument(f, m));

/** The JSON Schema of the document, as published in docs/publish/incident.schema.json. */
export function incidentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(IncidentDocument, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'urn:earwitness:schema:earwitness-incident-2',
    title: 'Earwitness incident message, version 2',
    description:
      'One message about a gunfire incident published by Earwitness: the JSON equivalent of a CAP 1.2 alert, plus GeoJSON of the location and its published 95 % area.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
