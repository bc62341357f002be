// Test fixtures: a fresh database file per test, a movable clock, and quick ways to call the core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { memoryVault } from '../../src/main/vault/memoryVault';
import type { VaultFactory } from '../../src/main/kernel/vault';
import type { Input, MethodName, Output } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';

const dirs: string[] = [];
const open: Core[] = [];
afterEach(async () => {
  for (const core of open.splice(0)) await core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deputy-test-'));
  dirs.push(dir);
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
}

export async function tempCore(vault: VaultFactory = memoryVault): Promise<TestCore> {
  const dbPath = join(tempDir(), 'deputy.db');
  const clock = new TestClock();
  const core = await createCore({ dbPath, vault, clock: clock.fn });
  open.push(core);
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
  };
}

export const DEMO_PASSWORD = 'demo-password-123';

/** A core with the demo organisation loaded; connection 'admin' is signed in as alice. */
export async function demoCore(vault?: VaultFactory): Promise<TestCore> {
  const core = await tempCore(vault);
  await core.must('admin', 'setup.loadDemo', { password: DEMO_PASSWORD });
  return core;
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
