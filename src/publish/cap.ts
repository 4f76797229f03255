import { formatIsoMicros } from '../util/time.ts';
import { areaRing, axesInWords } from './area.ts';
import { certaintyOf, type IncidentFacts } from './facts.ts';
import { capDateTime, description, headline, type MessageMeta } from './message.ts';

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml; charset=utf-8';

// XML 1.0 cannot carry most control characters at all, even escaped: drop them.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const esc = (s: string): string => s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const el = (name: string, value: string | number, indent: string): string => `${indent}<${name}>${esc(String(value))}</${name}>`;
const pair = (name: string, valueName: string, value: string | number, indent: string): string =>
  `${indent}<${name}>\n${el('valueName', valueName, `${indent}  `)}\n${el('value', value, `${indent}  `)}\n${indent}</${name}>`;

/** CAP `references`: "sender,identifier,sent" for each earlier message, space-separated. */
export const capReferences = (m: MessageMeta): string => m.references.map((r) => `${r.sender},${r.identifier},${capDateTime(r.sentUs)}`).join(' ');

/**
 * One CAP 1.2 alert. The element order is the schema's (it is a sequence). The incident is an
 * `area` circle whose radius covers the 95 % ellipse; rounds, flags, sensor count and the
 * reviewer's class are `parameter`s; the audio is a `resource` with its SHA-256 `digest` (the
 * schema types digest as a plain string; CAP 1.2's text suggests SHA-1, so a `digestAlgorithm`
 * parameter says which it is).
 */
/** What a dispatcher reads about the area: its full axes, and whether it was widened to what the network supports. */
export function areaDescription(f: IncidentFacts): string {
  if (!f.area) return 'No located position';
  const a = f.area;
  const widened = !f.ellipse95
    ? `; the locator gave no ellipse, so this is the least area the network supports (${Math.round(a.floorM)} m radius)`
    : a.widened
      ? `; widened from the locator's ${axesInWords(f.ellipse95)}, which is tighter than the network's timing supports`
      : '';
  return `Acoustic location of the shot: 95 % area ${axesInWords(a)}, long axis bearing ${Math.round(a.azimuthDeg)} degrees${widened}`;
}

