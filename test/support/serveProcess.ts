// `deputy serve` as a separate process, driven over real HTTP: the console API with a signed-in cookie, and the
// service API with an access key. For the tests of the keychain `serve` brings up on a headless server
// (test/unit/keyring.test.ts, test/fault/keychainFaults.test.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'out/main/cli.js');

/** Builds the CLI once, when a test file needs it and it is not there. */
export function ensureBuilt(): void {
  if (!existsSync(CLI))
    spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

/** The environment of a server with no desktop session at all: no D-Bus address, no display, no session bus socket. */
export function headlessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const session = ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR'];
  for (const name of [...session, 'CREDENTIALS_DIRECTORY', 'DEPUTY_KEYRING_PASSPHRASE_FILE']) delete env[name];
  return { ...env, ...extra };
}

/** `deputy init --demo` on a new database, in the given environment. */
export function initDemo(db: string, env: NodeJS.ProcessEnv, password: string): void {
  const r = spawnSync(process.execPath, [CLI, 'init', '--demo', '--db', db], {
    env: { ...env, DEPUTY_PASSWORD: password },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`deputy init --demo failed: ${r.stderr}`);
}

export interface Served {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** The private D-Bus address `serve` printed, when it started a keyring of its own. */
  busAddress: string | undefined;
  /** A console API call with this server's session cookie. */
  api<T = unknown>(
    method: string,
    input: unknown,
  ): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
  /** A service API call with an access key, acting for `onBehalfOf`: the HTTP status and the body. */
  service(
    method: string,
    input: unknown,
    key: { id: string; secret: string },
    onBehalfOf: string,
  ): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/** Starts `deputy serve` with the console and the service API on free ports, and trades its token for a cookie. */
export async function serve(db: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--service-port', '0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const urls = await new Promise<{ url: string; serviceUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('no URL within 20 s')), 20_000);
    const done = (err: Error | null, v?: { url: string; serviceUrl: string }) => {
      clearTimeout(timer);
      child.stdout!.off('data', look);
      if (err) {
        child.kill('SIGKILL');
        reject(new Error(`deputy serve: ${err.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      } else resolve(v!);
    };
    const look = () => {
      const url = /^Deputy console: (\S+)$/m.exec(stdout)?.[1];
      const serviceUrl = /^Deputy service API: (\S+)$/m.exec(stdout)?.[1];
      if (url && serviceUrl) done(null, { url, serviceUrl });
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => done(new Error(`exited with ${code}`)));
  });
  const origin = new URL(urls.url).origin;
  const exchange = await fetch(urls.url, { redirect: 'manual' });
  const cookie = exchange.headers.get('set-cookie')!.split(';')[0]!;
  const served: Served = {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    busAddress: /^Deputy keychain: .*\(D-Bus (\S+)\)$/m.exec(stdout)?.[1],
    async api(method, input) {
      const res = await fetch(`${origin}/api`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ method, input }),
      });
      return (await res.json()) as never;
    },
    async service(method, input, key, onBehalfOf) {
      const res = await fetch(`${urls.serviceUrl}${method}`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString('base64')}`,
          'deputy-on-behalf-of': onBehalfOf,
          'content-type': 'application/json',
        },
        body: JSON.stringify(input),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  return served;
}

/** dbus-send on a given bus, e.g. the keyring `serve` started: exit status and output. */
export function onBus(address: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync('dbus-send', ['--session', '--print-reply', ...args], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address },
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
