import { describe, expect, it } from 'vitest';
import { MAX_FAILED_SIGN_INS, signInRefusal } from '../../src/main/auth/signIn';
import { DEMO_PASSWORD, demoCore, tempCore, type TestCore } from './helpers';

const PASSWORD = 'a-long-enough-password';

interface AuditRow {
  log: string;
  operator: string | null;
  action: string;
  target: string | null;
  outcome: string;
  message: string;
  details: string;
}
const audit = (core: TestCore) =>
  core.app.db
    .prepare(`SELECT log, operator, action, target, outcome, message, details FROM audit_log ORDER BY seq`)
    .all() as AuditRow[];

describe('first run', () => {
  it('creates the first Super Admin, signs them in, and records it', async () => {
    const core = await tempCore();
    expect((await core.must('w1', 'app.status', {})).needsSetup).toBe(true);
    const op = await core.must('w1', 'setup.createFirstAdmin', {
      username: 'root',
      displayName: 'Rita Root',
      password: PASSWORD,
    });
    expect(op).toEqual({ username: 'root', displayName: 'Rita Root', roles: ['super_admin'] });
    const status = await core.must('w1', 'app.status', {});
    expect(status.needsSetup).toBe(false);
    expect(status.operator?.username).toBe('root');
    expect(audit(core).map((r) => r.message)).toEqual([
      'Created the first Super Admin: Rita Root (root)',
      'Signed in: Rita Root (root)',
    ]);
  });

  it('stores only an scrypt verifier, never the password', async () => {
    const core = await tempCore();
    await core.must('w1', 'setup.createFirstAdmin', { username: 'root', displayName: 'Rita Root', password: PASSWORD });
    const { password_hash } = core.app.db.prepare(`SELECT password_hash FROM principals`).get() as {
      password_hash: string;
    };
    expect(password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(password_hash).not.toContain(PASSWORD);
  });

  it('refuses a password under 12 characters, naming the field, and writes nothing but the refusal (R-L3)', async () => {
    const core = await tempCore();
    const r = await core.as('w1', 'setup.createFirstAdmin', {
      username: 'root',
      displayName: 'Rita Root',
      password: 'short',
    });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'password',
        message: 'A password needs at least 12 characters.',
      },
    });
    expect(core.app.db.prepare(`SELECT count(*) AS n FROM principals`).get()).toEqual({ n: 0 });
    expect(core.auditSince(0)).toMatchObject([
      { operator: null, action: 'setup.createFirstAdmin', outcome: 'refused', message: expect.stringContaining('12') },
    ]);
  });

  it('cannot run twice: once a Super Admin exists, set-up and the demo are refused', async () => {
    const core = await tempCore();
    await core.must('w1', 'setup.createFirstAdmin', { username: 'root', displayName: 'Rita Root', password: PASSWORD });
    const again = await core.as('w2', 'setup.createFirstAdmin', {
      username: 'evil',
      displayName: 'Eve',
      password: PASSWORD,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const demo = await core.as('w2', 'setup.loadDemo', { password: PASSWORD });
    expect(demo).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Signed in, root is refused the same, and each refusal is recorded (R-L3): no one on w2, root on w1.
    const signedIn = await core.as('w1', 'setup.loadDemo', { password: PASSWORD });
    expect(signedIn).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(core.app.db.prepare(`SELECT username FROM principals`).all()).toEqual([{ username: 'root' }]);
    expect(core.auditSince(0).filter((r) => r.outcome === 'refused')).toMatchObject([
      { operator: null, action: 'setup.createFirstAdmin', message: expect.stringContaining('already set up') },
      { operator: null, action: 'setup.loadDemo' },
      { operator: 'root', action: 'setup.loadDemo', message: expect.stringContaining('already set up') },
    ]);
  });

  it('loads the demo organisation with every kind of principal the rules need', async () => {
    const core = await demoCore();
    const rows = core.app.db.prepare(`SELECT kind, status, display_name FROM principals`).all() as {
      kind: string;
      status: string;
      display_name: string;
    }[];
    for (const kind of ['human', 'service', 'guest', 'system']) expect(rows.some((r) => r.kind === kind)).toBe(true);
    expect(rows.filter((r) => r.kind === 'service')).toHaveLength(3); // po-bot, hr-sync and supplier-portal (the demo portal's)
    expect(rows.some((r) => r.status === 'locked')).toBe(true);
    expect(rows.some((r) => r.status === 'inactive')).toBe(true);
    expect(rows.some((r) => r.display_name === '')).toBe(true);
    const roles = core.app.db.prepare(`SELECT DISTINCT role FROM principal_roles ORDER BY role`).all();
    expect(roles.map((r) => (r as { role: string }).role)).toEqual([
      'auditor',
      'iam_admin',
      'impersonator',
      'super_admin',
      'user_admin',
    ]);
    const members = core.app.db
      .prepare(
        `SELECT p.username FROM group_members m JOIN groups g ON g.id = m.group_id JOIN principals p ON p.id = m.principal_id
         WHERE g.name = 'Service Account' ORDER BY p.username`,
      )
      .all();
    expect(members).toEqual([{ username: 'hr-sync' }, { username: 'po-bot' }, { username: 'supplier-portal' }]);
    expect((await core.must('admin', 'app.status', {})).operator?.username).toBe('alice');
  });
});

