// Issue 23, "People and names": the directory creates a person and fixes a display name, both recorded in History,
// and R-S3's filter finds the people whose display name is empty so that they can be fixed.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoCore, signIn, tempCore, type TestCore } from './helpers';

const lastRecord = (core: TestCore) =>
  core.app.db
    .prepare(`SELECT log, operator, action, target, outcome, message, details FROM audit_log ORDER BY seq DESC LIMIT 1`)
    .get() as {
    log: string;
    operator: string;
    action: string;
    target: string;
    outcome: string;
    message: string;
    details: string;
  };

describe('creating a person', () => {
  it('creates an active person with no role, recorded in History without the password; they sign in', async () => {
    const core = await demoCore();
    const alice = await signIn(core, 'alice');
    const p = await core.must(alice, 'directory.create', {
      username: 'nina',
      displayName: 'Nina New',
      password: 'ninas-own-password',
    });
    expect(p).toMatchObject({ username: 'nina', displayName: 'Nina New', kind: 'human', status: 'active', roles: [] });
    const rec = lastRecord(core);
    expect(rec).toMatchObject({
      log: 'history',
      operator: 'alice',
      action: 'principal.create',
      target: 'nina',
      message: 'Created person Nina New (nina)',
    });
    expect(JSON.parse(rec.details)).toEqual({
      field: 'principal',
      old: null,
      new: { username: 'nina', displayName: 'Nina New', kind: 'human', password: 'set' },
    });
    expect(JSON.stringify(core.app.db.prepare(`SELECT * FROM audit_log`).all())).not.toContain('ninas-own-password');
    expect((await core.must('w9', 'auth.signIn', { username: 'nina', password: 'ninas-own-password' })).username).toBe(
      'nina',
    );
  });

  it('creates a guest without a password, and says they cannot sign in yet', async () => {
    const core = await demoCore();
    const ursula = await signIn(core, 'ursula');
    await core.must(ursula, 'directory.create', { username: 'gwen.guest', displayName: 'Gwen Guest', kind: 'guest' });
    expect(lastRecord(core).message).toBe(
      'Created guest Gwen Guest (gwen.guest) (no password yet: cannot sign in until one is set)',
    );
  });

  it('refuses a taken username, an empty display name and a short password, each naming its field', async () => {
    const core = await demoCore();
    const alice = await signIn(core, 'alice');
    expect(await core.as(alice, 'directory.create', { username: 'jdoe', displayName: 'Another Jane' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'The username jdoe is taken.', field: 'username' },
    });
    expect(await core.as(alice, 'directory.create', { username: 'nina', displayName: '   ' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Enter a display name.', field: 'displayName' },
    });
    expect(
      await core.as(alice, 'directory.create', { username: 'nina', displayName: 'Nina', password: 'short' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'password' } });
    expect(core.app.db.prepare(`SELECT count(*) FROM principals WHERE username = 'nina'`).pluck().get()).toBe(0);
  });

  it('is refused, and the refusal recorded, for someone who may not change the directory', async () => {
    const core = await demoCore();
    const audrey = await signIn(core, 'audrey');
    expect(await core.as(audrey, 'directory.create', { username: 'nina', displayName: 'Nina' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(lastRecord(core)).toMatchObject({ outcome: 'refused', operator: 'audrey', action: 'directory.write' });
  });
});

describe('fixing a display name (R-S3)', () => {
  it('R-S3: the empty-name filter finds kchen; naming them is recorded old → new, and the filter no longer does', async () => {
    const core = await demoCore();
    const ursula = await signIn(core, 'ursula');
    const empty = await core.must(ursula, 'directory.list', { emptyDisplayName: true });
    expect(empty.rows.map((p) => p.username)).toContain('kchen');
    expect(empty.allowed.kchen?.rename).toBe(true);

    const p = await core.must(ursula, 'directory.setDisplayName', { username: 'kchen', displayName: '  Kim Chen ' });
    expect(p.displayName).toBe('Kim Chen');
    const rec = lastRecord(core);
    expect(rec).toMatchObject({
      log: 'history',
      operator: 'ursula',
      action: 'principal.displayName',
      target: 'kchen',
      message: 'kchen display name: (empty) → Kim Chen',
    });
    expect(JSON.parse(rec.details)).toEqual({ field: 'displayName', old: '', new: 'Kim Chen' });
    const after = await core.must(ursula, 'directory.list', { emptyDisplayName: true });
    expect(after.rows.map((r) => r.username)).not.toContain('kchen');
    // …and the Impersonate dialog's search by display name finds them now.
    expect((await core.must(ursula, 'directory.list', { search: 'Kim Ch' })).rows.map((r) => r.username)).toEqual([
      'kchen',
    ]);
  });

  it('refuses an empty display name, and the same name again', async () => {
    const core = await demoCore();
    const alice = await signIn(core, 'alice');
    expect(await core.as(alice, 'directory.setDisplayName', { username: 'jdoe', displayName: ' ' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Enter a display name.', field: 'displayName' },
    });
    expect(
      await core.as(alice, 'directory.setDisplayName', { username: 'jdoe', displayName: 'Jane Doe' }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a User Admin may not rename a Super Admin (no rights beyond their own), and is not offered it', async () => {
    const core = await demoCore();
    const ursula = await signIn(core, 'ursula');
    const r = await core.as(ursula, 'directory.setDisplayName', { username: 'alice', displayName: 'Not Alice' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('You may not rename alice') },
    });
    const listed = await core.must(ursula, 'directory.list', { search: 'alice' });
    expect(listed.allowed.alice?.rename).toBe(false);
  });

  it('a service account’s display name cannot be emptied, here or under Service accounts', async () => {
    const core = await demoCore();
    const alice = await signIn(core, 'alice');
    for (const method of ['serviceAccounts.rename', 'directory.setDisplayName'] as const) {
      expect(await core.as(alice, method, { username: 'po-bot', displayName: '' }), method).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field: 'displayName' },
      });
    }
    const name = core.app.db.prepare(`SELECT display_name FROM principals WHERE username = 'po-bot'`).pluck().get();
    expect(name).not.toBe('');
    // Nor can a new one be made without one (spaces alone are none), and nothing is created.
    for (const displayName of ['', '   ']) {
      expect(await core.as(alice, 'serviceAccounts.create', { username: 'new-bot', displayName })).toEqual({
        ok: false,
        error: { code: 'invalid_input', message: 'Enter a display name.', field: 'displayName' },
      });
    }
    expect(core.app.db.prepare(`SELECT count(*) FROM principals WHERE username = 'new-bot'`).pluck().get()).toBe(0);
  });
});

describe('first run', () => {
  it('refuses to create the first Super Admin without a display name', async () => {
    const core = await tempCore();
    const r = await core.as('w1', 'setup.createFirstAdmin', {
      username: 'root',
      displayName: '',
      password: DEMO_PASSWORD,
    });
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Enter a display name.', field: 'displayName' },
    });
    expect(core.app.db.prepare(`SELECT count(*) FROM principals`).pluck().get()).toBe(0);
  });
});
