// The real OS keychain: these run inside scripts/with-keyring (private D-Bus + gnome-keyring).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keytarVault } from '../../src/main/vault/keytarVault';
import { vaultService } from '../../src/main/kernel/vault';
import { tempCore } from './helpers';

const inKeyring = Boolean(process.env.DEPUTY_PRIVATE_KEYRING);

/** What the keychain itself holds, read with the OS tool rather than through our code. */
function secretTool(service: string, account: string): string | null {
  const r = spawnSync('secret-tool', ['lookup', 'service', service, 'account', account], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

describe.skipIf(!inKeyring)('keytar vault against a real keychain', () => {
  it('reports the keychain as available', async () => {
    expect(await keytarVault(randomUUID()).status()).toEqual({ available: true, backend: 'Secret Service' });
  });

  it('keeps a secret in the OS keychain, where secret-tool finds it, and deletes it', async () => {
    const scope = randomUUID();
    const vault = keytarVault(scope);
    await vault.set('key-1', 'the-secret-value');
    expect(secretTool(vaultService(scope), 'key-1')).toBe('the-secret-value');
    expect(await vault.get('key-1')).toBe('the-secret-value');
    expect(await vault.delete('key-1')).toBe(true);
    expect(secretTool(vaultService(scope), 'key-1')).toBeNull();
    expect(await vault.get('key-1')).toBeNull();
  });

  it('scopes secrets per database: two installs never share them', async () => {
    const a = keytarVault(randomUUID());
    const b = keytarVault(randomUUID());
    await a.set('same-account', 'secret-a');
    expect(await b.get('same-account')).toBeNull();
    await a.delete('same-account');
  });

  it("uses the database's own install id as its scope", async () => {
    const core = await tempCore(keytarVault);
    const { value: installId } = core.app.db.prepare(`SELECT value FROM settings WHERE key = 'install_id'`).get() as {
      value: string;
    };
    await core.app.vault.set('probe', 'probe-secret');
    expect(secretTool(`deputy/${installId}`, 'probe')).toBe('probe-secret');
    await core.app.vault.delete('probe');
  });
});

describe('keytar vault without a keychain', () => {
  it('reports unavailable with the OS reason, and refuses secrets with keychain_unavailable', () => {
    // A child process with no D-Bus session at all, as on a headless server.
    const script = `
      import { keytarVault } from './src/main/vault/keytarVault.ts';
      const v = keytarVault('no-bus');
      const status = await v.status();
      let refusal = null;
      try { await v.set('a', 'b'); } catch (e) { refusal = { code: e.code, message: e.message }; }
      console.log(JSON.stringify({ status, refusal }));`;
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    const out = execFileSync('npx', ['tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
    const { status, refusal } = JSON.parse(out.trim().split('\n').at(-1)!) as {
      status: { available: boolean; reason: string };
      refusal: { code: string; message: string };
    };
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/D-Bus|dbus/i);
    expect(refusal.code).toBe('keychain_unavailable');
    expect(refusal.message).toMatch(/^The OS keychain is unavailable: /);
  });
});