describe('sign-in and lockout', () => {
  it('signs in with the right password and out again, each recorded', async () => {
    const core = await demoCore();
    const op = await core.must('w2', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
    expect(op).toEqual({ username: 'audrey', displayName: 'Audrey Auditor', roles: ['auditor'] });
    await core.must('w2', 'auth.signOut', {});
    expect((await core.must('w2', 'app.status', {})).operator).toBeNull();
    const r = await core.as('w2', 'directory.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(
      audit(core)
        .slice(-2)
        .map((a) => [a.operator, a.action]),
    ).toEqual([
      ['audrey', 'auth.signIn'],
      ['audrey', 'auth.signOut'],
    ]);
  });

  it('answers an unknown username and a wrong password alike, and records both refusals', async () => {
    const core = await demoCore();
    const unknown = await core.as('w2', 'auth.signIn', { username: 'nobody', password: 'whatever-password' });
    const wrong = await core.as('w2', 'auth.signIn', { username: 'jdoe', password: 'whatever-password' });
    expect(unknown).toEqual({ ok: false, error: { code: 'unauthenticated', message: signInRefusal(15) } });
    expect(wrong).toEqual(unknown);
    const refusals = audit(core).filter((a) => a.outcome === 'refused');
    expect(refusals.map((a) => [a.target, a.message])).toEqual([
      ['nobody', 'Sign-in refused for nobody: unknown username'],
      ['jdoe', 'Sign-in refused for jdoe: wrong password'],
    ]);
  });

  it(`locks the account after ${MAX_FAILED_SIGN_INS} wrong passwords, records it, and refuses the right one after`, async () => {
    const core = await demoCore();
    const answers = [];
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      answers.push(await core.as('w2', 'auth.signIn', { username: 'jdoe', password: `wrong-password-${i}` }));
    }
    // The answer that locks the account is the same as every other: a guesser is not told it is now locked.
    expect(answers.every((a) => !a.ok && a.error.message === signInRefusal(15))).toBe(true);
    expect(core.app.db.prepare(`SELECT status FROM principals WHERE username = 'jdoe'`).get()).toEqual({
      status: 'locked',
    });

    const change = audit(core).find((a) => a.log === 'history' && a.target === 'jdoe');
    expect(change).toMatchObject({
      action: 'principal.status',
      message: 'Jane Doe (jdoe) locked after 5 failed sign-ins (for 15 minutes)',
    });
    expect(JSON.parse(change!.details)).toMatchObject({ field: 'status', old: 'active', new: 'locked' });

    const right = await core.as('w2', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD });
    expect(right).toEqual({ ok: false, error: { code: 'unauthenticated', message: signInRefusal(15) } });
  });

  it('counts only consecutive failures: a good sign-in resets the count', async () => {
    const core = await demoCore();
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) {
      await core.as('w2', 'auth.signIn', { username: 'jdoe', password: 'wrong-password-x' });
    }
    await core.must('w2', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD });
    await core.as('w3', 'auth.signIn', { username: 'jdoe', password: 'wrong-password-x' });
    expect(core.app.db.prepare(`SELECT status, failed_sign_ins FROM principals WHERE username = 'jdoe'`).get()).toEqual(
      {
        status: 'active',
        failed_sign_ins: 1,
      },
    );
  });

  it('refuses locked, inactive, guest, system and service accounts', async () => {
    const core = await demoCore();
    for (const username of ['lou', 'olive', 'gary.guest', 'system', 'po-bot']) {
      const r = await core.as('w2', 'auth.signIn', { username, password: DEMO_PASSWORD });
      expect(r.ok, username).toBe(false);
    }
  });

  it('ends the session of an operator who is locked meanwhile', async () => {
    const core = await demoCore();
    await core.must('w2', 'auth.signIn', { username: 'ivan', password: DEMO_PASSWORD });
    core.app.db.prepare(`UPDATE principals SET status = 'locked' WHERE username = 'ivan'`).run();
    const r = await core.as('w2', 'directory.list', {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'Your account is no longer active, so your session ended.' },
    });
  });
});

