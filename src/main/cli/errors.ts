/** Bad input on the command line: exit code 2. */
export class UsageError extends Error {}

/** A refusal or failure with its exit code (1 refused or failed, 2 bad input). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
