// `deputy serve` on a machine with no desktop session (the usual on-prem server): where no Secret Service answers,
// it starts one for itself — a private D-Bus session with gnome-keyring, the keyring kept in `<data dir>/keyring/`,
// unlocked with a passphrase the operator gives — for its own lifetime, and points keytar at it through
// DBUS_SESSION_BUS_ADDRESS before the first keychain use. Where it cannot, it says why and how to fix it, and the
// console runs with the keychain unavailable (the vault then reports that reason: vault/keytarVault.ts).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './errors';
import { probeSecretService, type KeychainProblem } from '../vault/secretService';
import type { KeytarVaultOptions } from '../vault/keytarVault';

export interface KeyringOptions {
  dbPath: string;
  /** `--keyring-passphrase-file`. */
  passphraseFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Asks on the terminal without echo; absent when standard input is not a terminal. */
  ask?: ((question: string) => Promise<string>) | undefined;
}

export type Keyring =
  /** A Secret Service answers already (or this is not Linux): nothing was started. */
  | { kind: 'present'; vault: KeytarVaultOptions; stop(): Promise<void> }
  | { kind: 'started'; dir: string; address: string; vault: KeytarVaultOptions; stop(): Promise<void> }
  | { kind: 'unavailable'; problem: KeychainProblem; vault: KeytarVaultOptions; stop(): Promise<void> };

const CREDENTIAL = 'keyring-passphrase';
const START_TIMEOUT_MS = 15_000;
const ATTEMPTS = 3;
const nothing = async () => undefined;

const HOW_TO_GIVE =
  'Give it in a file outside the database folder with --keyring-passphrase-file FILE or ' +
  'DEPUTY_KEYRING_PASSPHRASE_FILE, or as the systemd credential keyring-passphrase (LoadCredential=), ' +
  'or start Deputy in a terminal to be asked for it; then restart Deputy.';

/** Where the passphrase comes from: the first of the flag, the environment variable, the systemd credential. */
function passphraseSource(options: KeyringOptions, env: NodeJS.ProcessEnv): { from: string; path: string } | null {
  if (options.passphraseFile !== undefined) {
    return { from: '--keyring-passphrase-file', path: options.passphraseFile };
  }
  if (env.DEPUTY_KEYRING_PASSPHRASE_FILE) {
    return { from: 'DEPUTY_KEYRING_PASSPHRASE_FILE', path: env.DEPUTY_KEYRING_PASSPHRASE_FILE };
  }
  const credential = env.CREDENTIALS_DIRECTORY && join(env.CREDENTIALS_DIRECTORY, CREDENTIAL);
  if (credential && existsSync(credential)) return { from: `the systemd credential ${CREDENTIAL}`, path: credential };
  return null;
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);

/**
 * Reads a passphrase file, refusing one inside the database's folder: a backup or copy of that folder would then
 * carry the keyring together with what unlocks it.
 */
function readPassphrase(source: { from: string; path: string }, dataDir: string): string {
  const path = resolve(source.path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${source.from}: ${path} cannot be read: ${(err as Error).message}`);
  }
  if (inside(realpathSync(dirname(path)), realpathSync(dataDir))) {
    throw new UsageError(
      `${source.from}: ${path} is inside the database's folder (${dataDir}). Deputy refuses it there: a backup or ` +
        `copy of that folder would carry the keyring together with the passphrase that unlocks it. Keep the file ` +
        `elsewhere (e.g. /etc/deputy/, readable only by the user running Deputy) or use a systemd credential.`,
    );
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new UsageError(`${source.from}: ${path} is empty; the keyring needs a passphrase.`);
  if (/[\r\n]/.test(passphrase)) {
    throw new UsageError(`${source.from}: ${path} has more than one line; put the passphrase alone on one line.`);
  }
  return passphrase;
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** Asked on the terminal: twice when the keyring is new (a typo would lock it for good), until two agree. */
async function askPassphrase(ask: (q: string) => Promise<string>, creating: boolean, dir: string): Promise<string> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const first = await ask(
      creating ? `New passphrase for Deputy's keyring (${dir}): ` : `Passphrase of Deputy's keyring (${dir}): `,
    );
    if (first === '') {
      process.stderr.write('The passphrase cannot be empty.\n');
      continue;
    }
    if (!creating || (await ask('Again, to be sure: ')) === first) return first;
    process.stderr.write('The two passphrases differ; once more.\n');
  }
  return '';
}

// The shell reads the passphrase (one line), hands it to gnome-keyring-daemon on its standard input (never an
// argument or environment variable), prints the bus address, then waits for Deputy's end of the pipe to close —
// on a normal stop and on a crash alike — when dbus-run-session stops the bus and gnome-keyring leaves with it.
const SESSION_SCRIPT = `
IFS= read -r pass || exit 3
printf '%s' "$pass" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 4
pass=
printf 'address %s\\n' "$DBUS_SESSION_BUS_ADDRESS"
read -r _ || true
`;

type Session = ChildProcessByStdio<Writable, Readable, Readable>;

interface Started {
  address: string;
  stop(): Promise<void>;
}

