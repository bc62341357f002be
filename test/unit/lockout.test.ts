// Issue 23: a lockout by failed sign-ins ends by itself after the sign-in lockout setting's minutes; a lock set on
// purpose does not; and a refused sign-in tells a stranger nothing about the account.
import { describe, expect, it } from 'vitest';
import { MAX_FAILED_SIGN_INS, signInRefusal } from '../../src/main/auth/signIn';
import { DEMO_PASSWORD, demoCore, signIn, type TestCore } from './helpers';

const MINUTE = 60_000;

async function lockOut(core: TestCore, username: string) {
  for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
    await core.as('guesser', 'auth.signIn', { username, password: `wrong-password-${i}` });
  }
  expect(status(core, username)).toBe('locked');
}
const status = (core: TestCore, username: string) =>
  core.app.db.prepare(`SELECT status FROM principals WHERE username = ?`).pluck().get(username);
const history = (core: TestCore, target: string) =>
  core.app.db
    .prepare(
      `SELECT operator, action, message, details FROM audit_log WHERE log = 'history' AND target = ? ORDER BY seq`,
    )
    .all(target) as { operator: string | null; action: string; message: string; details: string }[];

describe('sign-in lockout expiry', () => {
  it('a lockout by failed sign-ins ends after the setting’s minutes, recorded in History with no operator', async () => {
    const core = await demoCore();
    await lockOut(core, 'jdoe');
    core.clock.advance(14 * MINUTE);
    expect(await core.as('w1', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD })).toMatchObject({
      ok: false,
    });
    expect(status(core, 'jdoe')).toBe('locked');

    core.clock.advance(1 * MINUTE);
    const op = await core.must('w1', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD });
    expect(op.username).toBe('jdoe');
    expect(status(core, 'jdoe')).toBe('active');
    const unlocked = history(core, 'jdoe').at(-1)!;
    expect(unlocked).toMatchObject({
      operator: null,
      action: 'principal.status',
      message: 'Jane Doe (jdoe) unlocked: the sign-in lockout of 15 minutes expired (locked → active)',
    });
    expect(JSON.parse(unlocked.details)).toMatchObject({ field: 'status', old: 'locked', new: 'active' });
  });

  it('an expired lockout starts the count again: one wrong password does not lock the account anew', async () => {
    const core = await demoCore();
    await lockOut(core, 'jdoe');
    core.clock.advance(15 * MINUTE);
    await core.as('w1', 'auth.signIn', { username: 'jdoe', password: 'still-the-wrong-one' });
    expect(core.app.db.prepare(`SELECT status, failed_sign_ins FROM principals WHERE username = 'jdoe'`).get()).toEqual(
      { status: 'active', failed_sign_ins: 1 },
    );
  });

  it('follows the setting, which is changed with its own History record; 0 means until an administrator unlocks', async () => {
    const core = await demoCore();
    const alice = await signIn(core, 'alice');
    await core.must(alice, 'settings.update', { signInLockoutMinutes: 0 });
    expect(history(core, 'settings').at(-1)).toMatchObject({
      operator: 'alice',
      action: 'settings.update',
      message: 'Sign-in lockout: 15 → 0 minutes',
    });
    await lockOut(core, 'jdoe');
    core.clock.advance(7 * 24 * 60 * MINUTE);
    expect(await core.as('w1', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: signInRefusal(0) },
    });

    const again = await signIn(core, 'alice', 'alice-again'); // her first session locked while idle
    await core.must(again, 'settings.update', { signInLockoutMinutes: 60 });
    expect((await core.must(again, 'settings.get', {})).signInLockoutMinutes).toBe(60);
    expect((await core.must('w1', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD })).username).toBe('jdoe');
  });

  it('refuses a lockout setting out of range, saying what is allowed', async () => {
    const core = await demoCore();
    const alice = await signIn(core, 'alice');
    expect(await core.as(alice, 'settings.update', { signInLockoutMinutes: 2000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'signInLockoutMinutes', message: expect.stringMatching(/at most 1440/) },
    });
  });

  it('a lock not set by failed sign-ins never ends by itself (lou, locked in the demo)', async () => {
    const core = await demoCore();
    core.clock.advance(365 * 24 * 60 * MINUTE);
    expect(await core.as('w1', 'auth.signIn', { username: 'lou', password: DEMO_PASSWORD })).toMatchObject({
      ok: false,
    });
    expect(status(core, 'lou')).toBe('locked');
  });
});

describe('what a refused sign-in tells', () => {
  it('the same answer for an unknown, a locked, an inactive and a system account, and a wrong password', async () => {
    const core = await demoCore();
    const answers = await Promise.all(
      ['nobody', 'lou', 'olive', 'system', 'jdoe'].map((username) =>
        core.as('w1', 'auth.signIn', { username, password: 'not-their-password' }),
      ),
    );
    // lou's and olive's right password is refused the same way too.
    answers.push(await core.as('w1', 'auth.signIn', { username: 'lou', password: DEMO_PASSWORD }));
    answers.push(await core.as('w1', 'auth.signIn', { username: 'olive', password: DEMO_PASSWORD }));
    for (const a of answers) {
      expect(a).toEqual({ ok: false, error: { code: 'unauthenticated', message: signInRefusal(15) } });
    }
  });

  it('the auditor still sees the real reason in the Main Log', async () => {
    const core = await demoCore();
    await core.as('w1', 'auth.signIn', { username: 'lou', password: 'not-their-password' });
    await core.as('w1', 'auth.signIn', { username: 'olive', password: 'not-their-password' });
    const reasons = core.app.db
      .prepare(`SELECT message FROM audit_log WHERE action = 'auth.signIn' AND outcome = 'refused' ORDER BY seq`)
      .pluck()
      .all();
    expect(reasons).toEqual(['Sign-in refused for lou: account locked', 'Sign-in refused for olive: account inactive']);
  });
});
