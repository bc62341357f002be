// Linux only: asks the D-Bus session whether a Secret Service answers and whether its default keyring is locked,
// with `dbus-send` in a child process. Not through keytar: keytar's findCredentials crashes the whole process
// (a NULL secret from libsecret) when the keyring is locked, and its getPassword answers "no such secret" instead,
// which would make a locked keyring look like lost keys. Also used by `deputy serve` to decide whether to start a
// keyring of its own (cli/keyring.ts).
import { execFile } from 'node:child_process';

export type SecretServiceState =
  /** The default keyring answers and is unlocked (or does not exist yet: storing the first secret creates it). */
  | { state: 'ready' }
  | { state: 'locked' }
  /** No D-Bus session reachable: no address, a dead address, or no way to start one. */
  | { state: 'no_bus'; detail: string }
  /** A D-Bus session, but nothing on it provides org.freedesktop.secrets. */
  | { state: 'no_service'; detail: string }
  /** Something holds the name and does not answer. */
  | { state: 'no_answer'; detail: string }
  /** dbus-send is not installed, so nothing can be asked. */
  | { state: 'no_tool'; detail: string };

const TIMEOUT_MS = 4000;

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : error.code === 'ENOENT' ? 127 : 1) : 0;
      resolve({ code, out: stdout, err: `${stderr}${error && !stderr ? error.message : ''}`.trim() });
    });
  });
}

/** The Locked property of the collection behind the `default` alias, where keytar (libsecret) stores secrets. */
export async function probeSecretService(env: NodeJS.ProcessEnv = process.env): Promise<SecretServiceState> {
  const r = await run(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      `--reply-timeout=${TIMEOUT_MS - 500}`,
      '--dest=org.freedesktop.secrets',
      '/org/freedesktop/secrets/aliases/default',
      'org.freedesktop.DBus.Properties.Get',
      'string:org.freedesktop.Secret.Collection',
      'string:Locked',
    ],
    env,
  );
  if (r.code === 0) return /boolean true/.test(r.out) ? { state: 'locked' } : { state: 'ready' };
  const detail = r.err.split('\n')[0] ?? '';
  if (r.code === 127) return { state: 'no_tool', detail: 'dbus-send is not installed' };
  if (/ServiceUnknown|NameHasNoOwner|not provided by any \.service/i.test(r.err)) {
    return { state: 'no_service', detail };
  }
  if (/NoReply|Timeout|timed out|SIGTERM/i.test(r.err)) return { state: 'no_answer', detail };
  // No default collection yet (a fresh keyring): the first secret stored creates it.
  if (/NoSuchObject|UnknownObject|UnknownMethod|UnknownInterface|UnknownProperty|InvalidArgs/i.test(r.err)) {
    return { state: 'ready' };
  }
  return { state: 'no_bus', detail: detail || 'no D-Bus session' };
}

/** What the console says when the keychain is unavailable: what is missing, in plain words, and how to fix it. */
export interface KeychainProblem {
  reason: string;
  fix: string;
}

const HEADLESS_FIX =
  'Start the console with `deputy serve` (or `npm start`) and give it a passphrase for its own keyring: ' +
  '--keyring-passphrase-file FILE, DEPUTY_KEYRING_PASSPHRASE_FILE, or a systemd credential named ' +
  'keyring-passphrase (see "Headless servers" in the README). Or run it inside a desktop session.';

export function describeProblem(s: Exclude<SecretServiceState, { state: 'ready' }>): KeychainProblem {
  switch (s.state) {
    case 'locked':
      return {
        reason: 'The keyring that holds Deputy’s secrets is locked, so no secret can be read or stored.',
        fix:
          'Unlock it (in a desktop session: the Passwords and Keys app, or sign in again). A keyring Deputy ' +
          'started itself is unlocked with its passphrase when Deputy starts: restart Deputy.',
      };
    case 'no_service':
      return {
        reason: `There is a D-Bus session, but no Secret Service (gnome-keyring) on it (${s.detail}).`,
        fix: `Install gnome-keyring (sudo apt-get install gnome-keyring), then restart Deputy. ${HEADLESS_FIX}`,
      };
    case 'no_answer':
      return {
        reason: `The Secret Service on this D-Bus session does not answer (${s.detail}).`,
        fix: 'Restart the keyring daemon (gnome-keyring-daemon) or the session, then restart Deputy.',
      };
    case 'no_tool':
      return {
        reason: 'The D-Bus tools are not installed, so the OS keychain cannot be reached.',
        fix: 'Install them and gnome-keyring (sudo apt-get install dbus gnome-keyring), then restart Deputy.',
      };
    case 'no_bus':
      return {
        reason: `There is no D-Bus session here (no desktop session), so the OS keychain cannot be reached (${s.detail}).`,
        fix: HEADLESS_FIX,
      };
  }
}

/** A keytar error in plain words, for the few libsecret messages that have a known cause. */
export function plainKeytarError(message: string): string {
  if (/locked collection|is locked/i.test(message)) return describeProblem({ state: 'locked' }).reason;
  if (/autolaunch D-Bus|Could not connect|connection is closed|DBUS_SESSION_BUS_ADDRESS/i.test(message)) {
    return describeProblem({ state: 'no_bus', detail: message }).reason;
  }
  if (/not provided by any \.service|ServiceUnknown/i.test(message)) {
    return describeProblem({ state: 'no_service', detail: message }).reason;
  }
  return message;
}
