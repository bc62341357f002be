// Shared Playwright fixtures: every test gets its own database and its own browser-mode server.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { FirstRunPage } from './pages/first-run-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

export { expect };

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(PROJECT_ROOT, 'out/main/cli.js');
const SCREENS_DIR = join(PROJECT_ROOT, 'artifacts/screens');
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const URL_LINE = /^Deputy console: (http:\/\/\S+)$/m;
const SERVICE_LINE = /^Deputy service API: (http:\/\/\S+)$/m;

/** The password every demo user gets in these tests (12 characters or more). */
export const DEMO_PASSWORD = 'northwind-demo-pw';

export interface DeputyConsole {
  /** The URL printed at launch, token included: opening it signs the browser in to the console. */
  url: string;
  /** `http://127.0.0.1:PORT`, the only origin (with its localhost twin) the server accepts. */
  origin: string;
  token: string;
  /** The service API for programs (`--service-port`, loopback), as printed: `http://127.0.0.1:PORT/v1/`. */
  serviceUrl: string;
  dbPath: string;
  /**
   * Kills the server with SIGKILL, as a crash would: nothing it does on a normal stop (ending open
   * impersonation sessions, anchoring the audit head) runs. Resolves once the process is gone.
   */
  crash(): Promise<void>;
  /**
   * Starts a new server on the same database file (the OS keychain is the run's, see scripts/with-keyring),
   * stopping the running one first if there is one. `url`, `origin` and `token` then name the new server.
   */
  restart(): Promise<void>;
}

interface Launched {
  child: ChildProcess;
  url: string;
  serviceUrl: string;
}

/** Spawns `deputy serve` and resolves with the URL it prints; rejects with its stderr if it dies or stalls. */
function launchServer(dbPath: string): Promise<Launched> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', dbPath, '--port', '0', '--service-port', '0'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');

  return new Promise<Launched>((resolvePromise, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`deputy serve ${why}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = URL_LINE.exec(stdout);
      const service = SERVICE_LINE.exec(stdout);
      if (match?.[1] && service?.[1] && !settled) {
        settled = true;
        clearTimeout(timer);
        resolvePromise({ child, url: match[1], serviceUrl: service[1] });
      }
    });
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('exit', (code, signal) => fail(`exited before printing its URL (code ${code}, signal ${signal})`));
  });
}

/** Sends SIGTERM and waits for the exit; SIGKILL if the server does not stop in time. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Sends SIGKILL and waits for the exit. */
async function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGKILL');
  await exited;
}

/** The URL a server printed, split into what the tests use. */
function connection({ url, serviceUrl }: Launched): Pick<DeputyConsole, 'url' | 'origin' | 'token' | 'serviceUrl'> {
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token');
  if (!token) throw new Error(`The printed URL has no token: ${url}`);
  return { url, origin: parsed.origin, token, serviceUrl };
}

export const test = base.extend<{ console: DeputyConsole }>({
  // Playwright needs the object pattern to see that this fixture depends on no other fixture.
  // eslint-disable-next-line no-empty-pattern
  console: async ({}, use) => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first.`);
    const dir = await mkdtemp(join(tmpdir(), 'deputy-e2e-'));
    try {
      const dbPath = join(dir, 'deputy.db');
      let server = await launchServer(dbPath);
      try {
        const deputy: DeputyConsole = {
          ...connection(server),
          dbPath,
          crash: () => killServer(server.child),
          restart: async () => {
            await stopServer(server.child);
            server = await launchServer(dbPath);
            Object.assign(deputy, connection(server));
          },
        };
        await use(deputy);
      } finally {
        await stopServer(server.child);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

/** Saves a full-page screenshot to artifacts/screens/<name>.png and attaches it to the report. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await mkdir(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  // A secret shown once on screen never reaches a screenshot: it is painted over.
  await page.screenshot({ path, fullPage: true, mask: [page.getByLabel('Secret', { exact: true })] });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Opens the console on a new database, loads the demo and waits until Alice Admin is signed in. */
export async function openWithDemo(page: Page, deputy: DeputyConsole): Promise<void> {
  await page.goto(deputy.url);
  await new FirstRunPage(page).loadDemo(DEMO_PASSWORD);
  await expect(new ShellPage(page).operator).toHaveText('Alice Admin (alice)');
}

/** Signs the current operator out and signs in as `username` (a demo user unless `password` says otherwise). */
export async function signInAs(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  const shell = new ShellPage(page);
  await shell.signOut();
  const signIn = new SignInPage(page);
  await expect(signIn.form).toBeVisible();
  await signIn.signIn(username, password);
  await expect(shell.operator).toContainText(`(${username})`);
  // The tabs appear once the new operator's permissions are loaded.
  await expect(shell.tab('Settings')).toBeVisible();
}

/**
 * Calls one API method the way the page does, with the page's session cookie and the right Origin, and
 * returns the parsed result (`{ ok: true, value }` or `{ ok: false, error }`).
 */
export async function callApi(page: Page, deputy: DeputyConsole, method: string, input: object): Promise<unknown> {
  const res = await page.request.post(`${deputy.origin}/api`, {
    headers: { Origin: deputy.origin },
    data: { method, input },
  });
  expect(res.status()).toBe(200);
  return res.json();
}

/**
 * The demo's group Finance with its entry on the design object Supplier uploads taken off first: a group that design
 * objects name is not deleted from under them (R-A2), so tests that delete Finance make it deletable this way.
 */
export async function freeFinance(page: Page, deputy: DeputyConsole): Promise<void> {
  const freed = await callApi(page, deputy, 'designObjects.setPermissions', {
    name: 'Supplier uploads',
    permissions: [{ grantee: { type: 'user', name: 'supplier-portal' }, level: 'viewer' }],
  });
  expect(freed).toMatchObject({ ok: true });
}
