import { readFileSync } from 'node:fs';
import type { AlertDetail, Decision } from '../contract/index.ts';
import type { IncidentRecord, MessageRecord, NewMessage } from '../kernel/store-port.ts';
import { renderCap } from './cap.ts';
import { changeNote, withdrawalNote, withdraws } from './change-note.ts';
import { buildFacts, changesBetween, type IncidentFacts } from './facts.ts';
import { incidentKey, keyOfFirstIdentifier, messageIdentifier, type PublishIdentity } from './identity.ts';
import { renderJson } from './json-doc.ts';
import type { Change, MessageMeta, MsgType } from './message.ts';
import type { RouteOutcome } from './routing.ts';

/**
 * The outbox's rules without its reads and writes: which message a change makes and what it says.
 * The outbox on the store port (outbox-tx.ts) reads what these need, calls them and writes what
 * they return; the decide bench's frozen synchronous baseline (tests/bench/decide-sync-baseline.ts)
 * renders its messages with them too, so both publish the same bytes.
 */

const SOFTWARE: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface PublishOutcome {
  outcome: RouteOutcome | 'updated' | 'unchanged' | 'cancelled' | 'none';
  incidentId: number | null;
  messageId: number | null;
  /** Deliveries queued by this call. */
  deliveryIds: number[];
  reason: string;
}

export const noPublication = (outcome: PublishOutcome['outcome'], reason: string, incidentId: number | null = null): PublishOutcome => ({
  outcome,
  incidentId,
  messageId: null,
  deliveryIds: [],
  reason,
});

/** The newest decision version that is not undone: the one an incident reports. */
export const standingDecision = (detail: AlertDetail): Decision | undefined => detail.decisions.filter((d) => d.undoneUs === null).at(-1);

export interface ChangeInput {
  alertId: number;
  actor: string;
  nowUs: number;
  /** Set to withdraw the incident: a Cancel message with this note. */
  cancelReason?: string;
  /** Why the facts changed (a revision's notes, a re-location's reason): carried in the Update's note. */
  reason?: string | null;
}

/** The message a change of a published incident makes, or why it makes none. */
export type ChangePlan =
  | { send: false; outcome: PublishOutcome }
  | {
      send: true;
      facts: IncidentFacts;
      changes: Change[];
      msgType: MsgType;
      note: string;
      /** A Cancel: the incident ends. */
      ends: boolean;
      reinstating: boolean;
      /** Moved or reclassified (and not ending): route again, and agencies whose jurisdiction now holds it join. */
      reroute: boolean;
    };

/**
 * Which message (docs/publish/README.md), comparing the incident's facts now with its last message's:
 * - cancelIncident: Cancel, the reason in `note`;
 * - reclassified to a class that is not gunfire (nor probable gunfire): Cancel, with the new
 *   class and the reviewer's reason in `note` (the incident is withdrawn);
 * - reclassified back to gunfire after such a withdrawal: Alert again (reinstated), references all;
 * - any other change an agency sees: Update, with what changed and why in `note`.
 */
export function planChange(incident: IncidentRecord, last: MessageRecord, detail: AlertDetail, input: ChangeInput): ChangePlan {
  const decision = standingDecision(detail);
  const before = JSON.parse(last.factsJson) as IncidentFacts;
  // Without a standing decision (it was undone), the last facts stand and only a cancel can follow.
  const facts = decision ? buildFacts(detail, decision) : before;
  const reinstating =
    incident.state === 'cancelled' &&
    last.msgType === 'Cancel' &&
    last.changes.includes('reclassified') &&
    !withdraws(facts.class) &&
    input.cancelReason === undefined;
  if (incident.state === 'cancelled' && !reinstating)
    return { send: false, outcome: noPublication('cancelled', 'the incident was cancelled; nothing more is sent', incident.id) };
  const cancelling = input.cancelReason !== undefined;
  const detected = changesBetween(before, facts);
  const withdrawing = !cancelling && !reinstating && detected.includes('reclassified') && withdraws(facts.class);
  const changes: Change[] = cancelling ? ['cancelled'] : reinstating ? ['reinstated', ...detected] : withdrawing ? [...detected, 'cancelled'] : detected;
  if (changes.length === 0) return { send: false, outcome: noPublication('unchanged', 'nothing an agency sees has changed', incident.id) };
  const ends = cancelling || withdrawing;
  const note = cancelling
    ? input.cancelReason!
    : withdrawing
      ? withdrawalNote(facts, input.reason ?? null)
      : changeNote(before, facts, changes, input.reason ?? null);
  return {
    send: true,
    facts,
    changes,
    msgType: ends ? 'Cancel' : reinstating ? 'Alert' : 'Update',
    note,
    ends,
    reinstating,
    reroute: !ends && (changes.includes('moved') || changes.includes('reclassified')),
  };
}

/** The audit action of a change's message. */
export const changeAction = (plan: { ends: boolean; reinstating: boolean }): string =>
  plan.ends ? 'incident.cancelled' : plan.reinstating ? 'incident.reinstated' : 'incident.updated';

export interface MessageSpec {
  msgType: MsgType;
  changes: Change[];
  note: string | null;
  actor: string;
  nowUs: number;
}

/** What a new message's rendering reads of the store, gathered by the outbox that writes it. */
export interface MessageContext {
  identity: PublishIdentity;
  /** The incident's messages so far, oldest first. */
  earlier: MessageRecord[];
  /** Why the incident is not live (statusNote), or null. */
  statusNote: string | null;
  messageLifetimeMinutes: number;
  audioLink: MessageMeta['audioLink'];
}

/** A message version as stored: both formats rendered from one fact set. */
export function newMessage(incident: IncidentRecord, facts: IncidentFacts, spec: MessageSpec, c: MessageContext): NewMessage & { eidoJson: string | null } {
  const seq = c.earlier.length + 1;
  // The key the first message fixed: a sender or instance changed since does not split the incident.
  const key = c.earlier[0] ? keyOfFirstIdentifier(c.earlier[0].identifier) : incidentKey(c.identity, incident.id);
  const note = [c.statusNote, spec.note].filter((n): n is string => !!n).join(' ') || null;
  const meta: MessageMeta = {
    identifier: messageIdentifier(key, seq),
    sender: c.identity.sender,
    senderName: c.identity.senderName,
    sentUs: spec.nowUs,
    seq,
    msgType: spec.msgType,
    changes: spec.changes,
    references: c.earlier.map((m) => ({ sender: m.sender, identifier: m.identifier, sentUs: m.sentUs })),
    status: incident.status,
    incidentKey: key,
    note,
    expiresUs: spec.nowUs + c.messageLifetimeMinutes * 60_000_000,
    audioLink: c.audioLink,
    software: SOFTWARE,
  };
  return {
    incidentId: incident.id,
    seq,
    msgType: spec.msgType,
    identifier: meta.identifier,
    sender: meta.sender,
    sentUs: meta.sentUs,
    changes: spec.changes,
    decisionId: facts.decision.id,
    solutionId: facts.solution?.id ?? null,
    factsJson: JSON.stringify(facts),
    capXml: renderCap(facts, meta),
    jsonBody: renderJson(facts, meta),
    eidoJson: null,
    createdBy: spec.actor,
  };
}
