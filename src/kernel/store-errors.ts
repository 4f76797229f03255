/** What a constraint refused, named the same on both backends. */
export type ConstraintKind = 'unique' | 'foreign_key' | 'check' | 'not_null' | 'guard';

/**
 * A row the schema refused: a duplicate key, a missing parent, a failed CHECK, a NULL, or a
 * guard trigger (the audit chain's, a label's project). The backend's message is kept.
 */
export class StoreConstraintError extends Error {
  override readonly name = 'StoreConstraintError';
  constructor(
    readonly kind: ConstraintKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A write was tried inside a read transaction. */
export class StoreReadOnlyError extends Error {
  override readonly name = 'StoreReadOnlyError';
}

/** The port used against its rules: a transaction inside a transaction, a tx used after its end. */
export class StoreUsageError extends Error {
  override readonly name = 'StoreUsageError';
}
