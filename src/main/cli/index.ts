// The `deputy` command: the same core and contract as the window, for terminals and servers.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../core';
import { databasePath } from '../paths';
import { keytarVault } from '../vault/keytarVault';
import { startWebServer } from '../web/server';
import { operatorPassword, UsageError } from './prompt';
import type { Input, MethodName, Output } from '../../shared/contract';

const HELP = `Usage: deputy <command> [options]

Commands:
  init     Set up a new database: create the first Super Admin, or load the demo organisation
             --username NAME --display-name "Full Name"   the first Super Admin
             --demo                                       load the demo organisation instead
  serve    Serve the console in browser mode on 127.0.0.1 and print its URL
             --port N                                     port to listen on (default: any free port)
  help     Show this help

Options for every command:
  --db PATH    the database file (default: $DEPUTY_DB, else the OS app-data folder)
  -h, --help   show this help

The operator password comes from DEPUTY_PASSWORD, or is asked for without echo.
Exit codes: 0 done, 1 refused or failed, 2 bad input.
`;

const CLI_CONNECTION = 'cli';

async function invoke<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const result = await core.call(CLI_CONNECTION, method, input);
  if (!result.ok) throw new CliFailure(result.error.message, result.error.code === 'invalid_input' ? 2 : 1);
  return result.value as Output<M>;
}

class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const rendererDir = () => join(dirname(fileURLToPath(import.meta.url)), '../renderer');

async function init(core: Core, values: { username?: string; 'display-name'?: string; demo?: boolean }) {
  if (values.demo) {
    const op = await invoke(core, 'setup.loadDemo', {
      password: await operatorPassword('Password for every demo user: '),
    });
    console.log(`Loaded the demo organisation. Sign in as ${op.username}.`);
    return;
  }
  if (!values.username) throw new UsageError('init needs --username (or --demo).');
  const op = await invoke(core, 'setup.createFirstAdmin', {
    username: values.username,
    displayName: values['display-name'] ?? '',
    password: await operatorPassword('Password for the first Super Admin (12 characters or more): '),
  });
  console.log(`Created the first Super Admin ${op.username}.`);
}

async function serve(core: Core, port: string | undefined): Promise<void> {
  const portNumber = port === undefined ? 0 : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not ${port}.`);
  }
  const server = await startWebServer({ call: core.call, rendererDir: rendererDir(), port: portNumber });
  console.log(`Deputy console: ${server.url}`);
  const stop = () => {
    void server.close().then(() => {
      core.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
        username: { type: 'string' },
        'display-name': { type: 'string' },
        demo: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`deputy: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'help';
  if (values.help || command === 'help') {
    console.log(HELP);
    return 0;
  }
  if (command !== 'init' && command !== 'serve') {
    console.error(`deputy: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }

  let core: Core | undefined;
  try {
    core = createCore({ dbPath: databasePath(values.db), vault: keytarVault });
    if (command === 'serve') {
      await serve(core, values.port);
      return -1; // keeps running until a signal
    }
    await init(core, values);
    return 0;
  } catch (err) {
    console.error(`deputy: ${(err as Error).message}`);
    return err instanceof UsageError ? 2 : err instanceof CliFailure ? err.exitCode : 1;
  } finally {
    if (command !== 'serve') core?.close();
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
