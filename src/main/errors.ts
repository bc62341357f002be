import type { ApiError, ErrorCode } from '../shared/result';

/** An expected failure with a message written for a person; becomes `{ ok: false, error }` at the boundary. */
export class DeputyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DeputyError';
  }

  toApiError(): ApiError {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}
