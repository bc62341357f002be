// Hostile inputs for the contract fuzz: wrong types, huge strings, prototype keys, deep nesting, odd unicode and
// numbers at the edges, as whole inputs and as the values of a method's own fields (so that the schema's later
// checks, and the handlers behind it, see them too). Plausible values are mixed in so some calls pass the schema.
import fc from 'fast-check';
import { z } from 'zod';
import { contract, type MethodName } from '../../src/shared/contract';

/** Keys that reach an object's prototype when code assigns by name. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** An object with own, enumerable prototype keys, as JSON.parse makes them (a literal would set the prototype). */
const protoObject = (inner: unknown): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  for (const key of PROTO_KEYS) Object.defineProperty(o, key, { value: inner, enumerable: true, writable: true });
  return o;
};

const oddStrings = [
  '\uD800', // a lone high surrogate
  'a\uDFFFb', // a lone low surrogate inside
  '\u202Eevil\u202C', // right-to-left override
  '\u200F\u200Ejdoe', // RTL and LTR marks
  'jdoe\u0000', // NUL after a real name
  '\u0000',
  '\uFEFFalice', // byte order mark
  'e\u0301\u0301\u0301', // stacked combining marks
  '\u2028\u2029', // JSON-safe line and paragraph separators
  '𝕏𝕪𝕫',
  ' ',
  '\t\n\r',
  '%00%2e%2e%2f',
  "'; DROP TABLE principals; --",
  '" OR 1=1 --',
  'flow:',
  'user:\u0000',
  'NEAR(a b) OR *',
];

const numericStrings = ['NaN', 'Infinity', '-Infinity', '1e308', '-0', '0x10', '1e-400', '9007199254740993', ' 1 ', ''];
const edgeNumbers = [NaN, Infinity, -Infinity, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 0.5, -1, 0, 2 ** 31];

/** Nested `depth` levels of objects or arrays. */
const nested = (depth: number, arrays: boolean): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
};

export interface Limits {
  /** Largest huge string: browser mode refuses bodies over 1 MiB with 413, which is tested on its own. */
  hugeString: number;
  /** Only values JSON can carry (the HTTP transport). */
  json: boolean;
}

export function hostile(limits: Limits): fc.Arbitrary<unknown> {
  const huge = fc
    .constantFrom(1_025, 10_001, 100_000, limits.hugeString)
    .chain((n) => fc.constantFrom('x'.repeat(n), '\uD800'.repeat(n), 'é'.repeat(n), `${'a'.repeat(n - 1)}\u0000`));
  const strings = fc.oneof(
    fc.constantFrom(...oddStrings),
    fc.constantFrom(...numericStrings),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    huge,
  );
  const deep = fc.tuple(fc.integer({ min: 50, max: 2_000 }), fc.boolean()).map(([d, a]) => nested(d, a));
  const proto = fc.oneof(fc.constant(protoObject({ polluted: 'yes' })), fc.constant(protoObject('x')));
  const wrongTypes = fc.constantFrom<unknown>(null, true, false, [], [1, 'a'], {}, 0, 1, -1, '', 'x');
  const anything = limits.json
    ? fc.jsonValue({ maxDepth: 4 })
    : fc.anything({
        maxDepth: 3,
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withSparseArray: true,
        withTypedArray: true,
      });
  return fc.oneof(
    strings,
    fc.constantFrom(...edgeNumbers),
    wrongTypes,
    deep,
    proto,
    anything,
    fc.array(strings, { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.constantFrom(...oddStrings)), strings, { maxKeys: 4 }),
  );
}

/** Values the demo organisation knows, so that some calls pass the schema and reach a handler. */
const POOL: unknown[] = [
  'jdoe',
  'ian',
  'po-bot',
  'nobody',
  'Purchase Request',
  'Purchase Order',
  'Finance',
  'Service Account',
  'account',
  'flow:Purchase Request',
  'user:jdoe',
  '2026-11-23T09:00:00.000Z',
  'active',
  'inactive',
  'jsonl',
  'csv',
  'text',
  'number',
  'created',
  'assigned',
  'directory.read',
  'item.create',
  'Flow Admin',
  'DPK0123456789ABCDEF0123',
  1,
  2,
  3,
  50,
  true,
  false,
  null,
  [],
  { Amount: 5, Vendor: '\u202Eevil' },
  { __proto__: null, Amount: '1e308' },
  ...oddStrings,
];
const plausible = fc.constantFrom<unknown>(...POOL);

const shapeOf = (method: MethodName): Record<string, z.ZodType> => {
  const schema: z.ZodType = contract[method].input;
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
};

/**
 * A method's fields, each from the pool's values its own schema accepts, then one field (or none) replaced by a
 * hostile value: inputs one step from valid, which reach the schema's deeper checks and, often, the handler.
 */
function nearlyValid(method: MethodName, bad: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const shape = shapeOf(method);
  const valid = Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => {
      const fits = POOL.filter((v) => schema.safeParse(v).success);
      return [key, fits.length > 0 ? fc.constantFrom(...fits) : bad];
    }),
  );
  const keys = Object.keys(shape);
  return fc
    .tuple(
      fc.record(valid, { requiredKeys: keys.filter((k) => !shape[k]!.safeParse(undefined).success) }),
      keys.length > 0 ? fc.option(fc.tuple(fc.constantFrom(...keys), bad), { nil: undefined }) : fc.constant(undefined),
    )
    .map(([record, mutation]) => (mutation ? { ...record, [mutation[0]]: mutation[1] } : record));
}

/** The keys a method's input declares (its zod object's shape), or none. */
export function fieldsOf(method: MethodName): string[] {
  return Object.keys(shapeOf(method));
}

/** Inputs for one method: a hostile value as a whole, or its own fields with hostile or plausible values. */
export function inputsFor(method: MethodName, limits: Limits): fc.Arbitrary<unknown> {
  const bad = hostile(limits);
  const value = fc.oneof({ arbitrary: bad, weight: 2 }, { arbitrary: plausible, weight: 1 });
  const fields = fieldsOf(method);
  const shaped = fc
    .tuple(
      fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom(...PROTO_KEYS, 'extra', '\u0000'), bad), { nil: undefined }),
    )
    .map(([record, extra]) => {
      const input: Record<string, unknown> = { ...record };
      if (extra) Object.defineProperty(input, extra[0], { value: extra[1], enumerable: true, writable: true });
      return input;
    });
  return fc.oneof(
    { arbitrary: nearlyValid(method, bad), weight: 3 },
    { arbitrary: shaped, weight: 2 },
    { arbitrary: bad, weight: 1 },
  );
}
