/** Typed error results: every contract call resolves to one of these, never throws across a transport. */
export const ERROR_CODES = [
  'invalid_input', // arguments failed the method's schema
  'not_found',
  'conflict', // e.g. the alert is already decided, or claimed by someone else
  'duplicate', // the same bundle was imported before
  'bad_file', // a file the user gave cannot be read (malformed WAV, bad JSON, path escaping a bundle)
  'forbidden', // the caller's role may not do this
  'unauthenticated', // no session, or the session is locked
  'unavailable', // a part needed for this is not present (e.g. Electron-only feature on the host)
  'internal', // a bug: the log has the details
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ContractError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});
