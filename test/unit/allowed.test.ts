// What the Directory offers is what main accepts: directory/allowed.ts answers, for each principal, which
// changes the caller may make, and the services refuse with the same checks. Here every answer is held
// against the service itself, for every demo principal and operators of every role, impersonating too.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCore, type TestCore } from './helpers';
import { allowedActions, directoryFacts, statusRefusal } from '../../src/main/directory/allowed';
import { resolveOperator } from '../../src/main/callers/operator';
import { findPrincipal } from '../../src/main/store/principals';
import {
  ACCOUNT_ROLES,
  PRINCIPAL_STATUSES,
  type AccountRole,
  type Principal,
  type PrincipalActions,
} from '../../src/shared/model';
import type { Input } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';

const NEW_PASSWORD = 'a-new-password-123';

/** Runs one call and undoes whatever it changed, so that every question is asked of the same directory. */
async function accepted(core: TestCore, call: () => Promise<Result<unknown>>): Promise<boolean> {
  core.app.db.exec('BEGIN');
  try {
    return (await call()).ok;
  } finally {
    core.app.db.exec('ROLLBACK');
  }
}

const toggled = (p: Principal, roles: readonly AccountRole[]): AccountRole[] =>
  ACCOUNT_ROLES.filter((r) => p.roles.includes(r) !== roles.includes(r));

/** What the services accept from `conn` on `p`, one call at a time. */
async function serviceAccepts(core: TestCore, conn: string, p: Principal): Promise<PrincipalActions> {
  const { username } = p;
  const actions: PrincipalActions = { statuses: [], roles: [], delete: false, setPassword: false, rename: false };
  // Locked too, which the contract refuses: nothing may offer it.
  for (const status of PRINCIPAL_STATUSES) {
    const input = { username, status } as Input<'directory.setStatus'>;
    if (await accepted(core, () => core.as(conn, 'directory.setStatus', input))) {
      actions.statuses.push(status);
    }
  }
  for (const role of ACCOUNT_ROLES) {
    const roles = toggled(p, [role]);
    if (await accepted(core, () => core.as(conn, 'directory.setRoles', { username, roles }))) actions.roles.push(role);
  }
  actions.delete = await accepted(core, () => core.as(conn, 'directory.delete', { username }));
  actions.setPassword = await accepted(core, () =>
    core.as(conn, 'directory.setPassword', { username, password: NEW_PASSWORD }),
  );
  actions.rename = await accepted(core, () =>
    core.as(conn, 'directory.setDisplayName', { username, displayName: `${p.displayName} (renamed)` }),
  );
  return actions;
}

/** Asks allowed.ts and the listing about every principal, and checks both against the services. */
async function expectOffersMatchServices(core: TestCore, conn: string): Promise<void> {
  const caller = resolveOperator(core.app, conn)!;
  const everyone = core.app.db.prepare(`SELECT username FROM principals ORDER BY username`).pluck().all() as string[];
  const listed = await core.as(conn, 'directory.list', { limit: 500 });
  for (const username of everyone) {
    const p = findPrincipal(core.app.db, username)!;
    const expected = await serviceAccepts(core, conn, p);
    const who = `${caller.onBehalfOf ? `${caller.username} as ${caller.onBehalfOf.username}` : caller.username} → ${username}`;
    expect(allowedActions(directoryFacts(core.app), caller, p), who).toEqual(expected);
    // Whoever may read the directory gets the same answers with its rows.
    if (listed.ok) expect(listed.value.allowed[username], who).toEqual(expected);
    // The roles that may be changed one at a time may be changed together (allowed.ts relies on it).
    if (expected.roles.length > 1) {
      const roles = toggled(p, expected.roles);
      expect(await accepted(core, () => core.as(conn, 'directory.setRoles', { username, roles })), who).toBe(true);
    }
  }
}

describe('directory/allowed.ts: what the Directory offers is what the services accept', () => {
  it('R-K1: for every demo principal, as a Super Admin, IAM Admin, User Admin, Auditor, Impersonator and a person without roles', async () => {
    const core = await demoCore();
    const operators = ['ivan', 'ursula', 'audrey', 'ian', 'jdoe'];
    for (const username of operators) await core.must(username, 'auth.signIn', { username, password: DEMO_PASSWORD });
    // Nobody can read the directory without a role: the listing is refused, and so is every change.
    expect(await core.as('jdoe', 'directory.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const conn of ['admin', ...operators]) await expectOffersMatchServices(core, conn);
    // A few of those answers, spelled out: a User Admin over the last active Super Admin, and over an IAM Admin.
    const { allowed } = await core.must('ursula', 'directory.list', { limit: 500 });
    expect(allowed['alice']).toEqual({
      statuses: [],
      roles: ['user_admin'],
      delete: false,
      setPassword: false,
      rename: false,
    });
    // Deactivating ivan would take away rights ursula does not hold (R-K7): not offered, as the service refuses it.
    expect(allowed['ivan']).toEqual({
      statuses: [],
      roles: ['user_admin'],
      delete: false,
      setPassword: false,
      rename: false,
    });
    // Her own name, yes: a name is no right over anyone.
    expect(allowed['ursula']).toEqual({ statuses: [], roles: [], delete: false, setPassword: false, rename: true });
  }, 120_000);

  it('R-S9: while impersonating, the impersonated user’s rights; with a second Super Admin and a running session', async () => {
    const core = await demoCore();
    // alice holds user_admin too, so she may impersonate ursula (R-S2); ivan becomes a second Super Admin,
    // so the last-Super-Admin rule lets go and an open session is what stops a deletion.
    await core.must('admin', 'directory.setRoles', {
      username: 'alice',
      roles: ['super_admin', 'impersonator', 'user_admin'],
    });
    await core.must('admin', 'directory.setRoles', {
      username: 'ivan',
      roles: ['super_admin', 'iam_admin', 'impersonator'],
    });
    await core.must('ivan', 'auth.signIn', { username: 'ivan', password: DEMO_PASSWORD });
    await core.must('as-ursula', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
    await core.must('as-ursula', 'impersonation.start', { username: 'ursula', reason: 'allowed.test' });
    for (const conn of ['as-ursula', 'ivan', 'admin']) await expectOffersMatchServices(core, conn);
    const { allowed } = await core.must('ivan', 'directory.list', { limit: 500 });
    expect(allowed['alice']?.statuses).toEqual(['inactive']); // not the last active Super Admin any more
    expect([allowed['alice']?.delete, allowed['ursula']?.delete, allowed['jdoe']?.delete]).toEqual([
      false,
      false,
      true,
    ]);
  }, 120_000);

  it('a refusal from decide() is the service’s own: sentence and rule, the rule apart from the sentence', async () => {
    const core = await demoCore();
    await core.must('jdoe', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD });
    const kchen = findPrincipal(core.app.db, 'kchen')!;
    const refusal = statusRefusal(directoryFacts(core.app), resolveOperator(core.app, 'jdoe')!, kchen, 'inactive');
    const service = await core.as('jdoe', 'directory.setStatus', { username: 'kchen', status: 'inactive' });
    expect(service.ok).toBe(false);
    expect(refusal).toEqual(service.ok ? null : service.error);
    // jdoe holds no role that grants directory.write: the role catalog decided, and the sentence does not say so.
    expect(refusal?.rule).toBe('catalog');
    expect(refusal?.message).toMatch(/^You may not do this: /);
    expect(refusal?.message).not.toMatch(/catalog|\(R-/);
  });
});
