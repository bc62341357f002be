// Contract fuzzing through the service API (src/main/web/serviceApi.ts): every program method (PROGRAM_METHODS,
// iterated), as po-bot's access key acting for alice, with every shared resource granted so calls reach the
// handlers. These calls commit in groups (store/groupCommit.ts), a path the console's calls do not take. Each answer
// is a typed Result with its status (never 500 nor `internal`), and a refused call writes only its refusal record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_METHODS, type MethodName } from '../../src/shared/contract';
import { SHARED_RESOURCES } from '../../src/shared/model';
import type { Result } from '../../src/shared/result';
import { ERROR_STATUS, ON_BEHALF_OF, startServiceApi, type ServiceApi } from '../../src/main/web/serviceApi';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { demoCore, signIn, type TestCore } from '../unit/helpers';
import { RUNS, probeOnce, property } from './fuzz';
import { PROGRAM_REFUSAL_WRITES, REFUSAL_RECORD_TABLES } from './state';

const EXCEPT = [...REFUSAL_RECORD_TABLES, ...PROGRAM_REFUSAL_WRITES];

/** The service API refuses bodies over 64 KiB with 413 (tested in test/unit/serviceApi.test.ts). */
const fits = (input: unknown) => Buffer.byteLength(JSON.stringify(input) ?? '') < 60 * 1024;
const fuzzed = { methods: new Set<string>(), calls: 0, accepted: 0 };

describe('contract fuzzing, through the service API (a program’s access key)', () => {
  let core: TestCore;
  let api: ServiceApi | undefined;
  let headers: Record<string, string>;
  beforeAll(async () => {
    core = await demoCore(keytarVault, 'file'); // access key secrets live in the keychain
    await signIn(core, 'ivan');
    const key = await core.must('ivan', 'keys.create', { username: 'po-bot', days: 30 });
    for (const resource of SHARED_RESOURCES) {
      await core.as('admin', 'sharedResources.set', { serviceAccount: 'po-bot', resource, enabled: true }); // or has it
    }
    api = await startServiceApi({ callWith: core.callWith });
    headers = {
      authorization: `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString('base64')}`,
      [ON_BEHALF_OF]: 'alice',
      'content-type': 'application/json',
    };
  });
  afterAll(async () => {
    await api?.close();
    console.log(
      `service API: program methods fuzzed: ${fuzzed.methods.size} of ${PROGRAM_METHODS.length}, inputs per method: ` +
        `${RUNS} (${fuzzed.calls} calls, ${fuzzed.accepted} accepted)`,
    );
  });

  const call = async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    const res = await fetch(`${api?.url}${method}`, { method: 'POST', headers, body: JSON.stringify(input) });
    const text = await res.text();
    expect(res.status, `${method}: HTTP ${res.status} ${text.slice(0, 200)}`).not.toBe(500);
    const result = JSON.parse(text) as Result<unknown>;
    expect(res.status, method).toBe(result.ok ? 200 : ERROR_STATUS[result.error.code]);
    return result;
  };

  it.each([...PROGRAM_METHODS])('%s', async (method) => {
    await property(
      method,
      { hugeString: 20_000, json: true },
      async (input) => {
        const result = await probeOnce(core.app.db, method, input, EXCEPT, call);
        fuzzed.calls += 1;
        if (result.ok) fuzzed.accepted += 1;
      },
      fits,
    );
    fuzzed.methods.add(method);
  });
});
