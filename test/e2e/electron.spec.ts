import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { PROJECT_ROOT } from './fixtures';

const SKIP_REASON = 'No Electron binary here: set ELECTRON_OVERRIDE_DIST_PATH to a local Electron 45 to run this test';

/** The Electron binary from ELECTRON_OVERRIDE_DIST_PATH, if that folder has one. */
function electronBinary(): string | undefined {
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!dist) return undefined;
  const binary = join(dist, 'electron');
  return existsSync(binary) ? binary : undefined;
}

interface PageGlobals {
  deputy?: Record<string, unknown>;
}

test('the Electron window opens on first run with only the contract exposed', async () => {
  const executablePath = electronBinary();
  if (!executablePath) {
    console.log(SKIP_REASON);
    test.skip(true, SKIP_REASON);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'deputy-electron-'));
  // Chromium refuses to run as root with its sandbox; only then is it turned off for this launch.
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await electron.launch({
    executablePath,
    args: [...rootArgs, PROJECT_ROOT, '--db', join(dir, 'deputy.db')],
    cwd: PROJECT_ROOT,
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { level: 1, name: 'Welcome to Deputy' })).toBeVisible();

    const exposed = await window.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        hasDeputy: typeof g.deputy === 'object' && g.deputy !== null,
        appStatus: typeof g.deputy?.['app.status'],
        require: typeof require,
        process: typeof process,
      };
    });
    expect(exposed).toEqual({ hasDeputy: true, appStatus: 'function', require: 'undefined', process: 'undefined' });
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
});
