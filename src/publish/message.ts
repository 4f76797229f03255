import { axesInWords } from './area.ts';
import type { IncidentFacts } from './facts.ts';

export type MsgType = 'Alert' | 'Update' | 'Cancel';
export type Change = 'published' | 'reclassified' | 'rounds_corrected' | 'flags_corrected' | 'moved' | 'cancelled' | 'reinstated';

export interface MessageRef {
  sender: string;
  identifier: string;
  sentUs: number;
}

/** Everything about one message version except the incident's facts. */
export interface MessageMeta extends MessageRef {
  /** CAP `senderName`: the centre as people read it. */
  senderName: string;
  seq: number;
  msgType: MsgType;
  changes: Change[];
  /** Every earlier message of the incident, oldest first. */
  references: MessageRef[];
  /** CAP status: the incident's, from its source's status when it was first published. */
  status: 'Actual' | 'Exercise' | 'Test';
  /** Stable id of the incident across its messages (CAP `incidents`). */
  incidentKey: string;
  /** CAP `note`: why it is not live (Exercise, Test), what changed (Update), why it was withdrawn (Cancel). */
  note: string | null;
  /** CAP `expires`: sent + the message lifetime (a setting; each message starts its own). */
  expiresUs: number;
  /** The signed, expiring link to the incident's audio (resource uri); null when no host serves links. */
  audioLink: { uri: string; expiresUs: number } | null;
  /** The Earwitness version that wrote the message. */
  software: string;
}

export interface RenderedMessage {
  cap: string;
  json: string;
}

/** CAP date-time: seconds and a numeric offset. CAP 1.2 writes UTC as -00:00 and forbids Z. */
export function capDateTime(us: number): string {
  return `${new Date(Math.floor(us / 1_000_000) * 1000).toISOString().slice(0, 19)}-00:00`;
}

/** A one-line description a dispatcher can read aloud. */
export function headline(f: IncidentFacts, m: MessageMeta): string {
  if (m.msgType === 'Cancel') return m.changes.includes('reclassified') ? `Cancelled: reclassified as ${f.classLabel}` : `Cancelled: ${f.classLabel}`;
  const rounds = f.rounds !== null && f.gunfire ? `, ${f.rounds} round${f.rounds === 1 ? '' : 's'}` : '';
  const prefix = m.msgType === 'Update' ? `Update (${m.changes.map((c) => c.replace('_', ' ')).join(', ')}): ` : '';
  return `${prefix}${f.classLabel}${rounds}`;
}

/** "2 h 05 min", "12 min", "45 s": how far a clock ran ahead, to the minute once past one. */
function clockInWords(us: number): string {
  const s = Math.round(us / 1e6);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function description(f: IncidentFacts, m: MessageMeta): string {
  const parts = [
    `${f.classLabel} confirmed by a reviewer (decision version ${f.decision.version}) from ${f.sensorCount} acoustic sensor${f.sensorCount === 1 ? '' : 's'}.`,
  ];
  if (f.rounds !== null) parts.push(`Rounds: ${f.rounds}.`);
  if (f.flags.fullyAutomatic) parts.push('Fully automatic fire.');
  if (f.flags.multipleShooters) parts.push('Multiple shooters.');
  if (f.location && f.area) parts.push(`Located within ${axesInWords(f.area)} (95 %, full axes).`);
  if (!f.location) parts.push('No located position.');
  if (f.alert.clockAheadUs > 0)
    parts.push(
      `The sensor network's clock ran ${clockInWords(f.alert.clockAheadUs)} ahead of the review centre's: its times (detection, shot) are as it sent them.`,
    );
  if (m.msgType === 'Cancel' && m.note) parts.push(`Withdrawn: ${m.note}`);
  return parts.join(' ');
}
