// The typed client every caller uses: one function per contract method, over any transport.
import { methodNames, type Input, type MethodName, type Output } from './contract';
import type { Result } from './result';

/** Sends one call across a boundary (IPC, HTTP) and returns main's Result unchanged. */
export type Transport = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

export type DeputyApi = { [M in MethodName]: (input: Input<M>) => Promise<Result<Output<M>>> };

export function createClient(transport: Transport): DeputyApi {
  const api: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
  for (const name of methodNames) api[name] = (input) => transport(name, input);
  return api as DeputyApi;
}
