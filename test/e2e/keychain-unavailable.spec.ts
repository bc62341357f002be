// Issue 23: browser mode on a server with no desktop session and no keyring passphrase. Settings says what is missing
// and how to fix it, and Create access key is disabled with that reason written beside it (not only a tooltip).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, PROJECT_ROOT, shot } from './fixtures';
import { FirstRunPage } from './pages/first-run-page';
import { ServiceAccountsPage } from './pages/service-accounts-page';
import { SettingsPage } from './pages/settings-page';
import { ShellPage } from './pages/shell-page';
import { headlessEnv } from '../support/serveProcess';

test('Settings says why the OS keychain is unavailable; Create access key is disabled with that reason', async ({
  page,
}, testInfo) => {
  const dir = await mkdtemp(join(tmpdir(), 'deputy-e2e-'));
  await mkdir(join(dir, 'data'));
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'out/main/cli.js'), 'serve', '--db', join(dir, 'data', 'deputy.db'), '--port', '0'],
    { env: headlessEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: string) => {
        stdout += c;
        const m = /^Deputy console: (\S+)$/m.exec(stdout);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`deputy serve exited with ${code}`)));
    });
    await page.goto(url);
    await new FirstRunPage(page).loadDemo(DEMO_PASSWORD);
    const shell = new ShellPage(page);
    await expect(shell.operator).toHaveText('Alice Admin (alice)');
    await expect(shell.keychainWarning).toBeVisible();

    await shell.open('Settings');
    const settings = new SettingsPage(page);
    await expect(settings.keychainUnavailable).toBeVisible();
    await expect(settings.keychain.getByLabel('What is missing')).toContainText(
      'No desktop session provides an OS keychain here, and Deputy has no passphrase for a keyring of its own',
    );
    await expect(settings.keychain.getByLabel('How to fix it')).toContainText('--keyring-passphrase-file FILE');
    await expect(settings.keychain).not.toContainText('autolaunch');
    await shot(page, testInfo, 'settings-keychain-unavailable');

    const accounts = new ServiceAccountsPage(page);
    await accounts.open();
    const card = await accounts.select('po-bot');
    await expect(card.createKeyButton).toBeDisabled();
    await expect(card.createKeyButton).toHaveAccessibleDescription(/no passphrase for a keyring of its own/);
    await expect(card.region.getByRole('note')).toContainText('To fix: Give it in a file outside the database folder');
    await shot(page, testInfo, 'service-account-keychain-unavailable');
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
});
