// docs/service-api.openapi.json is generated from the contract, and it is true of the running service API: every
// documented path is called on a real server with a real keychain key and the document's own example input, and
// each answer — the example's, and every error a program can cause — validates against the documented schema of
// its status (read back from the committed file with z.fromJSONSchema) and against the zod schema behind it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  OPENAPI_FILE,
  errorResult,
  errorStatuses,
  serviceOpenapiJson,
  successResult,
} from '../../scripts/service-openapi';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { API_PREFIX, MAX_SERVICE_BODY, startServiceApi, type ServiceApi } from '../../src/main/web/serviceApi';
import {
  contract,
  isMethodName,
  isProgramMethod,
  PROGRAM_METHODS,
  PROGRAM_OUTPUTS,
  type ProgramMethod,
} from '../../src/shared/contract';
import type { NewAccessKey } from '../../src/shared/model';
import { demoCore, signIn, type TestCore } from './helpers';

const inKeyring = Boolean(process.env.DEPUTY_PRIVATE_KEYRING);

// What the test reads of the document: just enough of OpenAPI 3.1.
type JsonSchema = Parameters<typeof z.fromJSONSchema>[0];
interface Ref {
  $ref: string;
}
interface Media {
  schema: JsonSchema;
  example?: unknown;
}
interface Response {
  description: string;
  headers?: Record<string, { schema: JsonSchema }>;
  content: { 'application/json': Media };
}
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  example: string;
}
interface Operation {
  operationId: string;
  parameters: (Parameter | Ref)[];
  requestBody: { required: boolean; content: { 'application/json': Media } };
  responses: Record<string, Response | Ref>;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Response> };
}

const text = readFileSync(OPENAPI_FILE, 'utf8');
const doc = JSON.parse(text) as OpenApi;

/** A `#/components/…` reference, followed within the document. */
function deref<T extends object>(node: T | Ref): T {
  if (!('$ref' in node)) return node;
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);
  if (target === undefined) throw new Error(`${node.$ref} is not in the document`);
  return target as T;
}

/** Each documented path that is POST /v1/<program method>, with its method and operation (any other path fails
 * the test of paths below). */
function documented(): { path: string; method: ProgramMethod; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => {
    const method = path.slice(API_PREFIX.length);
    const op = item.post;
    const ok = path.startsWith(API_PREFIX) && isMethodName(method) && isProgramMethod(method) && op;
    return ok ? [{ path, method, op }] : [];
  });
}

const onBehalfOf = (op: Operation) => deref(op.parameters[0] ?? { $ref: '#/missing' }) as Parameter;
const response = (op: Operation, status: number): Response | undefined => {
  const r = op.responses[String(status)];
  return r && deref(r);
};

describe('docs/service-api.openapi.json', () => {
  it('is what scripts/service-openapi.ts generates from the contract now', () => {
    expect(text, 'docs/service-api.openapi.json is out of date: run npm run docs:openapi').toBe(serviceOpenapiJson());
  });

  it('has one path per program method, POST only, and no other path', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(PROGRAM_METHODS.map((m) => `${API_PREFIX}${m}`).sort());
    for (const [path, item] of Object.entries(doc.paths)) expect(Object.keys(item), path).toEqual(['post']);
    for (const { method, op } of documented()) expect(op.operationId).toBe(method);
  });

  it('documents every status the server answers errors with, on every path', () => {
    const statuses = [...errorStatuses().keys()].map(String);
    expect(statuses).toEqual(['400', '401', '403', '404', '409', '413', '500', '503']);
    for (const { path, op } of documented()) expect(Object.keys(op.responses), path).toEqual(['200', ...statuses]);
  });

  it('gives each method a valid example input, and examples that fit their own schemas', () => {
    for (const { method, op } of documented()) {
      const body = op.requestBody.content['application/json'];
      expect(contract[method].input.safeParse(body.example).success, `${method}'s example input`).toBe(true);
      expect(z.fromJSONSchema(body.schema).safeParse(body.example).success, `${method}'s example input`).toBe(true);
      const ok = response(op, 200)?.content['application/json'];
      expect(successResult(method).safeParse(ok?.example).success, `${method}'s 200 example`).toBe(true);
      expect(z.fromJSONSchema(ok?.schema ?? false).safeParse(ok?.example).success, `${method}'s 200 example`).toBe(
        true,
      );
    }
    for (const [name, r] of Object.entries(doc.components.responses)) {
      const media = r.content['application/json'];
      if (media.example === undefined) continue;
      expect(z.fromJSONSchema(media.schema).safeParse(media.example).success, `${name}'s example`).toBe(true);
    }
  });
});

const basic = (keyId: string, secret: string) => `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`;

