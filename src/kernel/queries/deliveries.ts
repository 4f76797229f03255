import type { PublishFormat } from '../../contract/index.ts';

export type DeliveryRowState = 'pending' | 'delivered' | 'failed' | 'cancelled';
export type AttemptOutcome = 'sending' | 'delivered' | 'retry' | 'failed' | 'interrupted';

export interface NewDelivery {
  incidentId: number;
  messageId: number;
  seq: number;
  agencyId: number;
  endpointId: number;
  idempotencyKey: string;
  atUs: number;
}

/** A delivery joined with what a person needs to read it. */
export interface DeliveryRecord {
  id: number;
  incidentId: number;
  alertId: number;
  messageId: number;
  seq: number;
  msgType: 'Alert' | 'Update' | 'Cancel';
  agencyId: number;
  agencyName: string;
  endpointId: number;
  url: string;
  format: PublishFormat;
  state: DeliveryRowState;
  leaseOwner: string | null;
  leaseUntilUs: number | null;
  idempotencyKey: string;
  attempts: number;
  createdUs: number;
  windowStartUs: number;
  nextAttemptUs: number;
  deliveredUs: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface AttemptRecord {
  attempt: number;
  worker: string;
  startedUs: number;
  finishedUs: number | null;
  httpStatus: number | null;
  latencyMs: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  responseExcerpt: string | null;
}

/** A delivery claimed by a worker: what to send, where, and which attempt this is. */
export interface DeliveryClaim {
  deliveryId: number;
  attempt: number;
  endpointId: number;
  messageId: number;
  idempotencyKey: string;
  windowStartUs: number;
}

export interface AttemptResult {
  deliveryId: number;
  attempt: number;
  owner: string;
  finishedUs: number;
  httpStatus: number | null;
  latencyMs: number | null;
  outcome: Exclude<AttemptOutcome, 'sending' | 'interrupted'>;
  error: string | null;
  responseExcerpt: string | null;
  /** When to try again (outcome retry). */
  nextAttemptUs: number | null;
}

export type DeliveryCounts = Record<'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled', number>;

/**
 * The outbox. A worker claims due rows by setting a lease (owner, until) and opening an attempt
 * row in one transaction, sends, then closes the attempt and the lease in another. A crash
 * between the two leaves an open attempt and a lease, which `interrupt` turns into an
 * "interrupted" attempt and a due row: nothing lost, nothing counted twice. The worker's
 * bookkeeping transactions pass `{ durability: 'relaxed' }` to `write` (what `bookkeeping` did).
 */
export interface DeliveryQueries {
  /** Queues a message for an endpoint; returns the new row's id, or null when that pair was already queued. */
  enqueue(d: NewDelivery): Promise<number | null>;
  /**
   * Claims up to `limit` due deliveries for `owner`, skipping ids in `skip` and endpoints `accept`
   * refuses (the worker's per-endpoint cap). On PostgreSQL due rows are taken FOR UPDATE SKIP
   * LOCKED, so two workers never lease one row.
   */
  claim(
    nowUs: number,
    owner: string,
    leaseUntilUs: number,
    limit: number,
    skip: ReadonlySet<number>,
    accept?: (endpointId: number) => boolean,
  ): Promise<DeliveryClaim[]>;
  /** Closes an attempt and settles the delivery; false when the lease was no longer ours. */
  finish(r: AttemptResult): Promise<boolean>;
  /** Every leased row: the worker decides which leases belong to dead owners. */
  leases(): Promise<{ id: number; owner: string; untilUs: number }[]>;
  /** Turns a dead owner's open attempt into "interrupted" and makes the delivery due now. */
  interrupt(id: number, owner: string, nowUs: number, reason: string): Promise<boolean>;
  get(id: number): Promise<DeliveryRecord | undefined>;
  list(filter: { incidentId?: number; agencyId?: number; state?: string; limit: number }): Promise<DeliveryRecord[]>;
  attempts(id: number): Promise<AttemptRecord[]>;
  /** Makes a failed or waiting delivery due now with a fresh window; false when it is delivered, cancelled or in flight. */
  retry(id: number, nowUs: number): Promise<boolean>;
  /** Cancels every pending delivery to an agency; returns their ids. */
  cancelForAgency(agencyId: number, reason: string): Promise<number[]>;
  /** Cancels every pending delivery to one endpoint; returns their ids. */
  cancelForEndpoint(endpointId: number, reason: string): Promise<number[]>;
  /** Moves every pending delivery of an endpoint to its replacement (same message, same key); returns their ids. */
  movePending(fromEndpointId: number, toEndpointId: number): Promise<number[]>;
  nextDueUs(): Promise<number | null>;
  counts(incidentId: number, nowUs: number): Promise<DeliveryCounts>;
  idsOfMessage(messageId: number): Promise<number[]>;
  idsOfIncident(incidentId: number): Promise<number[]>;
}
