import { CliFailure } from './errors';
import type { Core } from '../core';
import { errorLine } from '../../shared/result';
import type { Input, MethodName, Output } from '../../shared/contract';

export const CLI_CONNECTION = 'cli';

/** Calls a contract method as the CLI's one connection; a refusal becomes a CliFailure. */
export async function invoke<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const result = await core.call(CLI_CONNECTION, method, input);
  if (!result.ok) throw new CliFailure(errorLine(result.error), result.error.code === 'invalid_input' ? 2 : 1);
  return result.value as Output<M>;
}
