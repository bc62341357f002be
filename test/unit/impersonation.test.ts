// Impersonation sessions (R-S1…R-S10) through the contract, on a real database file.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createCore } from '../../src/main/core';
import { closeSessionRecord, endExpired, recheckSessions } from '../../src/main/impersonation/lifecycle';
import { memoryVault } from '../../src/main/vault/memoryVault';
import { insertPrincipal } from '../../src/main/store/principals';
import { settingLabel } from '../../src/shared/model';
import { DEMO_PASSWORD, demoCore, type TestCore } from './helpers';

const SUPPORT = (file: string) => new URL(`../support/${file}`, import.meta.url).pathname;

async function asIan() {
  const core = await demoCore();
  await core.must('ian', 'auth.signIn', { username: 'ian', password: DEMO_PASSWORD });
  return core;
}

const records = (core: TestCore) =>
  core.app.db
    .prepare(
      `SELECT operator, effective_user, impersonator, username, action, message, details FROM audit_log ORDER BY seq`,
    )
    .all() as {
    operator: string;
    effective_user: string;
    impersonator: string | null;
    username: string;
    action: string;
    message: string;
    details: string;
  }[];

const start = (core: TestCore, conn: string, username: string, reason = 'ticket check') =>
  core.as(conn, 'impersonation.start', { username, reason });

describe('the Impersonate dialog (R-S3)', () => {
  it('needs at least two characters', async () => {
    const core = await asIan();
    expect(await core.as('ian', 'impersonation.candidates', { query: 'j' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'query', message: 'Type at least two characters.' },
    });
  });

  it('matches display name and username, and lists only who may be impersonated (R-S2, R-S4)', async () => {
    const core = await asIan();
    const byName = await core.must('ian', 'impersonation.candidates', { query: 'Jane' });
    expect(byName).toEqual([{ username: 'jdoe', displayName: 'Jane Doe' }]);
    const byUsername = await core.must('ian', 'impersonation.candidates', { query: 'kch' });
    expect(byUsername).toEqual([{ username: 'kchen', displayName: '' }]);
    // lou (locked) and ian himself match these, and are not offered.
    expect((await core.must('ian', 'impersonation.candidates', { query: 'Lo' })).map((c) => c.username)).not.toContain(
      'lou',
    );
    const explained = await core.must('ian', 'impersonation.candidates', { query: 'Ian', explain: true });
    expect(explained.find((c) => c.username === 'ian')?.excluded).toMatch(/nobody impersonates themself \(R-S4\)/);
  });

  it('finds an eligible person however many ineligible ones match before them (no limit before the filter)', async () => {
    const core = await asIan();
    const now = core.clock.fn().toISOString();
    core.app.db.transaction(() => {
      for (let i = 0; i < 250; i++) {
        const n = String(i).padStart(3, '0');
        insertPrincipal(
          core.app.db,
          { username: `g${n}`, displayName: `Aa Zq Guest ${n}`, kind: 'guest', status: 'active', roles: [] },
          now,
        );
      }
      insertPrincipal(
        core.app.db,
        { username: 'zora', displayName: 'Zora Zq', kind: 'human', status: 'active', roles: [] },
        now,
      );
    })();
    expect(await core.must('ian', 'impersonation.candidates', { query: 'Zq' })).toEqual([
      { username: 'zora', displayName: 'Zora Zq' },
    ]);
    // Asked why, the list stops at 50 entries, guests first as they sort.
    const explained = await core.must('ian', 'impersonation.candidates', { query: 'Zq', explain: true });
    expect(explained).toHaveLength(50);
    expect(explained[0]).toMatchObject({
      username: 'g000',
      excluded: expect.stringMatching(/only people can be impersonated/),
    });
  });

  it('shows why others are excluded when asked', async () => {
    const core = await asIan();
    const r = await core.must('ian', 'impersonation.candidates', { query: 'Lo', explain: true });
    expect(r).toContainEqual({
      username: 'lou',
      displayName: 'Lou Locked',
      excluded: 'lou is locked; unlock them before impersonating (R-S4)',
    });
    const admins = await core.must('ian', 'impersonation.candidates', { query: 'Ursula', explain: true });
    expect(admins[0]?.excluded).toMatch(/ursula is an administrator, and ian is not.*\(R-S2\)/);
  });
});

