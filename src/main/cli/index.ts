// The `deputy` command: the same core and contract as the window, for terminals and servers.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../core';
import { databasePath } from '../paths';
import { keytarVault, keytarVaultWith } from '../vault/keytarVault';
import { storageFailure } from '../store/storageFailure';
import { exportCommand, importCommand } from './commands/bundle';
import { auditCommand, printVerify } from './commands/audit';
import { verifyIfCopy } from './commands/verifyCopy';
import { act } from './commands/act';
import { authCommand } from './commands/auth';
import { canI } from './commands/canI';
import { portalCommand } from './commands/portal';
import { init } from './commands/init';
import { serve } from './commands/serve';
import { backupCommand, restoreCommand } from './commands/backup';
import { versionCommand } from './commands/version';
import { unlock } from './commands/unlock';
import { CliFailure, UsageError } from './errors';
import { prepareKeyring, type Keyring } from './keyring';
import { promptHidden } from './prompt';
import { recordScriptRun, type ScriptRun } from './scriptLog';

const HELP = `Usage: deputy <command> [options]

Commands:
  init     Set up a new database: create the first Super Admin, or load the demo organisation
             --username NAME --display-name "Full Name"   the first Super Admin
             --demo                                       load the demo organisation instead
  serve    Serve the console in browser mode on 127.0.0.1 and print its URL
             --port N                                     port to listen on (default: any free port)
             --service-port N                             also serve the service API for programs (docs/service-api.md)
             --service-host HOST                          where it listens (default 127.0.0.1); any other address
             --tls-cert FILE --tls-key FILE               only over TLS with this PEM certificate and key
             --keyring-passphrase-file FILE               where no desktop session provides an OS keychain, serve
                                                          starts its own gnome-keyring (kept in the database's
                                                          folder, under keyring/) unlocked with this passphrase;
                                                          else $DEPUTY_KEYRING_PASSPHRASE_FILE, the systemd
                                                          credential keyring-passphrase, or asked on the terminal
  act METHOD --key-id ID --as USER [--input JSON]
           Call a program method (access.canI, access.decide) as a service account acting for USER, the
           key's secret on standard input. Prints the answer as JSON; exit 0 done (or allowed), 1 refused
           (or denied), 2 bad input. With a portal's API key (--key-id DPP…, no --as): portals.decide
           --input '{"useCase":"query_records","object":"Supplier"}' (R-A5).
  can-i ACTION RESOURCE --as USER [--via SERVICE_ACCOUNT] [--json]
           May USER (or SERVICE_ACCOUNT acting as USER) do ACTION on RESOURCE? Prints yes/no and why.
           RESOURCE is account, flow:<name> or user:<username>. Exit 0 allowed, 1 denied, 2 bad input.
  export --user NAME [--out FILE]
           Write the policy bundle (users, groups, service accounts, flows; never a secret) as JSON
  import FILE --user NAME [--dry-run] [--accept ID]...
           Show what the bundle changes, then apply it all or nothing (--dry-run: only show). A difference
           between environments for a portal's service account (R-A4) refuses the import until it matches
           or is accepted by its ID with --accept (once per difference; each acceptance is recorded)
  portal check NAME [--json]
           A portal's findings (R-A1–R-A3), for a deployment pipeline: missing and more-than-needed grants
           and warnings. Exit 1 when a finding blocks publishing (a missing grant, an account that is not a
           service account), 0 when none does (warnings and more than needed are printed, and counted in
           --json's problems), 2 bad input (such as an unknown portal).
  audit verify [--json]
           Check the audit log's hash chain: OK with the count, or the first broken record and why
  audit export --format jsonl|csv --out FILE [--log LOG] [--from TIME] [--to TIME]
           Export records, with FILE.manifest.json (count, chain ends, SHA-256, HMAC) beside it
  audit verify-export FILE
           Check an export against its manifest, here or on another machine
  backup [FILE]
           Copy the database while consoles keep working on it (SQLite's online backup), check the copy (whole,
           its audit chain verifying) and record it in the audit log. Default: beside the database, as
           deputy.db.schema-NNN.<UTC time>.bak; FILE may be a folder. Never overwrites a file.
  restore FILE [--yes]
           Put a backup back in place of the database, after checking it (a Deputy database, whole, its audit
           chain verifying) and asking: type yes, or give --yes in scripts. Refused while a console has the
           database open. The replaced file is kept beside it as deputy.db.before-restore.<time>.db; the restore
           is recorded in both.
  version  The version, the schema it writes, where the database is and which OS keychain is found (or why none);
           also --version
  auth check --key-id ID
           Check an access key: the secret on standard input; prints valid, invalid, expired, disabled
           or locked (10 failures in a minute lock a key id for a minute). Exit 0 only when valid.
  unlock USER
           Recovery when no Super Admin can sign in: make Super Admin USER (locked by failed sign-ins, or
           inactive) active again. For whoever holds the database file and its OS keychain; refused while
           another active Super Admin exists (they unlock USER in the console). Recorded in History.
  help     Show this help

Options for every command:
  --db PATH    the database file (default: $DEPUTY_DB, else the OS app-data folder)
  -h, --help   show this help

The operator password comes from DEPUTY_PASSWORD, or is asked for without echo.
Exit codes: 0 done, 1 refused or failed, 2 bad input.
`;

