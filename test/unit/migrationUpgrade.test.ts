// A database of the first released schema (test/fixtures/schema-020.db, made by 39fa648: see its README) upgraded by
// today's openDatabase: its rows survive, the policy rules hold over its people, and its schema is a new database's.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core';
import { memoryVault } from '../../src/main/vault/memoryVault';
import { DEMO_PASSWORD } from './helpers';
import { decide } from '../../src/main/policy/decide';
import { loadPolicyData } from '../../src/main/policy/source';
import { openDatabase, type Db } from '../../src/main/store/db';
import { APPLICATION_ID, LATEST_VERSION } from '../../src/main/store/migrations';
import {
  ACCOUNT_ROLES,
  FLOW_ROLES,
  FLOW_TYPES,
  PRINCIPAL_KINDS,
  PRINCIPAL_STATUSES,
  SHARED_RESOURCES,
} from '../../src/shared/model';
import type { Action, DecisionRequest, Resource } from '../../src/shared/policy';

const FIXTURE = fileURLToPath(new URL('../fixtures/schema-020.db', import.meta.url));
const FIXTURE_VERSION = 20;
/** The tables the first schema had (migrations 010 and 020). */
const FIRST_TABLES = [
  'settings',
  'principals',
  'principal_roles',
  'groups',
  'group_members',
  'flows',
  'flow_members',
  'shared_resource_grants',
  'flow_impersonation_grants',
  'audit_log',
];

