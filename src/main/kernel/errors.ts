import type { ApiError, ErrorCode } from '../../shared/result';

/** An expected failure with a message written for a person; becomes `{ ok: false, error }` at the boundary. */
export class DeputyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** True when the thrower already wrote the refusal's audit record (with more detail than dispatch could). */
    readonly recorded = false,
    /** The rule that decided the refusal, kept out of the message (ApiError.rule). */
    readonly rule?: string,
  ) {
    super(message);
    this.name = 'DeputyError';
  }

  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.rule === undefined ? {} : { rule: this.rule }),
    };
  }
}
