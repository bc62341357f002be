// Errors are values carrying {field, message, rule} apart (issue 23): the window puts the message beside its field
// and the rule in a "why"; the CLI, where a path helps, prints them on one line.
import { describe, expect, it } from 'vitest';
import { errorLine } from '../../src/shared/result';
import { DEMO_PASSWORD, demoCore, tempCore } from './helpers';

describe('the error a call answers with', () => {
  it('names the field by its path and says what is wrong without it', async () => {
    const core = await tempCore();
    expect(
      await core.as('w', 'setup.createFirstAdmin', { username: ' ', displayName: 'Grace', password: 'long-enough-pw' }),
    ).toEqual({ ok: false, error: { code: 'invalid_input', field: 'username', message: 'Enter a username.' } });
  });

  it('keeps a nested field’s path in `field`, and a port’s limits in words', async () => {
    const core = await demoCore();
    const r = await core.as('admin', 'forwarding.set', {
      target: { protocol: 'tcp', host: '127.0.0.1', port: 70000 },
    });
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid_input', field: 'target.port', message: 'A port is a whole number from 1 to 65535.' },
    });
    // The CLI and the bundle importer keep the path, where it helps.
    expect(r.ok ? '' : errorLine(r.error)).toBe('target.port: A port is a whole number from 1 to 65535.');

    // R-S1: a refusal's rule is apart from its sentence; the audit record still names it.
    await core.must('j', 'auth.signIn', { username: 'jdoe', password: DEMO_PASSWORD });
    const refused = await core.as('j', 'impersonation.start', { username: 'kchen', reason: 'x' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', rule: 'R-S1' } });
    const message = refused.ok ? '' : refused.error.message;
    expect(message).toMatch(/^You may not do this: .*impersonator role/);
    expect(message).not.toMatch(/R-S1/);
    expect(refused.ok ? '' : errorLine(refused.error)).toMatch(/ \(R-S1\)$/);
    const record = core.app.db.prepare(`SELECT message FROM audit_log ORDER BY seq DESC LIMIT 1`).pluck().get();
    expect(record).toMatch(/\(R-S1\)/);
  });
});