const dir = mkdtempSync(join(tmpdir(), 'deputy-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let copies = 0;
/** A copy of the fixture: never open the committed file, opening a WAL database writes to it. */
function fixtureCopy(): string {
  const path = join(dir, `fixture-${++copies}.db`);
  copyFileSync(FIXTURE, path);
  return path;
}

/** The audit_log columns the first schema had: migration 110 adds the hash chain's after them. */
const FIRST_AUDIT_COLUMNS =
  'seq, ts, log, operator, effective_user, impersonator, username, action, target, outcome, message, details';

/** Columns added since the first schema, each NULL on every upgraded row (migrations 200, 230). */
const ADDED_COLUMNS: Record<string, string[]> = {
  principals: ['signin_locked_at', 'keys_last_used_at'],
  flow_members: ['self_added_from'],
};

/** Every row of a table as the first schema had it, in a stable order (some tables are WITHOUT ROWID). */
const rowsOf = (db: Database.Database, table: string) =>
  (db.prepare(`SELECT ${table === 'audit_log' ? FIRST_AUDIT_COLUMNS : '*'} FROM ${table}`).all() as object[])
    .map((r) => {
      const row = { ...(r as Record<string, unknown>) };
      for (const column of ADDED_COLUMNS[table] ?? []) {
        if (column in row && row[column] === null) delete row[column];
      }
      return row;
    })
    .map((r) => JSON.stringify(r))
    .sort();

const before = new Database(fixtureCopy());
const original = new Map(FIRST_TABLES.map((t) => [t, rowsOf(before, t)]));
const originalVersion = before.pragma('user_version', { simple: true });
before.close();

const upgradedPath = fixtureCopy();
const upgraded: Db = await openDatabase(upgradedPath);
const fresh: Db = await openDatabase(join(dir, 'fresh.db'));
afterAll(() => {
  upgraded.close();
  fresh.close();
});

describe('migrations: a database of the first released schema (39fa648) upgrades', () => {
  it('from user_version 20 to the latest, still marked as Deputy’s', () => {
    expect(originalVersion).toBe(FIXTURE_VERSION);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(upgraded.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
  });

  it('with every row of its tables unchanged; settings gain only the policy generation', () => {
    for (const table of FIRST_TABLES.filter((t) => t !== 'settings')) {
      expect(rowsOf(upgraded, table), table).toEqual(original.get(table));
    }
    expect(rowsOf(upgraded, 'settings')).toEqual(
      [...(original.get('settings') ?? []), JSON.stringify({ key: 'policy_generation', value: '0' })].sort(),
    );
  });

  it('and the fixture holds what the rules below need: every role, kind, status and flow type, groups, grants', () => {
    const values = (sql: string) => upgraded.prepare(sql).pluck().all();
    // Literal, as 39fa648 had them: the fixture cannot hold a value added to model.ts since.
    const distinct = (column: string, table: string) =>
      values(`SELECT DISTINCT ${column} FROM ${table} ORDER BY 1`).join(' ');
    expect(distinct('role', 'principal_roles')).toBe('auditor iam_admin impersonator super_admin user_admin');
    expect(distinct('kind', 'principals')).toBe('guest human service system');
    expect(distinct('status', 'principals')).toBe('active inactive locked');
    expect(distinct('type', 'flows')).toBe('app board chat dataset integration process space');
    expect(distinct('role', 'flow_members')).toBe('flow_admin initiator participant viewer');
    expect(values(`SELECT count(*) FROM flow_members WHERE group_id IS NOT NULL`)[0]).toBeGreaterThan(0);
    expect(
      values(
        `SELECT g.name || ':' || p.username FROM group_members m JOIN groups g ON g.id = m.group_id
         JOIN principals p ON p.id = m.principal_id ORDER BY 1`,
      ),
    ).toEqual([
      'Finance:ffinance',
      'Procurement:bbuyer',
      'Procurement:pmehta',
      'Service Account:hr-sync',
      'Service Account:po-bot',
    ]);
    expect(
      values(
        `SELECT f.name || ':' || p.username FROM flow_impersonation_grants i JOIN flows f ON f.id = i.flow_id
         JOIN principals p ON p.id = i.service_account_id ORDER BY 1`,
      ),
    ).toEqual(['Purchase Order:po-bot', 'Purchase Request:po-bot']);
    expect(
      values(
        `SELECT p.username || ':' || s.resource FROM shared_resource_grants s
         JOIN principals p ON p.id = s.service_account_id ORDER BY 1`,
      ),
    ).toEqual(['hr-sync:user_group_management', 'po-bot:global_my_items']);
  });
});

const data = loadPolicyData(upgraded);
const flow = (name: string): Resource => ({ type: 'flow', name });
const user = (username: string): Resource => ({ type: 'user', username });
const account: Resource = { type: 'account' };

type Case = [who: string, action: Action, resource: Resource, allowed: boolean, rule: string, onBehalfOf?: string];

function check(cases: Case[]) {
  it.each(cases)('%s: %s on %o → %s (%s)', (actor, action, resource, allowed, rule, onBehalfOf) => {
    const req: DecisionRequest = { actor, action, resource, ...(onBehalfOf ? { onBehalfOf } : {}) };
    const d = decide(data, req);
    expect(d.allowed, JSON.stringify(d.reasons)).toBe(allowed);
    expect(
      d.reasons.map((r) => r.rule),
      JSON.stringify(d.reasons),
    ).toContain(rule);
  });
}

describe('upgraded first schema, R-K1: only Super Admins and IAM Admins manage service accounts and grants', () => {
  check([
    ['alice', 'serviceAccount.create', account, true, 'R-K1'],
    ['ivan', 'sharedResource.grant', account, true, 'R-K1'],
    ['ursula', 'serviceAccount.delete', account, false, 'R-K1'],
    ['jdoe', 'sharedResource.grant', account, false, 'R-K1'],
  ]);
});

describe('upgraded first schema, R-K3: per-flow impersonation only for processes, boards and datasets', () => {
  check([
    ['alice', 'flow.impersonation', flow('Purchase Request to Order'), false, 'R-K3'],
    ['bbuyer', 'flow.impersonation', flow('Procurement Desk'), false, 'R-K3'],
    ['ffinance', 'flow.impersonation', flow('Finance Space'), false, 'R-K3'],
  ]);
});

describe('upgraded first schema, R-K4: a Flow Admin grants impersonation access; a Super Admin may add themself', () => {
  check([
    ['alice', 'flow.impersonation', flow('Purchase Request'), true, 'R-K4'],
    ['bbuyer', 'flow.impersonation', flow('Supplier Onboarding'), true, 'R-K4'],
    ['jdoe', 'flow.impersonation', flow('Purchase Order'), false, 'R-K4'],
    ['alice', 'flow.addSelfAsAdmin', flow('Purchase Order'), true, 'R-K4'],
    ['ivan', 'flow.addSelfAsAdmin', flow('Purchase Order'), false, 'R-K4'],
  ]);
});

describe('upgraded first schema, R-K5: a service account acts as U in F with its grant on F and U active in F', () => {
  check([
    ['po-bot', 'item.create', flow('Purchase Order'), true, 'R-K5', 'jdoe'],
    ['po-bot', 'item.create', flow('Approved Vendors'), false, 'R-K5', 'ffinance'],
    ['po-bot', 'item.read', flow('Purchase Order'), false, 'R-K5', 'ffinance'],
    ['po-bot', 'item.read', flow('Purchase Request'), false, 'R-K5', 'lou'],
  ]);
});

describe('upgraded first schema, R-K6: acting as U, exactly U’s rights in the flow', () => {
  check([
    ['po-bot', 'item.delete', flow('Purchase Order'), false, 'R-K6', 'jdoe'],
    ['po-bot', 'item.delete', flow('Purchase Order'), true, 'R-K6', 'bbuyer'],
    ['po-bot', 'item.complete', flow('Purchase Order'), true, 'R-K6', 'pmehta'],
  ]);
});

describe('upgraded first schema, R-K7: user and group changes only as an administrator', () => {
  check([
    ['hr-sync', 'directory.write', account, true, 'R-K7', 'ursula'],
    ['hr-sync', 'directory.write', account, false, 'R-K7', 'jdoe'],
    ['po-bot', 'directory.write', account, false, 'R-K7', 'alice'],
  ]);
});

describe('upgraded first schema, R-K8 and R-K9: the shared-resource grants it holds, and the one it lacks', () => {
  check([
    ['po-bot', 'myItems.read', account, true, 'R-K8', 'jdoe'],
    ['hr-sync', 'myItems.read', account, false, 'R-K8', 'jdoe'],
    ['hr-sync', 'flows.list', account, false, 'R-K9', 'jdoe'],
  ]);
});

describe('upgraded first schema, R-K10: a service account’s own flow role', () => {
  check([
    ['po-bot', 'item.read', flow('Purchase Order'), true, 'R-K10'],
    ['po-bot', 'item.create', flow('Purchase Order'), false, 'R-K10'],
  ]);
});

describe('upgraded first schema, R-S1, R-S2 and R-S4: who starts a session, as whom', () => {
  check([
    ['ian', 'session.start', user('jdoe'), true, 'R-S1'],
    ['audrey', 'session.start', user('jdoe'), false, 'R-S1'],
    ['ian', 'session.start', user('ursula'), false, 'R-S2'],
    ['ivan', 'session.start', user('alice'), false, 'R-S2'],
    ['ivan', 'session.start', user('ian'), true, 'R-S1'],
    ['ian', 'session.start', user('kchen'), true, 'R-S4'],
    ['ian', 'session.start', user('lou'), false, 'R-S4'],
    ['ian', 'session.start', user('olive'), false, 'R-S4'],
    ['ian', 'session.start', user('gary.guest'), false, 'R-S4'],
    ['ian', 'session.start', user('scheduler'), false, 'R-S4'],
    ['ian', 'session.start', user('po-bot'), false, 'R-S4'],
  ]);
});

describe('upgraded first schema, R-S5 and R-S9: inside a session, exactly the user’s rights, no session inside', () => {
  check([
    ['ian', 'session.start', user('pmehta'), false, 'R-S5', 'jdoe'],
    ['ian', 'item.create', flow('Purchase Request'), true, 'R-S9', 'jdoe'],
    ['ian', 'item.delete', flow('Purchase Request'), false, 'R-S9', 'jdoe'],
  ]);
});

/** Schema text without comments or layout: what SQLite enforces, not how the migration was typed. */
const normalise = (sql: string | null) =>
  sql === null
    ? null
    : sql
        .replace(/--[^\n]*/g, '')
        .replace(/\s+/g, ' ')
        // ALTER TABLE splices columns in without the spaces a hand-written CREATE TABLE has around them.
        .replace(/\s*([,)])/g, '$1')
        .replace(/\(\s*/g, '(')
        .trim();

const schemaOf = (db: Db) =>
  (
    db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all() as {
      type: string;
      name: string;
      tbl_name: string;
      sql: string | null;
    }[]
  ).map((o) => ({ ...o, sql: normalise(o.sql) }));

/**
 * 49c86bf added the hash-chain columns to migration 020 in place, after 39fa648 had released it without them;
 * migration 110 adds them to such a database with ALTER TABLE, which needs a default. That is the one difference.
 */
const CHAIN_COLUMNS_OF_020 = ', key_id TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL';
const CHAIN_COLUMNS_OF_110 =
  ", key_id TEXT NOT NULL DEFAULT '', prev_hash TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL DEFAULT ''";

describe('migrations: new and upgraded databases have the same schema', () => {
  it('every table, index, trigger and CHECK value list the same, but for the defaults 110 had to give', () => {
    const expected = schemaOf(fresh).map((o) =>
      o.name === 'audit_log' && o.type === 'table'
        ? { ...o, sql: o.sql?.replace(CHAIN_COLUMNS_OF_020, CHAIN_COLUMNS_OF_110) ?? null }
        : o,
    );
    expect(schemaOf(fresh).find((o) => o.name === 'audit_log')?.sql).toContain(CHAIN_COLUMNS_OF_020);
    expect(schemaOf(upgraded)).toEqual(expected);
  });

  /**
   * Runs an insert after adding a person and a flow to refer to (a new database has neither), and rolls it all back:
   * what the CHECKs say, without changing either database.
   */
  function tryInsert(db: Db, sql: string, params: unknown[]): string {
    try {
      db.transaction(() => {
        db.exec(`
          INSERT INTO principals (username, kind, status, created_at, updated_at)
            VALUES ('probe-owner', 'human', 'active', 'now', 'now');
          INSERT INTO flows (name, type) VALUES ('Probe Flow', 'process');
        `);
        db.prepare(sql).run(...params);
        throw new Error('rollback');
      })();
    } catch (err) {
      if (err instanceof Error && err.message === 'rollback') return 'accepted';
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_CHECK') return 'refused by CHECK';
      return `failed: ${String(err)}`;
    }
    return 'unreachable';
  }

  const owner = `(SELECT id FROM principals WHERE username = 'probe-owner')`;
  const flowId = `(SELECT id FROM flows WHERE name = 'Probe Flow')`;
  const probes = {
    'flow type': (v: string) => [`INSERT INTO flows (name, type) VALUES ('Probe', ?)`, [v]],
    'account role': (v: string) => [`INSERT INTO principal_roles (principal_id, role) VALUES (${owner}, ?)`, [v]],
    'flow role': (v: string) => [
      `INSERT INTO flow_members (flow_id, principal_id, role) VALUES (${flowId}, ${owner}, ?)`,
      [v],
    ],
    'principal kind': (v: string) => [
      `INSERT INTO principals (username, kind, status, created_at, updated_at) VALUES ('probe', ?, 'active', 'now', 'now')`,
      [v],
    ],
    'principal status': (v: string) => [
      `INSERT INTO principals (username, kind, status, created_at, updated_at) VALUES ('probe', 'human', ?, 'now', 'now')`,
      [v],
    ],
    'shared resource': (v: string) => [
      `INSERT INTO shared_resource_grants (service_account_id, resource) VALUES (${owner}, ?)`,
      [v],
    ],
  } satisfies Record<string, (v: string) => [string, unknown[]]>;

  // The values come from src/shared/model.ts on purpose: one added there without a migration that widens the CHECK
  // fails here, in both databases alike.
  it.each([
    ['flow type', [...FLOW_TYPES], 'form'],
    ['account role', [...ACCOUNT_ROLES], 'owner'],
    ['flow role', [...FLOW_ROLES], 'editor'],
    ['principal kind', [...PRINCIPAL_KINDS], 'robot'],
    ['principal status', [...PRINCIPAL_STATUSES], 'suspended'],
    ['shared resource', [...SHARED_RESOURCES], 'all_the_things'],
  ] as const)(
    '%s: new and upgraded databases accept every value model.ts lists and refuse one it does not',
    (kind, listed, unlisted) => {
      const outcome = (db: Db, v: string) => tryInsert(db, ...probes[kind](v));
      for (const v of listed) {
        expect([outcome(fresh, v), outcome(upgraded, v)], v).toEqual(['accepted', 'accepted']);
      }
      expect([outcome(fresh, unlisted), outcome(upgraded, unlisted)]).toEqual(['refused by CHECK', 'refused by CHECK']);
    },
  );
});

describe('R-L2: migration 110 chains the audit records of a first-release database', () => {
  it('opens in the console, and verify passes with the old records reported as unkeyed', async () => {
    const dbPath = fixtureCopy();
    const oldRecords = original.get('audit_log')?.length ?? 0;
    expect(oldRecords).toBeGreaterThan(0);
    const core = await createCore({ dbPath, vault: memoryVault });
    try {
      const signIn = await core.call('w', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
      expect(signIn.ok).toBe(true);
      const report = await core.call('w', 'audit.verify', {});
      // The old records unkeyed, then the sign-in's, keyed.
      expect(report).toMatchObject({ ok: true, value: { ok: true, unkeyed: oldRecords, count: oldRecords + 1 } });
    } finally {
      await core.close();
    }
  });

  it('a changed old record breaks the chain there', async () => {
    const dbPath = fixtureCopy();
    const core = await createCore({ dbPath, vault: memoryVault });
    try {
      core.app.db.exec(`DROP TRIGGER audit_log_no_update`);
      core.app.db.prepare(`UPDATE audit_log SET message = 'rewritten' WHERE seq = 1`).run();
      await core.call('w', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
      const report = await core.call('w', 'audit.verify', {});
      expect(report.ok && report.value).toMatchObject({ ok: false, break: { seq: 1, kind: 'changed' } });
    } finally {
      await core.close();
    }
  });
});

describe('issue 22 #4: an older database is backed up beside itself before it is migrated', () => {
  const backups = (path: string) => readdirSync(dir).filter((n) => n.startsWith(`${basename(path)}.schema-`));

  it('named with the old schema and the time, holding the old database as it was', () => {
    const [name, ...more] = backups(upgradedPath);
    expect(more).toEqual([]);
    expect(name).toMatch(/^fixture-\d+\.db\.schema-020\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.bak$/);
    const backup = new Database(join(dir, name!), { readonly: true });
    try {
      expect(backup.pragma('user_version', { simple: true })).toBe(FIXTURE_VERSION);
      expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const table of FIRST_TABLES) expect(rowsOf(backup, table), table).toEqual(original.get(table));
    } finally {
      backup.close();
    }
  });

  it('a new database and one already at the latest schema get none', () => {
    expect(backups(join(dir, 'fresh.db'))).toEqual([]);
  });

  it('the audit chain verifies on both: the upgraded database and the backup opened in the console', async () => {
    const dbPath = fixtureCopy();
    const core = await createCore({ dbPath, vault: memoryVault });
    const backup = core.opened.upgradeBackup;
    expect(backup).toMatchObject({ fromVersion: FIXTURE_VERSION });
    const restoredPath = join(dir, 'backup-opened.db');
    copyFileSync(backup!.path, restoredPath);
    const fromBackup = await createCore({ dbPath: restoredPath, vault: memoryVault });
    try {
      const oldRecords = original.get('audit_log')?.length ?? 0;
      for (const c of [core, fromBackup]) {
        expect(await c.call('w', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD })).toMatchObject({
          ok: true,
        });
        expect(await c.call('w', 'audit.verify', {})).toMatchObject({
          ok: true,
          value: { ok: true, unkeyed: oldRecords, count: oldRecords + 1 },
        });
      }
    } finally {
      await core.close();
      await fromBackup.close();
    }
  });
});
