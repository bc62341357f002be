// Helpers for the package test: running an unpacked or installed `deputy` with the build tree out of its reach,
// and opening the console it serves in Chromium.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PASSWORD = 'northwind-demo-pw';
const START_TIMEOUT_MS = 20_000;
const URL_LINE = /^Deputy console: (http:\/\/\S+)$/m;

/**
 * The folders a package must never reach: the project, and where its node_modules really are (a worktree's
 * node_modules may be a link into another checkout). An inner folder is covered by the outer one.
 */
export const BUILD_TREE: string[] = (() => {
  const folders = [REPO, dirname(realpathSync(join(REPO, 'node_modules')))];
  return [...new Set(folders)].filter((f, _, all) => !all.some((o) => o !== f && f.startsWith(o + sep)));
})();

/**
 * Runs a command in a mount namespace of its own where each build-tree folder is an empty read-only tmpfs: anything
 * the package still took from the build tree would be missing. `unshare` and `sh` exec, so the returned child's
 * pid is the command's own.
 */
function hiddenArgs(argv: string[]): string[] {
  const mounts = BUILD_TREE.map((_, i) => `mount -t tmpfs -o ro,size=4k deputy-hidden "$${i + 1}"`).join(' && ');
  const script = `${mounts} && shift ${BUILD_TREE.length} && exec "$@"`;
  return ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', ...BUILD_TREE, ...argv];
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

export function runHidden(argv: string[], { cwd, env = {}, input }: RunOptions): SpawnSyncReturns<string> {
  return spawnSync('unshare', hiddenArgs(argv), {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  origin: string;
  /** Milliseconds from the spawn to the printed URL. */
  urlAfterMs: number;
  startedAt: number;
}

/** `deputy serve` with the build tree hidden; resolves once it prints its URL. */
export function serveHidden(deputy: string, dbPath: string, cwd: string): Promise<Served> {
  const startedAt = performance.now();
  const child = spawn('unshare', hiddenArgs([deputy, 'serve', '--db', dbPath, '--port', '0']), {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`deputy serve ${why}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = URL_LINE.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        const url = match[1];
        resolvePromise({
          child,
          url,
          origin: new URL(url).origin,
          urlAfterMs: performance.now() - startedAt,
          startedAt,
        });
      }
    });
    child.once('exit', (code, signal) => fail(`exited before printing its URL (code ${code}, signal ${signal})`));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Every URL the page asks for, to show that the console loads nothing from anywhere but its own server. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** The files a process has mapped (its executable, shared libraries and native modules). */
export function mappedFiles(pid: number): string[] {
  const files = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .filter((path) => path.startsWith('/'));
  return [...new Set(files)];
}

export const executableOf = (pid: number): string => readlinkSync(`/proc/${pid}/exe`);

/** The network interfaces this process sees: in the test's namespace, only the loopback. */
export function interfaces(): string[] {
  const r = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));
}

export function sh(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...opts.env }, input: opts.input });
}

export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

/** A zip of the given files, stored uncompressed (all the fake Electron distribution needs), Unix modes kept. */
export function storedZip(files: { name: string; body: string; mode: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, body, mode } of files) {
    const data = Buffer.from(body);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by Unix, so the external attributes carry the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