describe('a session, start to end', () => {
  it('R-S6, R-S7: writes the exact start and end lines, start as the impersonated user, end as the impersonator', async () => {
    const core = await asIan();
    const s = await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'REQ-42 cannot submit' });
    expect(s).toMatchObject({ user: { username: 'jdoe', displayName: 'Jane Doe' }, reason: 'REQ-42 cannot submit' });
    await core.must('ian', 'impersonation.end', {});
    const [startRec, endRec] = records(core).filter((r) => r.action.startsWith('impersonation.'));
    expect(startRec).toMatchObject({
      message: 'Impersonation start: Jane Doe (jdoe) by: Ian Helpdesk (ian)',
      effective_user: 'jdoe',
      username: 'jdoe (ian)',
    });
    expect(endRec).toMatchObject({
      message: 'Impersonation end: Jane Doe (jdoe) by: Ian Helpdesk (ian)',
      effective_user: 'ian',
      impersonator: null,
      username: 'ian',
    });
    expect(JSON.parse(endRec!.details)).toMatchObject({ ended: 'back_to_me' });
  });

  it('R-S6: names a user with an empty display name by username alone', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'kchen', reason: 'x' });
    expect(records(core).at(-1)?.message).toBe('Impersonation start: kchen by: Ian Helpdesk (ian)');
  });

  it('R-S8, R-S9: inside the session, exactly the user’s rights, and every record says `jdoe (ian)`', async () => {
    const core = await demoCore();
    await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'check what Jane sees' });
    const refused = await core.as('admin', 'directory.list', {});
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/alice is impersonating jdoe/), rule: 'R-S9' },
    });
    const status = await core.must('admin', 'app.status', {});
    expect(status.operator?.username).toBe('alice');
    expect(status.impersonation?.user.username).toBe('jdoe');
    expect(
      await core.must('admin', 'access.canI', { checks: [{ action: 'item.create', resource: 'flow:Purchase Order' }] }),
    ).toEqual([true]);
    const last = records(core).at(-1);
    expect(last).toMatchObject({
      operator: 'alice',
      effective_user: 'jdoe',
      impersonator: 'alice',
      username: 'jdoe (alice)',
    });
    const sessions = await core.must('admin', 'impersonation.sessions', { all: false });
    expect(sessions[0]?.actions).toBeGreaterThanOrEqual(2);
  });

  it('R-S5: no session starts inside another', async () => {
    const core = await asIan();
    expect((await start(core, 'ian', 'jdoe')).ok).toBe(true);
    const r = await start(core, 'ian', 'pmehta');
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/no session starts inside another/), rule: 'R-S5' },
    });
  });

  it('R-S1, R-S2, R-S4: refuses non-impersonators, escalation, and users who cannot be impersonated', async () => {
    const core = await demoCore();
    await core.must('a', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
    expect(await start(core, 'a', 'jdoe')).toMatchObject({
      ok: false,
      error: { rule: 'R-S1' },
    });
    await core.must('i', 'auth.signIn', { username: 'ian', password: DEMO_PASSWORD });
    expect(await start(core, 'i', 'ursula')).toMatchObject({
      ok: false,
      error: { rule: 'R-S2' },
    });
    for (const u of ['lou', 'olive', 'gary.guest', 'system', 'po-bot', 'ian']) {
      expect(await start(core, 'i', u), u).toMatchObject({
        ok: false,
        error: { rule: 'R-S4' },
      });
    }
  });

  it('R-S10: keeps within the maximum duration', async () => {
    const core = await asIan();
    const long = await core.as('ian', 'impersonation.start', { username: 'jdoe', reason: 'x', minutes: 61 });
    expect(long).toMatchObject({
      ok: false,
      error: { field: 'minutes', message: 'A session lasts at most 60 minutes (setting).', rule: 'R-S10' },
    });
  });
});