export function renderCap(f: IncidentFacts, m: MessageMeta): string {
  const i2 = '  ',
    i4 = '    ',
    i6 = '      ';
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<alert xmlns="${CAP_NS}">`];
  lines.push(
    el('identifier', m.identifier, i2),
    el('sender', m.sender, i2),
    el('sent', capDateTime(m.sentUs), i2),
    el('status', m.status, i2),
    el('msgType', m.msgType, i2),
  );
  lines.push(
    el('source', `Earwitness ${m.software}`, i2),
    el('scope', 'Restricted', i2),
    el('restriction', 'Law enforcement and public-safety dispatch only', i2),
  );
  if (m.note) lines.push(el('note', m.note, i2));
  if (m.references.length) lines.push(el('references', capReferences(m), i2));
  lines.push(el('incidents', m.incidentKey, i2));

  lines.push(`${i2}<info>`);
  lines.push(el('language', 'en-US', i4), el('category', 'Security', i4), el('event', f.classLabel, i4));
  lines.push(el('responseType', m.msgType === 'Cancel' || !f.gunfire ? 'None' : 'Assess', i4));
  lines.push(el('urgency', m.msgType === 'Cancel' ? 'Past' : 'Immediate', i4));
  lines.push(el('severity', f.gunfire ? 'Severe' : f.class === 'probable_gunfire' ? 'Moderate' : 'Minor', i4));
  lines.push(el('certainty', certaintyOf(f.class), i4));
  lines.push(pair('eventCode', 'earwitness-class', f.class, i4));
  if (f.shotTimeUs !== null) lines.push(el('onset', capDateTime(f.shotTimeUs), i4));
  lines.push(el('expires', capDateTime(m.expiresUs), i4));
  lines.push(el('senderName', m.senderName, i4), el('headline', headline(f, m).slice(0, 160), i4), el('description', description(f, m), i4));

  const params: [string, string | number][] = [
    ['reviewerClass', f.class],
    ['reviewerClassLabel', f.classLabel],
    ['rounds', f.rounds ?? 'unknown'],
    ['roundsSource', f.roundsSource ?? 'none'],
    ['fullyAutomatic', String(f.flags.fullyAutomatic)],
    ['multipleShooters', String(f.flags.multipleShooters)],
    ['sensorCount', f.sensorCount],
    ['decisionVersion', f.decision.version],
    ['decidedAt', formatIsoMicros(f.decision.decidedUs)],
    ['messageSequence', m.seq],
    ['changes', m.changes.join(' ')],
    ['alertSource', f.alert.source],
    ['alertId', f.alert.externalId],
  ];
  if (f.shotTimeUs !== null) params.push(['shotTime', formatIsoMicros(f.shotTimeUs)]);
  if (f.alert.clockAheadUs > 0) params.push(['networkClockAheadS', Math.round(f.alert.clockAheadUs / 1e6)]);
  // Full axes (a person reads "80 m by 30 m" as the whole ellipse), named for what they are.
  if (f.ellipse95) {
    params.push(
      ['locatorEllipse95MajorAxisM', (2 * f.ellipse95.semiMajorM).toFixed(1)],
      ['locatorEllipse95MinorAxisM', (2 * f.ellipse95.semiMinorM).toFixed(1)],
      ['locatorEllipse95AzimuthDeg', f.ellipse95.azimuthDeg.toFixed(1)],
    );
  }
  if (f.area) {
    params.push(
      ['areaMajorAxisM', (2 * f.area.semiMajorM).toFixed(1)],
      ['areaMinorAxisM', (2 * f.area.semiMinorM).toFixed(1)],
      ['areaAzimuthDeg', f.area.azimuthDeg.toFixed(1)],
      ['areaFloorRadiusM', f.area.floorM.toFixed(1)],
      ['areaWidenedToFloor', String(f.area.widened)],
    );
  }
  params.push(['expiresAt', formatIsoMicros(m.expiresUs)]);
  if (f.audio) params.push(['digestAlgorithm', 'SHA-256']);
  for (const [k, v] of params) lines.push(pair('parameter', k, v, i4));

  if (f.audio) {
    const link = m.audioLink;
    const until = link
      ? `; the link works until ${formatIsoMicros(link.expiresUs)}`
      : '; no link: this centre serves no audio links (desktop only), ask it for the clip by its digest';
    lines.push(`${i4}<resource>`);
    lines.push(el('resourceDesc', `Audio of the shot as heard by sensor ${f.audio.sensorId} (${f.audio.durationS.toFixed(1)} s)${until}`, i6));
    lines.push(el('mimeType', 'audio/wav', i6), el('size', f.audio.bytes, i6));
    if (link) lines.push(el('uri', `${link.uri}clips/${f.audio.sha256}.wav`, i6));
    lines.push(el('digest', f.audio.sha256, i6));
    lines.push(`${i4}</resource>`);
    if (link) {
      lines.push(`${i4}<resource>`);
      lines.push(
        el(
          'resourceDesc',
          `Listen: the loudest sensor's excerpt and every sensor's clip (a page; the link works until ${formatIsoMicros(link.expiresUs)})`,
          i6,
        ),
      );
      lines.push(el('mimeType', 'text/html', i6), el('uri', link.uri, i6));
      lines.push(`${i4}</resource>`);
    }
  }
  if (f.location && f.area) {
    lines.push(`${i4}<area>`);
    lines.push(el('areaDesc', areaDescription(f), i6));
    // CAP polygon: closed ring of "lat,lon" pairs; it circumscribes the published ellipse.
    lines.push(
      el(
        'polygon',
        areaRing(f.location, f.area)
          .map(([lon, lat]) => `${lat.toFixed(6)},${lon.toFixed(6)}`)
          .join(' '),
        i6,
      ),
    );
    // CAP circle: "lat,lon radius", the radius in kilometres, rounded up so it still contains the polygon.
    lines.push(el('circle', `${f.location.lat.toFixed(6)},${f.location.lon.toFixed(6)} ${(Math.ceil(f.area.circleRadiusM) / 1000).toFixed(3)}`, i6));
    lines.push(`${i4}</area>`);
  }
  lines.push(`${i2}</info>`, '</alert>', '');
  return lines.join('\n');
}