/** What the test does to cause each documented error example, on any documented path. */
type Provocation = { headers?: Record<string, string | null>; body?: string };
const provoke = (key: NewAccessKey): Record<number, Provocation> => ({
  400: { headers: { 'deputy-on-behalf-of': null } }, // the user to act for is not named
  401: { headers: { authorization: basic(key.id, 'not-the-secret') } },
  404: { headers: { 'deputy-on-behalf-of': 'nobody' } },
  413: { body: 'x'.repeat(MAX_SERVICE_BODY + 1) },
});
/** Other errors a program can cause: each must fit its status's documented schema too (no example to equal). */
const MORE: [string, number, Provocation][] = [
  ['no Authorization header', 401, { headers: { authorization: null } }],
  ['an Authorization header that is not Basic', 401, { headers: { authorization: 'Bearer abc' } }],
  ['a body that is not JSON', 400, { body: '{"action": ' }],
  ['an input with a field the method does not take', 400, { body: '{"unknown": 1}' }],
];

describe.skipIf(!inKeyring)(
  'the running service API answers as documented (skipped outside scripts/with-keyring: it needs a real OS keychain for the access key)',
  () => {
    let server: ServiceApi;
    let key: NewAccessKey;
    let core: TestCore;
    beforeAll(async () => {
      core = await demoCore(keytarVault, 'file');
      await signIn(core, 'ivan');
      // The R-K7 and R-K9 examples act through the shared resources; in the demo po-bot holds only global_my_items.
      for (const resource of ['user_group_management', 'all_flows_integrations'] as const) {
        await core.must('ivan', 'sharedResources.set', { serviceAccount: 'po-bot', resource, enabled: true });
      }
      key = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
      server = await startServiceApi({ callWith: core.callWith });
    });
    afterAll(() => server?.close());

    /** POSTs to a documented path as the document says: Basic key, the user to act for, the example body. */
    async function call(path: string, op: Operation, change: Provocation = {}) {
      const param = onBehalfOf(op);
      const example = op.requestBody.content['application/json'].example;
      const headers: Record<string, string | null> = {
        'content-type': 'application/json',
        authorization: basic(key.id, key.secret),
        [param.name]: param.example,
        ...change.headers,
      };
      const sent = Object.entries(headers).filter((h): h is [string, string] => h[1] !== null);
      const res = await fetch(new URL(path, server.url), {
        method: 'POST',
        headers: sent,
        body: change.body ?? JSON.stringify(example),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
    }

    /** The answer has a documented status, and fits that status's documented schema and headers. */
    function expectDocumented(op: Operation, answer: Awaited<ReturnType<typeof call>>): Response {
      const documentedResponse = response(op, answer.status);
      expect(documentedResponse, `status ${answer.status} is documented`).toBeDefined();
      const r = documentedResponse as Response;
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      const schema = z.fromJSONSchema(r.content['application/json'].schema);
      expect(schema.safeParse(answer.body).error?.issues ?? []).toEqual([]);
      for (const [name, header] of Object.entries(r.headers ?? {})) {
        expect(z.fromJSONSchema(header.schema).safeParse(answer.headers.get(name)).success, name).toBe(true);
      }
      return r;
    }

    it.each(documented())(
      '$path with its example input answers 200 and the documented value',
      async ({ path, method, op }) => {
        const answer = await call(path, op);
        expect(answer.status).toBe(200);
        const r = expectDocumented(op, answer);
        const body = successResult(method).parse(answer.body);
        expect(PROGRAM_OUTPUTS[method].safeParse(body.value).success).toBe(true);
        expect(answer.body, 'the documented 200 example is what the demo answers').toEqual(
          r.content['application/json'].example,
        );
      },
    );

    it.each(documented())('$path answers each documented error example as documented', async ({ path, op }) => {
      const examples = Object.entries(op.responses)
        .map(([status, r]) => [Number(status), deref(r).content['application/json'].example] as const)
        .filter(([status, example]) => status !== 200 && example !== undefined);
      expect(examples.length).toBeGreaterThan(0);
      for (const [status, example] of examples) {
        const provocation = provoke(key)[status];
        expect(provocation, `the test knows how to cause the ${status} example`).toBeDefined();
        const answer = await call(path, op, provocation);
        expect(answer.status).toBe(status);
        expectDocumented(op, answer);
        expect(errorResult(status).safeParse(answer.body).success).toBe(true);
        expect(answer.body).toEqual(example);
      }
      // Each path's 401 example is a failed check of the key; ten within a minute lock it, and there are more paths
      // than that. The demo core's clock stands still unless moved: move it past the minute the failures count in.
      core.clock.advance(61_000);
    });

    it.each(documented())('$path answers other errors within their documented schemas', async ({ path, op }) => {
      for (const [what, status, provocation] of MORE) {
        const answer = await call(path, op, provocation);
        expect(answer.status, what).toBe(status);
        expectDocumented(op, answer);
        expect(errorResult(status).safeParse(answer.body).success, what).toBe(true);
      }
    });
  },
);
