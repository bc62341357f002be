// "Nothing lost, nothing leaked": after a session that touches every secret, no password, access-key
// secret, chain key or browser token is anywhere in the database file, its WAL, the log or an export.
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportAudit } from '../../src/main/audit/export';
import { startWebServer } from '../../src/main/web/server';
import { DEMO_PASSWORD, demoCore, tempDir } from './helpers';

describe('secrets never reach SQLite, the log or an export', () => {
  it('after sign-ins, keys, impersonation, browser mode and exports, the files hold none of them', async () => {
    const core = await demoCore();
    const secrets = [DEMO_PASSWORD, 'a-wrong-password-typed'];
    await core.as('w', 'auth.signIn', { username: 'jdoe', password: 'a-wrong-password-typed' });
    await core.must('w', 'auth.signIn', { username: 'ian', password: DEMO_PASSWORD });
    await core.must('w', 'impersonation.start', { username: 'jdoe', reason: 'check' });
    await core.must('w', 'impersonation.end', {});
    for (let i = 0; i < 3; i++)
      secrets.push((await core.must('admin', 'keys.create', { username: 'po-bot', days: 30 })).secret);
    const keyId = core.app.db
      .prepare(`SELECT value FROM settings WHERE key = 'audit.current_key_id'`)
      .pluck()
      .get() as string;
    secrets.push((await core.app.vault.get(`audit-chain-key:${keyId}`))!);

    const server = await startWebServer({ call: core.call, rendererDir: tempDir() });
    const token = new URL(server.url).searchParams.get('token')!;
    secrets.push(token);
    const cookie = (await fetch(server.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
    secrets.push(cookie.split('=')[1]!);
    await server.close();

    let exported = '';
    await exportAudit(core.app, 'jsonl', {}, (c) => (exported += c));
    await exportAudit(core.app, 'csv', {}, (c) => (exported += c));
    const log = JSON.stringify(core.app.db.prepare(`SELECT * FROM audit_log`).all());
    core.app.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = [core.dbPath, `${core.dbPath}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));

    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(10);
      const places: [string, string][] = [
        ['audit log', log],
        ['export', exported],
        ...files.map((f, i): [string, string] => [`file ${i}`, f]),
      ];
      for (const [where, text] of places) {
        expect(text.includes(secret), `${where} holds a secret`).toBe(false);
      }
    }
  });
});
