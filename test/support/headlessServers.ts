// The fixture of the vitest files that start `deputy serve` on a headless server (test/unit/keyring.test.ts,
// test/fault/keychainFaults.test.ts). Kept apart from serveProcess.ts, which a Playwright spec imports too, because
// it registers vitest hooks.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, expect } from 'vitest';
import { ensureBuilt, headlessEnv, initDemo, serve, type Served } from './serveProcess';
import { DEMO_PASSWORD, tempDir } from '../unit/helpers';

export interface HeadlessSetUp {
  dir: string;
  /** The database's folder, where the keyring `serve` starts keeps its file. */
  dataDir: string;
  db: string;
  /** A file holding `passphrase`, outside the data folder (serve refuses one beside the database). */
  passphraseFile: string;
}

/**
 * Builds the CLI and one demo database before the file's tests (the demo takes seconds; each test gets a copy), and
 * stops after each test every server it started.
 */
export function headlessDemoServers(passphrase: string) {
  const running: Served[] = [];
  let template = '';
  beforeAll(() => {
    ensureBuilt();
    template = join(tempDir('file'), 'template.db');
    initDemo(template, headlessEnv(), DEMO_PASSWORD);
  }, 120_000);
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
  });

  return {
    /** A copy of the demo database in a data folder of its own, and a passphrase file outside it. */
    setUp(): HeadlessSetUp {
      const dir = tempDir();
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir);
      const db = join(dataDir, 'deputy.db');
      copyFileSync(template, db);
      const passphraseFile = join(dir, 'keyring-passphrase');
      writeFileSync(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
      return { dir, dataDir, db, passphraseFile };
    },
    /** `deputy serve` on `db`, with alice signed in to its console API. */
    async start(db: string, env: NodeJS.ProcessEnv = headlessEnv(), args: string[] = []): Promise<Served> {
      const served = await serve(db, env, args);
      running.push(served);
      const signIn = await served.api('auth.signIn', { username: 'alice', password: DEMO_PASSWORD });
      expect(signIn.ok).toBe(true);
      return served;
    },
  };
}