const COMMANDS = [
  'init',
  'serve',
  'can-i',
  'export',
  'import',
  'audit',
  'auth',
  'act',
  'portal',
  'backup',
  'restore',
  'version',
  'unlock',
];
/**
 * Commands that only read or check an existing database: on a wrong path they must not create an empty one (an
 * empty log then verified as "OK: 0 records", a deleted log looking clean).
 */
const NEEDS_EXISTING_DATABASE = ['can-i', 'export', 'audit', 'auth', 'act', 'portal', 'backup', 'unlock'];

async function run(
  core: Core,
  command: string,
  values: Record<string, string | string[] | boolean | undefined>,
  rest: string[],
  ranAs: (program: NonNullable<ScriptRun['program']>) => void,
) {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  switch (command) {
    case 'serve':
      await serve(core, {
        port: text('port'),
        'service-port': text('service-port'),
        'service-host': text('service-host'),
        'tls-cert': text('tls-cert'),
        'tls-key': text('tls-key'),
      });
      return -1; // keeps running until a signal
    case 'export':
      return exportCommand(core, { user: text('user'), out: text('out') });
    case 'import':
      return importCommand(core, rest[0], {
        user: text('user'),
        'dry-run': values['dry-run'] === true,
        accept: Array.isArray(values.accept) ? values.accept : [],
      });
    case 'portal':
      return portalCommand(core, rest, { json: values.json === true });
    case 'act':
      return act(core, rest[0], { 'key-id': text('key-id'), as: text('as'), input: text('input') }, ranAs);
    case 'auth':
      return authCommand(core, rest[0], text('key-id'));
    case 'audit':
      return auditCommand(core, rest[0], rest.slice(1), {
        json: values.json === true,
        format: text('format'),
        log: text('log'),
        from: text('from'),
        to: text('to'),
        out: text('out'),
      });
    case 'backup':
      return backupCommand(core, keytarVault, rest[0]);
    case 'unlock':
      return unlock(core, rest[0]);
    case 'can-i':
      return canI(core, rest, { as: text('as'), via: text('via'), json: values.json === true });
    default:
      return init(core, {
        username: text('username'),
        'display-name': text('display-name'),
        demo: values.demo === true,
      });
  }
}

/**
 * On first start, where the database was created; after an upgrade, where its old version went. `init` and `serve`
 * say it on standard output, with what they print anyway; any other command on standard error, leaving its output as
 * it was for the scripts that read it.
 */
function sayWhereTheDatabaseIs(core: Core, command: string): void {
  const { path, created, upgradeBackup } = core.opened;
  const say = command === 'init' || command === 'serve' ? console.log : console.error;
  if (created) say(`Created a new database at ${path}.`);
  if (upgradeBackup) {
    console.error(
      `deputy: upgraded ${path} from schema ${upgradeBackup.fromVersion}; the database as it was is backed up ` +
        `as ${upgradeBackup.path}`,
    );
  }
}

