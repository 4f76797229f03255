import type { ErrorCode } from '../contract/result.ts';

/**
 * An error a user can cause (bad file, bad input, missing alert, forbidden action).
 * Transports turn it into a typed error result with this message; anything else becomes
 * `internal` with a generic message, and the stack stays in the log.
 */
export class UserError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
