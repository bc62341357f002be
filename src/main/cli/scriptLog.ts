// R-L1: the Script Log holds one record per `deputy` run that opened the database: what ran, as whom, and how it
// ended. The records of what the run changed go to their own logs as from the window (History, Main Log…); this one
// is the run itself, for the auditor who asks what automation did. No secret is ever on the command line: passwords
// come from DEPUTY_PASSWORD or a prompt, key secrets on standard input.
import { CLI_CONNECTION } from './invoke';
import type { Core } from '../core';

export interface ScriptRun {
  command: string;
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
  exitCode: number;
  /** What went wrong, when the run ended with an error rather than its answer. */
  failure?: string;
}

/** The command line as typed, minus the database path (it is the log's own file) and options not given. */
function commandLine(run: ScriptRun): string {
  const options = Object.entries(run.options)
    .filter(([name, value]) => value !== undefined && value !== false && name !== 'db')
    .map(([name, value]) => (value === true ? `--${name}` : `--${name} ${JSON.stringify(value)}`));
  return ['deputy', run.command, ...run.positionals, ...options].join(' ');
}

export function recordScriptRun(core: Core, run: ScriptRun): void {
  const operator = core.app.sessions.get(CLI_CONNECTION)?.username ?? null;
  const line = commandLine(run);
  core.app.audit.append({
    log: 'script',
    operator,
    action: `cli.${run.command}`,
    target: run.positionals[0] ?? null,
    outcome: run.failure === undefined ? 'ok' : run.exitCode === 2 ? 'refused' : 'error',
    message: `${line}: exit ${run.exitCode}${run.failure === undefined ? '' : ` (${run.failure})`}`,
    details: { command: line, exitCode: run.exitCode, ...(run.failure === undefined ? {} : { failure: run.failure }) },
  });
}