/** After a restore, or one refused, the database to record the run in, if one can be opened. */
async function coreForTheRecord(dbPath: string): Promise<Core | undefined> {
  if (!existsSync(dbPath)) return undefined;
  try {
    return await createCore({ dbPath, vault: keytarVault });
  } catch (err) {
    console.error(`deputy: the Script Log record of this run could not be written: ${(err as Error).message}`);
    return undefined;
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        port: { type: 'string' },
        'service-port': { type: 'string' },
        'service-host': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'keyring-passphrase-file': { type: 'string' },
        input: { type: 'string' },
        username: { type: 'string' },
        'display-name': { type: 'string' },
        demo: { type: 'boolean' },
        as: { type: 'string' },
        via: { type: 'string' },
        json: { type: 'boolean' },
        user: { type: 'string' },
        'key-id': { type: 'string' },
        format: { type: 'string' },
        log: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean' },
        accept: { type: 'string', multiple: true },
        yes: { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`deputy: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command = values.version ? 'version' : 'help', ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(HELP);
    return 0;
  }
  if (!COMMANDS.includes(command)) {
    console.error(`deputy: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }

  const dbPath = databasePath(values.db);
  if (values.version || command === 'version') return versionCommand(dbPath, keytarVault);
  if (NEEDS_EXISTING_DATABASE.includes(command) && !(existsSync(dbPath) && statSync(dbPath).size > 0)) {
    console.error(
      `deputy: ${dbPath} ${existsSync(dbPath) ? 'is empty' : 'does not exist'}: ${command} reads an existing Deputy database (give its path with --db). Nothing was created.`,
    );
    return 2;
  }
  let core: Core | undefined;
  let keyring: Keyring | undefined;
  let code = 1;
  let failure: string | undefined;
  let program: ScriptRun['program'];
  try {
    if (command === 'restore') {
      // The database is replaced, not opened: the run's record goes to whichever database is there afterwards.
      code = await restoreCommand(dbPath, keytarVault, rest[0], values.yes === true);
      return code;
    }
    if (command === 'audit' && rest[0] === 'verify') {
      // A copy of the log (a backup) is checked read-only: this run writes nothing into it, not even its record.
      const copy = await verifyIfCopy(dbPath, keytarVault);
      if (copy) return (code = printVerify(copy, { json: values.json === true }));
    }
    if (command === 'serve') keyring = await serveKeyring(dbPath, values['keyring-passphrase-file']);
    const vault = keyring ? keytarVaultWith(keyring.vault) : keytarVault;
    core = await createCore({ dbPath, vault, forward: command === 'serve' });
    sayWhereTheDatabaseIs(core, command);
    code = await run(core, command, values, rest, (p) => (program = p));
    return code;
  } catch (err) {
    // A full disk or a failing file is said as such (issue 21 #6), not as SQLite's own words.
    failure = (storageFailure(err) ?? (err as Error)).message;
    console.error(`deputy: ${failure}`);
    code = err instanceof UsageError ? 2 : err instanceof CliFailure ? err.exitCode : 1;
    return code;
  } finally {
    if (command === 'restore') core = await coreForTheRecord(dbPath);
    // `serve` is a console session: what is done in it is recorded as from the window.
    if (core && command !== 'serve') {
      try {
        recordScriptRun(core, { command, positionals: rest, options: values, exitCode: code, failure, program });
      } catch (err) {
        const why = (storageFailure(err) ?? (err as Error)).message;
        console.error(`deputy: the Script Log record of this run could not be written: ${why}`);
      }
    }
    if (code !== -1) {
      await core?.close();
      await keyring?.stop();
    }
  }
}

/** Before the core opens (its first keychain use): the keychain `serve` runs with, said in one line. */
async function serveKeyring(dbPath: string, passphraseFile: string | boolean | string[] | undefined) {
  const keyring = await prepareKeyring({
    dbPath,
    passphraseFile: typeof passphraseFile === 'string' ? passphraseFile : undefined,
    ask: process.stdin.isTTY ? promptHidden : undefined,
  });
  if (keyring.kind === 'started') {
    console.log(`Deputy keychain: its own gnome-keyring, kept in ${keyring.dir} (D-Bus ${keyring.address})`);
  } else if (keyring.kind === 'unavailable') {
    console.error(`deputy: the OS keychain is unavailable: ${keyring.problem.reason} ${keyring.problem.fix}`);
  }
  return keyring;
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
