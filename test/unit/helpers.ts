// Test fixtures: a fresh database file per test, a movable clock, and quick ways to call the core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { memoryVault } from '../../src/main/vault/memoryVault';
import type { VaultFactory } from '../../src/main/kernel/vault';
import type { Input, MethodName, Output } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import type { AuditRow } from '../../src/main/audit/chain';

/**
 * How long a fixture lives: one test (the default), or the whole file, for a table of tests that only
 * read or are refused, over one directory (a demo core costs seconds to build).
 */
export type Lifetime = 'test' | 'file';

const made = {
  test: { dirs: [] as string[], cores: [] as Core[] },
  file: { dirs: [] as string[], cores: [] as Core[] },
};
async function cleanUp(lifetime: Lifetime): Promise<void> {
  for (const core of made[lifetime].cores.splice(0)) await core.close();
  for (const dir of made[lifetime].dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
afterEach(() => cleanUp('test'));
afterAll(() => cleanUp('file'));

export function tempDir(lifetime: Lifetime = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), 'deputy-test-'));
  made[lifetime].dirs.push(dir);
  return dir;
}

export class TestClock {
  now = new Date('2026-11-23T09:00:00.000Z');
  readonly fn = () => new Date(this.now);
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

export interface TestCore extends Core {
  dbPath: string;
  clock: TestClock;
  /** Calls a method as the given connection and returns its Result. */
  as<M extends MethodName>(connection: string, method: M, input: Input<M>): Promise<Result<Output<M>>>;
  /** Calls a method and returns its value, failing the test on an error. */
  must<M extends MethodName>(connection: string, method: M, input: Input<M>): Promise<Output<M>>;
  auditCount(): number;
  /** The seq of the newest audit record (0 when the log is empty). */
  lastSeq(): number;
  /** The audit records written after `seq`, oldest first. */
  auditSince(seq: number): AuditRow[];
}

export type { AuditRow };

export async function tempCore(vault: VaultFactory = memoryVault, lifetime: Lifetime = 'test'): Promise<TestCore> {
  const dbPath = join(tempDir(lifetime), 'deputy.db');
  const clock = new TestClock();
  const core = await createCore({ dbPath, vault, clock: clock.fn });
  made[lifetime].cores.push(core);
  const as = ((connection: string, method: MethodName, input: unknown) =>
    core.call(connection, method, input)) as TestCore['as'];
  return {
    ...core,
    dbPath,
    clock,
    as,
    async must(connection, method, input) {
      const r = await as(connection, method, input);
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    auditCount: () => (core.app.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n,
    lastSeq: () => core.app.db.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number,
    auditSince: (seq) =>
      core.app.db
        .prepare(
          `SELECT seq, log, operator, effective_user, impersonator, username, action, target, outcome, message, details
           FROM audit_log WHERE seq > ? ORDER BY seq`,
        )
        .all(seq) as AuditRow[],
  };
}

export const DEMO_PASSWORD = 'demo-password-123';

/** A core with the demo organisation loaded; connection 'admin' is signed in as alice. */
export async function demoCore(vault?: VaultFactory, lifetime: Lifetime = 'test'): Promise<TestCore> {
  const core = await tempCore(vault, lifetime);
  await core.must('admin', 'setup.loadDemo', { password: DEMO_PASSWORD });
  return core;
}

/**
 * The demo's items (src/main/setup/demoItems.ts) by id, newest first as every list answers them: jdoe's Purchase
 * Request 1 "Laptop for new hire", completed by pmehta, whose integration run made jdoe's draft Purchase Order 2
 * through po-bot; jdoe's Purchase Request 3 "Standing desk", in progress and assigned to pmehta; kchen's draft
 * Purchase Request 4 "Monitor arm". An item a test makes after loading the demo has id 5 or more.
 */
export const DEMO_ITEMS = {
  purchaseRequest: [4, 3, 1],
  purchaseOrder: [2],
  createdByJdoe: [3, 2, 1],
  createdByKchen: [4],
  assignedToPmehta: [3, 1],
} as const;

/** Signs a demo person in on a connection of their own name (or `connection`), and returns it. */
export async function signIn(core: TestCore, username: string, connection = username): Promise<string> {
  await core.must(connection, 'auth.signIn', { username, password: DEMO_PASSWORD });
  return connection;
}

/** The demo's standing check (R-K5): may service account po-bot create items as jdoe in flow Purchase Order? */
export async function poBotMayActAsJdoe(core: TestCore): Promise<boolean> {
  const decision = await core.must('admin', 'access.check', {
    actor: 'po-bot',
    onBehalfOf: 'jdoe',
    action: 'item.create',
    resource: 'flow:Purchase Order',
  });
  return decision.allowed;
}
