import { formatIsoMicros } from '../util/time.ts';
import { certaintyOf, type IncidentFacts } from './facts.ts';
import { capDateTime, description, headline, type MessageMeta } from './message.ts';

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml; charset=utf-8';

// XML 1.0 cannot carry most control characters at all, even escaped: drop them.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const esc = (s: string): string =>
  s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
export function renderCap(f: IncidentFacts, m: MessageMeta): string {
  const i2 = '  ', i4 = '    ', i6 = '      ';
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<alert xmlns="${CAP_NS}">`];
  lines.push(el('identifier', m.identifier, i2), el('sender', m.sender, i2), el('sent', capDateTime(m.sentUs), i2), el('status', m.status, i2), el('msgType', m.msgType, i2));
  lines.push(el('source', `Earwitness ${m.software}`, i2), el('scope', 'Restricted', i2), el('restriction', 'Law enforcement and public-safety dispatch only', i2));
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
  if (f.ellipse95) {
    params.push(['ellipse95SemiMajorM', f.ellipse95.semiMajorM.toFixed(1)], ['ellipse95SemiMinorM', f.ellipse95.semiMinorM.toFixed(1)],
      ['ellipse95AzimuthDeg', f.ellipse95.azimuthDeg.toFixed(1)]);
  }
  if (f.audio) params.push(['digestAlgorithm', 'SHA-256']);
  for (const [k, v] of params) lines.push(pair('parameter', k, v, i4));

  if (f.audio) {
    lines.push(`${i4}<resource>`);
    lines.push(el('resourceDesc', `Audio of the shot as heard by sensor ${f.audio.sensorId} (${f.audio.durationS.toFixed(1)} s)`, i6));
    lines.push(el('mimeType', 'audio/wav', i6), el('size', f.audio.bytes, i6), el('digest', f.audio.sha256, i6));
    lines.push(`${i4}</resource>`);
  }
  if (f.location) {
    lines.push(`${i4}<area>`);
    const ellipse = f.ellipse95 ? ` (95 % ellipse ${f.ellipse95.semiMajorM.toFixed(0)} x ${f.ellipse95.semiMinorM.toFixed(0)} m)` : '';
    lines.push(el('areaDesc', `Acoustic location of the shot${ellipse}`, i6));
    // CAP circle: "lat,lon radius" with the radius in kilometres.
    lines.push(el('circle', `${f.location.lat.toFixed(6)},${f.location.lon.toFixed(6)} ${((f.radiusM ?? 0) / 1000).toFixed(3)}`, i6));
    lines.push(`${i4}</area>`);
  }
  lines.push(`${i2}</info>`, '</alert>', '');
  return lines.join('\n');
}