describe('R-S10: every session carries a reason, with no setting to turn it off', () => {
  const NO_REASON = {
    code: 'invalid_input',
    message: 'Give a reason for impersonating: it goes into the logs.',
    field: 'reason',
    rule: 'R-S10',
  };
  const sessions = (core: TestCore) => core.app.db.prepare(`SELECT count(*) FROM impersonation_sessions`).pluck().get();
  const notices = (core: TestCore) => core.app.db.prepare(`SELECT count(*) FROM notices`).pluck().get();

  it('refuses an empty or blank reason, writes nothing, and records the refusal as the other start refusals', async () => {
    const core = await asIan();
    const [noSessions, noNotices] = [sessions(core), notices(core)];
    for (const reason of ['', '   ', '\t\n']) {
      const before = core.lastSeq();
      expect(await start(core, 'ian', 'jdoe', reason)).toEqual({ ok: false, error: NO_REASON });
      expect(core.auditSince(before)).toMatchObject([
        {
          operator: 'ian',
          action: 'impersonation.start',
          outcome: 'refused',
          message: 'Refused impersonation.start: Give a reason for impersonating: it goes into the logs. (R-S10)',
        },
      ]);
      expect(JSON.parse(core.auditSince(before)[0]!.details)).toEqual({
        code: 'invalid_input',
        field: 'reason',
        rule: 'R-S10',
      });
    }
    // Recorded as a start beyond the maximum duration is: one refused record of the call.
    const before = core.lastSeq();
    await core.as('ian', 'impersonation.start', { username: 'jdoe', reason: 'x', minutes: 61 });
    expect(core.auditSince(before)).toMatchObject([{ action: 'impersonation.start', outcome: 'refused' }]);
    expect([sessions(core), notices(core)]).toEqual([noSessions, noNotices]);
    expect((await core.must('ian', 'app.status', {})).impersonation).toBeNull();
  });

  it('settings have no switch for it: the field is refused, and an old database’s stored value is ignored', async () => {
    const core = await asIan();
    const settings = await core.must('admin', 'settings.get', {});
    expect(settings).not.toHaveProperty('requireImpersonationReason');
    const before = core.lastSeq();
    expect(await core.call('admin', 'settings.update', { requireImpersonationReason: false })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/requireImpersonationReason/) },
    });
    expect(core.auditSince(before)).toMatchObject([{ action: 'settings.update', outcome: 'refused' }]); // R-L3
    // What a console before this one stored when an administrator unticked the box.
    core.app.db.prepare(`INSERT INTO settings (key, value) VALUES ('impersonation.require_reason', 'false')`).run();
    expect(await core.must('admin', 'settings.get', {})).toEqual(settings);
    expect(await start(core, 'ian', 'jdoe', '')).toEqual({ ok: false, error: NO_REASON });
    expect(sessions(core)).toBe(0);
    // Its History records, kept in that database, still name it as they did.
    expect(settingLabel('requireImpersonationReason')).toBe('Reason required to impersonate');
  });

  it('a session started with a reason keeps it, trimmed, in the session, the start record and the notice', async () => {
    const core = await asIan();
    const s = await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: '  REQ-42  ' });
    expect(s.reason).toBe('REQ-42');
    expect(JSON.parse(records(core).at(-1)!.details)).toMatchObject({ reason: 'REQ-42' });
    expect(core.app.db.prepare(`SELECT message FROM notices`).pluck().get()).toMatch(/, reason: REQ-42$/);
  });

  it('takes a username in any case, as the directory does, and records the directory’s spelling', async () => {
    const core = await asIan();
    const s = await core.must('ian', 'impersonation.start', { username: 'JDoe', reason: 'REQ-43' });
    expect(s.user).toMatchObject({ username: 'jdoe' });
    expect(records(core).at(-1)).toMatchObject({ action: 'impersonation.start', username: 'jdoe (ian)' });
    expect(core.app.db.prepare(`SELECT target FROM impersonation_sessions`).pluck().all()).toEqual(['jdoe']);
  });
});

