import { describe, expect, expectTypeOf, it } from 'vitest';
import { createHandlers } from '../../src/main/api/handlers';
import { contract, methodNames, type Input, type Output } from '../../src/shared/contract';
import type { AppStatus, DirectoryPage, Operator, Settings } from '../../src/shared/model';
import { demoCore, tempCore } from './helpers';

describe('the contract', () => {
  it('has exactly one handler per method', async () => {
    const core = await tempCore();
    expect(Object.keys(createHandlers(core.app)).sort()).toEqual([...methodNames].sort());
  });

  it('pins the shape of each method', () => {
    expectTypeOf<Output<'app.status'>>().toEqualTypeOf<AppStatus>();
    expectTypeOf<Input<'auth.signIn'>>().toEqualTypeOf<{ username: string; password: string }>();
    expectTypeOf<Output<'auth.signIn'>>().toEqualTypeOf<Operator>();
    expectTypeOf<Output<'directory.list'>>().toEqualTypeOf<DirectoryPage>();
    expectTypeOf<Input<'settings.update'>>().toEqualTypeOf<Partial<Settings>>();
  });

  it('lets only app.status, set-up and sign-in run before sign-in', () => {
    const open = methodNames.filter((m) => contract[m].guard === 'public').sort();
    expect(open).toEqual(['app.status', 'auth.signIn', 'setup.createFirstAdmin', 'setup.loadDemo']);
  });
});

describe('the boundary refuses bad calls before any handler runs, changing nothing', () => {
  it('R-L3: refuses an unknown method, recorded under the caller; a caller without a session learns only that', async () => {
    const core = await demoCore();
    const seq = core.lastSeq();
    expect(await core.call('admin', 'directory.drop', {})).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Unknown method: directory.drop', field: 'method' },
    });
    expect(core.auditSince(seq)).toEqual([
      expect.objectContaining({
        operator: 'alice',
        action: 'directory.drop',
        outcome: 'refused',
        message: 'Refused directory.drop: Unknown method: directory.drop',
      }),
    ]);
    const long = `x${'y'.repeat(500)}`;
    expect(await core.call('admin', long, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(core.auditSince(seq).at(-1)?.action).toBe(`${long.slice(0, 100)}…`);
    const before = core.lastSeq();
    expect(await core.call('stranger', 'directory.drop', {})).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'Sign in first.' },
    });
    expect(core.lastSeq()).toBe(before);
  });

  // A public method refused by its schema before anyone signed in: recorded as no one's, as a refused sign-in is.
  const unsigned: [string, string, unknown, string][] = [
    ['auth.signIn', 'missing field', { username: 'alice' }, 'password'],
    ['auth.signIn', 'wrong type', { username: 42, password: 'x' }, 'username'],
    [
      'setup.createFirstAdmin',
      'bad username',
      { username: 'a b', displayName: '', password: 'long-enough-pw' },
      'username',
    ],
  ];
  it.each(unsigned)(
    'R-L3: %s with %s names the field, and writes nothing but its refusal, as no one',
    async (method, _what, input, field) => {
      const core = await tempCore();
      const r = await core.call('nobody-yet', method, input);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field } });
      expect(core.auditSince(0)).toEqual([
        expect.objectContaining({
          operator: null,
          action: method,
          outcome: 'refused',
          details: JSON.stringify({ code: 'invalid_input', field }),
        }),
      ]);
      expect(core.app.db.prepare(`SELECT count(*) FROM principals`).pluck().get()).toBe(0);
    },
  );

  const signedIn: [string, string, unknown, string][] = [
    ['directory.list', 'unknown kind', { kind: 'robot' }, 'kind'],
    ['directory.list', 'limit too large', { limit: 100000 }, 'limit'],
    ['settings.update', 'fractional minutes', { idleLockMinutes: 1.5 }, 'idleLockMinutes'],
    ['settings.update', 'out of range', { idleLockMinutes: 0 }, 'idleLockMinutes'],
  ];
  it.each(signedIn)(
    'R-L3: %s with %s names the field, and its refusal is the one record written',
    async (method, _what, input, field) => {
      const core = await demoCore();
      const settingsBefore = await core.must('admin', 'settings.get', {});
      const seq = core.lastSeq();
      const r = await core.call('admin', method, input);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field } });
      if (r.ok) return;
      expect(core.auditSince(seq)).toEqual([
        expect.objectContaining({
          operator: 'alice',
          effective_user: 'alice',
          action: method,
          outcome: 'refused',
          message: `Refused ${method}: ${r.error.message}`,
          details: JSON.stringify({ code: 'invalid_input', field }),
        }),
      ]);
      expect(await core.must('admin', 'settings.get', {})).toEqual(settingsBefore);
    },
  );

  it('refuses unknown extra fields rather than ignoring them', async () => {
    const core = await demoCore();
    const r = await core.call('admin', 'settings.update', { idleLockMinutes: 20, operator: 'someone-else' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/operator/) },
    });
    expect((await core.must('admin', 'settings.get', {})).idleLockMinutes).toBe(15);
  });

  it('refuses every signed-in method without a session, before the handler', async () => {
    const core = await demoCore();
    const before = core.auditCount();
    for (const method of methodNames.filter((m) => contract[m].guard !== 'public')) {
      const r = await core.call('stranger', method, {});
      expect(r, method).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
    }
    expect(core.auditCount()).toBe(before);
  });
});