describe('idle lock', () => {
  it('locks the session after the idle setting (15 minutes by default), with a notice and a record', async () => {
    const core = await demoCore();
    core.clock.advance(14 * 60_000);
    expect((await core.as('admin', 'directory.list', {})).ok).toBe(true); // activity restarts the count
    core.clock.advance(15 * 60_000);
    expect((await core.as('admin', 'directory.list', {})).ok).toBe(true);
    core.clock.advance(15 * 60_000 + 1);
    const r = await core.as('admin', 'directory.list', {});
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'unauthenticated',
        message: 'Your session locked after 15 minutes without activity. Sign in again.',
      },
    });
    expect(audit(core).at(-1)).toMatchObject({ operator: 'alice', action: 'session.idleLock' });
  });

  it("does not count the window's status checks as activity", async () => {
    const core = await demoCore();
    for (let i = 0; i < 3; i++) {
      core.clock.advance(5 * 60_000);
      expect((await core.must('admin', 'app.status', {})).operator?.username).toBe('alice');
    }
    core.clock.advance(1);
    const status = await core.must('admin', 'app.status', {});
    expect(status.operator).toBeNull();
    expect(status.sessionNotice).toBe('Your session locked after 15 minutes without activity. Sign in again.');
  });

  it('follows the setting when an administrator changes it', async () => {
    const core = await demoCore();
    expect(await core.must('admin', 'settings.update', { idleLockMinutes: 30 })).toMatchObject({ idleLockMinutes: 30 });
    core.clock.advance(29 * 60_000);
    expect((await core.as('admin', 'directory.list', {})).ok).toBe(true);
    expect(audit(core).find((a) => a.action === 'settings.update')).toMatchObject({
      log: 'history',
      message: 'Idle lock: 15 → 30 minutes',
    });
  });

  it('refuses the setting change to a non-administrator and records the refusal', async () => {
    const core = await demoCore();
    await core.must('w2', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
    const r = await core.as('w2', 'settings.update', { idleLockMinutes: 240 });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await core.must('w2', 'settings.get', {})).idleLockMinutes).toBe(15);
    expect(audit(core).at(-1)).toMatchObject({ operator: 'audrey', outcome: 'refused', action: 'settings.update' });
  });
});