describe('every way a session ends', () => {
  it('R-S10: ends by itself at its maximum duration, with an end record', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x', minutes: 10 });
    core.clock.advance(9 * 60_000);
    expect((await core.must('ian', 'app.status', {})).impersonation).not.toBeNull();
    core.clock.advance(60_000);
    expect((await core.must('ian', 'app.status', {})).impersonation).toBeNull();
    expect(JSON.parse(records(core).at(-1)!.details)).toMatchObject({ ended: 'expired' });
  });

  it('ends when the operator loses the impersonator role, at their next action', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    core.app.db
      .prepare(
        `DELETE FROM principal_roles WHERE role = 'impersonator' AND principal_id = (SELECT id FROM principals WHERE username = 'ian')`,
      )
      .run();
    expect((await core.must('ian', 'app.status', {})).impersonation).toBeNull();
    expect(JSON.parse(records(core).at(-1)!.details)).toMatchObject({ ended: 'rights_lost' });
  });

  it('ends between calls when the operator loses the role in another process: the end record needs no call of theirs', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    const other = await createCore({ dbPath: core.dbPath, vault: memoryVault, clock: core.clock.fn });
    other.app.db
      .prepare(
        `DELETE FROM principal_roles WHERE role = 'impersonator' AND principal_id = (SELECT id FROM principals WHERE username = 'ian')`,
      )
      .run();
    await other.close();
    const before = core.lastSeq();
    recheckSessions(core.app); // what the core's timer runs every RECHECK_EVERY_MS
    expect(core.auditSince(before)).toMatchObject([{ action: 'impersonation.end', operator: 'ian' }]);
    expect(JSON.parse(core.auditSince(before)[0]!.details)).toMatchObject({ ended: 'rights_lost' });
    expect(core.app.db.prepare(`SELECT end_reason FROM impersonation_sessions`).pluck().get()).toBe('rights_lost');
    recheckSessions(core.app);
    expect(core.lastSeq()).toBe(before + 1); // once
  });

  it('R-S9: the first call after a session ended by itself is refused, not run with the operator’s own rights', async () => {
    const core = await demoCore(); // alice: a Super Admin who may impersonate, and create groups as herself
    const groups = () => core.app.db.prepare(`SELECT count(*) FROM groups`).pluck().get() as number;
    // Expired (the timer in main ended it) and rights lost (found at the call): each tells the next call once.
    for (const end of ['expired', 'rights_lost'] as const) {
      await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'x', minutes: 10 });
      if (end === 'expired') {
        core.clock.advance(10 * 60_000);
        endExpired(core.app);
      } else core.app.db.prepare(`UPDATE principals SET status = 'locked' WHERE username = 'jdoe'`).run();
      const before = [groups(), core.lastSeq()] as const;
      const why =
        end === 'expired' ? 'the session reached its maximum duration' : "the operator's rights no longer allow it";
      const message = `Your impersonation of Jane Doe (jdoe) ended (${why}), so this was not done: you act as yourself again.`;
      expect(await core.as('admin', 'groups.create', { name: `Made as alice ${end}` })).toEqual({
        ok: false,
        error: { code: 'conflict', message, rule: 'R-S9' },
      });
      expect(groups()).toBe(before[0]);
      expect(core.auditSince(before[1]).filter((r) => r.outcome === 'refused')).toMatchObject([
        {
          operator: 'alice',
          effective_user: 'alice',
          action: 'groups.create',
          message: `Refused groups.create: ${message} (R-S9)`,
        },
      ]);
      // Told once: the next call is the operator's own.
      expect(await core.as('admin', 'groups.create', { name: `Made as alice ${end}` })).toMatchObject({ ok: true });
      core.app.db.prepare(`UPDATE principals SET status = 'active' WHERE username = 'jdoe'`).run();
    }
  });

  it('R-S9: a status look tells the window instead, and Back to me ends a session without a refusal after', async () => {
    const core = await demoCore(); // alice: a Super Admin who may impersonate, and create groups as herself
    await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'x', minutes: 10 });
    core.clock.advance(10 * 60_000);
    expect((await core.must('admin', 'app.status', {})).impersonation).toBeNull();
    expect(await core.as('admin', 'groups.create', { name: 'After a look' })).toMatchObject({ ok: true });
    await core.must('admin', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    await core.must('admin', 'impersonation.end', {});
    expect(await core.as('admin', 'groups.create', { name: 'After Back to me' })).toMatchObject({ ok: true });
  });

  it('ends on sign-out, and when the operator is locked', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    await core.must('ian', 'auth.signOut', {});
    const ends = () =>
      records(core)
        .filter((r) => r.action === 'impersonation.end')
        .map((r) => JSON.parse(r.details).ended);
    expect(ends()).toEqual(['signed_out']);
    // Signed out as themself: the impersonation ended before the record (R-S8 attributes the session's acts only).
    expect(records(core).filter((r) => r.action === 'auth.signOut')).toMatchObject([
      { operator: 'ian', effective_user: 'ian', impersonator: null, username: 'ian', message: 'Signed out' },
    ]);
    await core.must('ian', 'auth.signIn', { username: 'ian', password: DEMO_PASSWORD });
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    core.app.db.prepare(`UPDATE principals SET status = 'locked' WHERE username = 'ian'`).run();
    await core.as('ian', 'directory.list', {});
    expect(ends()).toEqual(['signed_out', 'rights_lost']);
  });

  it('R-S6: signing in again on the connection ends its impersonation, with its record, before the new session', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x', minutes: 10 });
    const before = core.lastSeq();
    await core.must('ian', 'auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
    expect(core.auditSince(before).map((r) => [r.action, r.username, r.message])).toEqual([
      ['impersonation.end', 'ian', 'Impersonation end: Jane Doe (jdoe) by: Ian Helpdesk (ian)'],
      ['auth.signOut', 'ian', 'Signed out: alice signed in on the same connection'],
      ['auth.signIn', 'alice', expect.stringMatching(/^Signed in: .*\(alice\)$/)],
    ]);
    expect(JSON.parse(core.auditSince(before)[0]!.details)).toMatchObject({ ended: 'signed_out' });
    const open = core.app.db.prepare(`SELECT count(*) FROM impersonation_sessions WHERE ended_at IS NULL`).pluck();
    expect(open.get()).toBe(0);
    // alice acts as herself, and nothing is left for the expiry to end.
    expect((await core.must('ian', 'app.status', {})).impersonation).toBeNull();
    core.clock.advance(10 * 60_000);
    endExpired(core.app);
    expect(core.auditSince(before).filter((r) => r.action === 'impersonation.end')).toHaveLength(1);
  });

  it('R-S6: a window closed while the app runs on (macOS) ends its session and impersonation, recorded', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    const before = core.lastSeq();
    core.closeConnection('ian');
    expect(core.auditSince(before).map((r) => [r.action, r.username, r.message])).toEqual([
      ['impersonation.end', 'ian', 'Impersonation end: Jane Doe (jdoe) by: Ian Helpdesk (ian)'],
      ['auth.signOut', 'ian', 'Signed out: the window was closed'],
    ]);
    expect(JSON.parse(core.auditSince(before)[0]!.details)).toMatchObject({ ended: 'quit' });
    expect(await core.as('ian', 'directory.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    core.closeConnection('ian'); // closed twice, or never signed in: nothing to end, nothing written
    core.closeConnection('never-signed-in');
    expect(core.lastSeq()).toBe(before + 2);
  });

  it('R-S10: a session of another live process goes on; once that process is killed, the next start closes it', async () => {
    const core = await asIan();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', SUPPORT('impersonatingProcess.ts'), core.dbPath, DEMO_PASSWORD],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
        child.once('exit', (code) => reject(new Error(`the console process exited (${code}) before starting`)));
      });
      const open = () =>
        core.app.db.prepare(`SELECT id FROM impersonation_sessions WHERE ended_at IS NULL`).pluck().all();
      expect(open()).toHaveLength(1);
      // Another process starts on the same file (as `deputy can-i` or a second console would): it leaves the session.
      const beside = await createCore({ dbPath: core.dbPath, vault: memoryVault, clock: core.clock.fn });
      await beside.close();
      expect(open()).toHaveLength(1);
      // A crash: the process dies without closing anything.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    } finally {
      child.kill('SIGKILL');
    }
    const next = await createCore({ dbPath: core.dbPath, vault: memoryVault, clock: core.clock.fn });
    const last = next.app.db.prepare(`SELECT message, details FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as {
      message: string;
      details: string;
    };
    expect(last.message).toBe('Impersonation end: Jane Doe (jdoe) by: Ian Helpdesk (ian)');
    expect(JSON.parse(last.details)).toMatchObject({
      ended: 'crash_recovery',
      why: expect.stringMatching(/stopped unexpectedly/),
    });
    await next.close();
  }, 30_000);

  it('R-S10: a session whose owner stopped renewing its lease is closed; one whose lease holds is not', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    // An owner on another machine sharing the file: its process cannot be asked, only its lease tells.
    core.app.db.prepare(`UPDATE impersonation_sessions SET owner = 'elsewhere|1|x'`).run();
    const recovered = async () => {
      const next = await createCore({ dbPath: core.dbPath, vault: memoryVault, clock: core.clock.fn });
      await next.close();
      return core.app.db.prepare(`SELECT end_reason FROM impersonation_sessions`).pluck().get();
    };
    expect(await recovered()).toBeNull();
    core.clock.advance(61_000); // no renewal reaches it: its owner is gone
    expect(await recovered()).toBe('crash_recovery');
  });

  it('R-S10: a session its crashed owner left past its maximum duration is closed as ended at that maximum', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x', minutes: 10 });
    core.app.db.prepare(`UPDATE impersonation_sessions SET owner = 'elsewhere|1|x'`).run();
    const expires = core.app.db.prepare(`SELECT expires_at FROM impersonation_sessions`).pluck().get() as string;
    core.clock.advance(60 * 60_000); // the next start comes an hour later
    const next = await createCore({ dbPath: core.dbPath, vault: memoryVault, clock: core.clock.fn });
    await next.close();
    expect(core.app.db.prepare(`SELECT ended_at, end_reason FROM impersonation_sessions`).get()).toEqual({
      ended_at: expires,
      end_reason: 'crash_recovery',
    });
  });

  it('R-S10: a session ended elsewhere ends here too, with exactly one end record', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    const id = core.app.db.prepare(`SELECT id FROM impersonation_sessions`).pluck().get() as number;
    const other = await createCore({ dbPath: core.dbPath, vault: memoryVault, clock: core.clock.fn });
    closeSessionRecord(other.app, id, 'crash_recovery');
    await other.close();
    // The next call acts as ian again, and Back to me has nothing left to end.
    expect((await core.must('ian', 'app.status', {})).impersonation).toBeNull();
    expect(await core.as('ian', 'impersonation.end', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await core.close();
    const ends = new Database(core.dbPath, { readonly: true });
    expect(
      ends
        .prepare(`SELECT count(*) FROM audit_log WHERE action = 'impersonation.end' AND outcome = 'ok'`)
        .pluck()
        .get(),
    ).toBe(1);
    ends.close();
  });

  it('ends every running session on quit', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    await core.close();
    const db = new Database(core.dbPath, { readonly: true });
    expect(db.prepare(`SELECT end_reason FROM impersonation_sessions`).pluck().get()).toBe('quit');
    db.close();
  });
});

describe('the notice to the impersonated user', () => {
  it('is shown to them at their next sign-in, until dismissed', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'REQ-42' });
    await core.must('j', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD });
    const { notices } = await core.must('j', 'app.status', {});
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toMatch(
      /^Ian Helpdesk \(ian\) impersonated you on \d{4}-\d\d-\d\d \d\d:\d\d UTC, reason: REQ-42$/,
    );
    await core.must('j', 'notices.dismiss', { id: notices[0]!.id });
    expect((await core.must('j', 'app.status', {})).notices).toEqual([]);
  });
});

describe('R-S9: "myself" during a session is the impersonated user', () => {
  it('R-S9: Add myself as Flow Admin, removing that addition and New flow act on the impersonated Super Admin, not the operator', async () => {
    const core = await demoCore(); // alice, a Super Admin who may impersonate
    await core.must('admin', 'directory.create', { username: 'sam', displayName: 'Sam Super' });
    await core.must('admin', 'directory.setRoles', { username: 'sam', roles: ['super_admin'] });
    await core.must('admin', 'impersonation.start', { username: 'sam', reason: 'check what sam sees' });
    const roleIn = (flow: string, who: string) =>
      core.app.db
        .prepare(
          `SELECT m.role FROM flow_members m JOIN flows f ON f.id = m.flow_id JOIN principals p ON p.id = m.principal_id
           WHERE f.name = ? AND p.username = ?`,
        )
        .pluck()
        .get(flow, who) ?? null;
    const aliceBefore = roleIn('Purchase Order', 'alice');
    const before = core.lastSeq();

    await core.must('admin', 'flows.addSelfAsAdmin', { flow: 'Purchase Order' });
    expect(roleIn('Purchase Order', 'sam')).toBe('flow_admin');
    expect(roleIn('Purchase Order', 'alice')).toBe(aliceBefore);
    await core.must('admin', 'flows.removeSelfAsAdmin', { flow: 'Purchase Order' });
    expect(roleIn('Purchase Order', 'sam')).toBeNull();
    await core.must('admin', 'flows.create', { name: 'Made by sam', type: 'process' });
    expect(roleIn('Made by sam', 'sam')).toBe('flow_admin');
    expect(roleIn('Made by sam', 'alice')).toBeNull();
    expect(core.auditSince(before).map((r) => [r.username, r.message])).toEqual([
      ['sam (alice)', 'sam added themself as Flow Admin of Purchase Order (was not a member)'],
      ['sam (alice)', 'sam removed their own Flow Admin addition to Purchase Order (back to not a member)'],
      ['sam (alice)', 'Created flow Made by sam (process), with sam as its Flow Admin'],
    ]);
  });
});

describe('R-S8 for refusals and failures', () => {
  it('a refusal from outside the policy during a session carries `jdoe (ian)` too', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'x' });
    expect(await core.as('ian', 'notices.dismiss', { id: 999_999 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(records(core).at(-1)).toMatchObject({ operator: 'ian', username: 'jdoe (ian)', action: 'notices.dismiss' });
  });
});

describe('per-session drill-down', () => {
  it('lists everything one session did, start to end, and nothing else', async () => {
    const core = await asIan();
    await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'first' });
    core.clock.advance(1000);
    await core.as('ian', 'settings.update', { idleLockMinutes: 30 });
    core.clock.advance(1000);
    await core.must('ian', 'impersonation.end', {});
    core.clock.advance(1000);
    await core.must('ian', 'impersonation.start', { username: 'pmehta', reason: 'second' });
    await core.must('ian', 'impersonation.end', {});
    const [second, first] = await core.must('ian', 'impersonation.sessions', { all: false });
    await core.must('a', 'auth.signIn', { username: 'audrey', password: DEMO_PASSWORD });
    const rows = (await core.must('a', 'audit.list', { session: first!.id })).rows.reverse();
    expect(rows.map((r) => [r.action, r.username])).toEqual([
      ['impersonation.start', 'jdoe (ian)'],
      ['settings.update', 'jdoe (ian)'],
      ['impersonation.end', 'ian'],
    ]);
    expect((await core.must('a', 'audit.list', { session: second!.id })).rows).toHaveLength(2);
  });
});