function startSession(passphrase: string, keyringDir: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const runDir = mkdtempSync(join(tmpdir(), 'deputy-keyring-'));
  const childEnv: NodeJS.ProcessEnv = { ...env, XDG_DATA_HOME: keyringDir, XDG_RUNTIME_DIR: runDir };
  delete childEnv.DBUS_SESSION_BUS_ADDRESS;
  delete childEnv.DISPLAY; // no unlock prompt can be shown on a server: gnome-keyring must not wait for one
  const child: Session = spawn('dbus-run-session', ['--', 'sh', '-c', SESSION_SCRIPT], {
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // gnome-keyring may still be writing its sockets there for a moment after the bus stopped (a removal then failed
  // with ENOTEMPTY and took `deputy serve` down with it): retry, and never let a leftover temporary folder stop Deputy.
  const cleanUp = () => {
    try {
      rmSync(runDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    } catch (e) {
      process.stderr.write(`deputy: could not remove the keyring's temporary folder ${runDir}: ${String(e)}\n`);
    }
  };
  process.once('exit', cleanUp);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 3000);
      await exited;
      clearTimeout(timer);
    }
    cleanUp();
  };
  return new Promise((resolvePromise, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail('it did not start within 15 s'), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${why}${err.trim() ? `: ${err.trim().split('\n').at(-1)}` : ''}`)));
    };
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-4000)));
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /^address (\S+)$/m.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      // The session lives as long as Deputy, but must never be what keeps it running.
      child.unref();
      child.stdout.removeAllListeners('data');
      for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?(): void }).unref?.();
      resolvePromise({ address: m[1], stop });
    });
    child.once('error', (e) => fail(`it could not start (${e.message})`));
    child.once('exit', (code) => fail(`it stopped (exit code ${code})`));
    child.stdin.write(`${passphrase}\n`);
  });
}

/** Makes sure `deputy serve` has an OS keychain: the one there is, one of its own, or the reason there is none. */
export async function prepareKeyring(options: KeyringOptions): Promise<Keyring> {
  const env = options.env ?? process.env;
  const dataDir = dirname(resolve(options.dbPath));
  mkdirSync(dataDir, { recursive: true });
  const source = passphraseSource(options, env);
  const fromFile = source ? readPassphrase(source, dataDir) : undefined;
  if (process.platform !== 'linux') return { kind: 'present', vault: {}, stop: nothing };

  const found = await probeSecretService(env);
  if (found.state === 'ready' || found.state === 'locked') return { kind: 'present', vault: {}, stop: nothing };

  const unavailable = (problem: KeychainProblem): Keyring => ({
    kind: 'unavailable',
    problem,
    vault: { setupProblem: problem },
    stop: nothing,
  });
  const missing = ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon'].filter((c) => !onPath(c, env));
  if (missing.length) {
    return unavailable({
      reason:
        `No desktop session provides an OS keychain here, and Deputy cannot start one of its own: ` +
        `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed.`,
      fix: 'Install them (sudo apt-get install dbus gnome-keyring), then restart Deputy.',
    });
  }

  const dir = join(dataDir, 'keyring');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const creating = !existsSync(join(dir, 'keyrings', 'login.keyring'));
  const tries = fromFile !== undefined ? 1 : options.ask ? ATTEMPTS : 0;
  if (tries === 0) {
    return unavailable({
      reason:
        `No desktop session provides an OS keychain here, and Deputy has no passphrase for a keyring of its own ` +
        `(in ${dir}): none was given, and there is no terminal to ask on.`,
      fix: HOW_TO_GIVE,
    });
  }
  for (let attempt = 1; attempt <= tries; attempt++) {
    const passphrase = fromFile ?? (await askPassphrase(options.ask!, creating, dir));
    if (passphrase === '') {
      return unavailable({
        reason: `No desktop session provides an OS keychain here, and no passphrase for Deputy's keyring (in ${dir}) was entered.`,
        fix: HOW_TO_GIVE,
      });
    }
    let session: Started;
    try {
      session = await startSession(passphrase, dir, env);
    } catch (err) {
      return unavailable({
        reason: `Deputy could not start a keyring of its own (gnome-keyring in ${dir}): ${(err as Error).message}.`,
        fix: 'Check that dbus and gnome-keyring are installed and work (sudo apt-get install dbus gnome-keyring), then restart Deputy.',
      });
    }
    const probe = await probeSecretService({ ...env, DBUS_SESSION_BUS_ADDRESS: session.address });
    if (probe.state === 'ready') {
      // keytar (libsecret) finds the session bus through this variable, read at its first use.
      process.env.DBUS_SESSION_BUS_ADDRESS = session.address;
      return {
        kind: 'started',
        dir,
        address: session.address,
        vault: { backend: `Secret Service: Deputy's own gnome-keyring, kept in ${dir}`, ownKeyring: dir },
        stop: session.stop,
      };
    }
    await session.stop();
    if (probe.state !== 'locked') {
      return unavailable({
        reason: `Deputy started a keyring of its own (in ${dir}), but it does not answer (${probe.state}).`,
        fix: 'Restart Deputy; if it happens again, check gnome-keyring-daemon (sudo apt-get install --reinstall gnome-keyring).',
      });
    }
    if (attempt < tries) process.stderr.write('That passphrase does not unlock the keyring; try again.\n');
  }
  return unavailable({
    reason: `The passphrase given does not unlock Deputy's keyring in ${dir}.`,
    fix:
      `Give the passphrase the keyring was created with, then restart Deputy. If it is lost, move ${dir} away and ` +
      `restart: a new keyring is created, and every access key and portal key must be created again.`,
  });
}
