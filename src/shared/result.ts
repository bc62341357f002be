// Errors are values across the boundary: every call answers with a Result, never a thrown Error.

export const ERROR_CODES = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'keychain_unavailable',
  'storage',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  /**
   * Written for a person, without the field's path or a rule id: the window shows it beside the field, and the
   * CLI (errorLine) prefixes the path.
   */
  message: string;
  /** The input field at fault, as a dotted path (`target.port`), when there is one. */
  field?: string;
  /** The rule that decided it (`R-K3`), when one did: shown as the "why", not in the sentence. */
  rule?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** An error on one line, for a terminal: `target.port: …` and the rule last, where a path and an id help. */
export const errorLine = (e: ApiError): string =>
  `${e.field ? `${e.field}: ` : ''}${e.message}${e.rule ? ` (${e.rule})` : ''}`;
