// The policy snapshot decide() reads is rebuilt when migration 030's triggers say the directory changed. A change that
// was rolled back must not leave its snapshot in use for a later, different change.
import { describe, expect, it } from 'vitest';
import { demoCore } from './helpers';
import { identitiesNow } from '../../src/main/callers/identities';

describe('the policy snapshot', () => {
  it('is rebuilt after a rolled-back change, even when a later change follows it', async () => {
    const core = await demoCore();
    const { app } = core;
    const roles = (u: string) => app.policy().principals.get(u)?.roles;
    expect(roles('jdoe')).toEqual([]);
    const roleOf = app.db.prepare(`INSERT INTO principal_roles (principal_id, role)
      SELECT id, ? FROM principals WHERE username = ?`);
    // A change seen by decide() and then rolled back (a call that failed after writing).
    expect(() =>
      app.db.transaction(() => {
        roleOf.run('super_admin', 'jdoe');
        expect(roles('jdoe')).toEqual(['super_admin']);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    // Another change, committed, before anything reads the snapshot again.
    roleOf.run('auditor', 'kchen');
    expect(roles('kchen')).toEqual(['auditor']);
    expect(roles('jdoe')).toEqual([]);
  });
});

describe('identities kept with the snapshot (a program call’s account and user)', () => {
  it('are read once while the directory stands, and read again as soon as a principal or its roles change', async () => {
    const core = await demoCore();
    const { app } = core;
    const first = identitiesNow(app)('jdoe');
    expect(first).toMatchObject({ username: 'jdoe', displayName: 'Jane Doe', roles: [] });
    expect(identitiesNow(app)('jdoe')).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.roles)).toBe(true);

    app.db.prepare(`UPDATE principals SET display_name = 'Jane Q. Doe' WHERE username = 'jdoe'`).run();
    expect(identitiesNow(app)('jdoe')).toMatchObject({ displayName: 'Jane Q. Doe' });
    app.db
      .prepare(
        `INSERT INTO principal_roles (principal_id, role) SELECT id, 'auditor' FROM principals WHERE username = ?`,
      )
      .run('jdoe');
    expect(identitiesNow(app)('jdoe')).toMatchObject({ roles: ['auditor'] });
    // Another spelling finds the same principal (usernames are compared without case), and none is no one.
    expect(identitiesNow(app)('JDOE')).toMatchObject({ username: 'jdoe' });
    expect(identitiesNow(app)('nobody')).toBeUndefined();
  });
});
