// The fuzz runner the contract and service API fuzz tests share: fast-check over one method's inputs, and what every
// answer must be.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { MethodName } from '../../src/shared/contract';
import { ERROR_CODES, type Result } from '../../src/shared/result';
import { inputsFor, type Limits } from './arbitraries';
import { digest, exceptionCount } from './state';
import type { Db } from '../../src/main/kernel/ports';

/** Inputs per method and transport; FAULT_FUZZ_RUNS raises it for a longer hunt, FAULT_FUZZ_SEED replays one. */
export const RUNS = Number(process.env.FAULT_FUZZ_RUNS ?? 40);
export const SEED = process.env.FAULT_FUZZ_SEED === undefined ? undefined : Number(process.env.FAULT_FUZZ_SEED);
/** A typed Result: ok, or an error with a known code that is not `internal` (a bug) nor `storage` (a fault). */
export function expectTyped(method: string, result: unknown): asserts result is Result<unknown> {
  expect(result, method).toBeTypeOf('object');
  const r = result as Result<unknown>;
  expect(typeof r.ok, method).toBe('boolean');
  if (!r.ok) {
    expect(ERROR_CODES, `${method}: ${JSON.stringify(r.error)}`).toContain(r.error.code);
    expect(r.error.code, `${method}: ${r.error.message}`).not.toBe('internal');
    expect(r.error.code, `${method}: ${r.error.message}`).not.toBe('storage');
    expect(typeof r.error.message).toBe('string');
  }
}

/** Object.prototype's own keys: prototype pollution adds one. */
export const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
export const PROTOTYPE = prototypeKeys();

/**
 * One input through `call`, as both fuzz tests check it: a typed answer, no Exception Log record, Object.prototype
 * untouched, and, when the call is refused, no write outside the tables `except` names. Returns the answer.
 */
export async function probeOnce(
  db: Db,
  method: MethodName,
  input: unknown,
  except: readonly string[],
  call: (m: MethodName, i: unknown) => Promise<Result<unknown>>,
): Promise<Result<unknown>> {
  const before = digest(db, except);
  const exceptions = exceptionCount(db);
  const result = await call(method, input);
  expectTyped(method, result);
  expect(exceptionCount(db), `${method}: an Exception Log record`).toBe(exceptions);
  expect(prototypeKeys(), `${method}: Object.prototype was changed`).toEqual(PROTOTYPE);
  if (!result.ok) {
    const after = digest(db, except);
    const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
    expect(changed, `${method} refused (${result.error.code}: ${result.error.message}) but wrote`).toEqual([]);
  }
  return result;
}

/** Short for a report: a counterexample may hold a 2 MB string. */
const brief = (v: unknown): string => {
  let text: string;
  try {
    text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text;
};

/** Runs the property; a failure names the seed to replay it (FAULT_FUZZ_SEED) and the input, shortened. */
export const property = async (
  method: MethodName,
  limits: Limits,
  run: (input: unknown) => Promise<void>,
  accept: (input: unknown) => boolean = () => true,
): Promise<void> => {
  const arbitrary = inputsFor(method, limits).filter(accept);
  const details = await fc.check(fc.asyncProperty(arbitrary, run), {
    numRuns: RUNS,
    ...(SEED === undefined ? {} : { seed: SEED }),
    endOnFailure: true,
  });
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : brief(details.errorInstance);
    throw new Error(
      `${method} failed after ${details.numRuns} inputs (FAULT_FUZZ_SEED=${details.seed}): ${cause.slice(0, 2000)}\n` +
        `input: ${brief(details.counterexample?.[0])}`,
    );
  }
};
