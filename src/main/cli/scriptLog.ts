// R-L1: the Script Log holds one record per `deputy` run that opened the database: what ran, as whom, and how it
// ended. The records of what the run changed go to their own logs as from the window (History, Main Log…); this one
// is the run itself, for the auditor who asks what automation did. No secret is ever on the command line: passwords
// come from DEPUTY_PASSWORD or a prompt, key secrets on standard input.
import { CLI_CONNECTION } from './invoke';
import type { Core } from '../core';

export interface ScriptRun {
  command: string;
  positionals: string[];
  options: Record<string, string | string[] | boolean | undefined>;
  exitCode: number;
  /** What went wrong, when the run ended with an error rather than its answer. */
  failure?: string;
  /**
   * Who ran it, when no console session says so: the program whose key `deputy act` presented (once accepted), and the
   * user it acted for, recorded `user (account)` like the program's own calls (R-S8, R-L3).
   */
  program?: { account: string; actingFor: string | null };
}

/** A run's record says what ran; it is not a place to store a file pasted as an argument (nor its echo in an error). */
const MAX_LINE = 2_000;
const MAX_FAILURE = 500;
const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;

/** The command line as typed, minus the database path (it is the log's own file) and options not given. */
function commandLine(run: ScriptRun): string {
  const options = Object.entries(run.options)
    .filter(([name, value]) => value !== undefined && value !== false && name !== 'db')
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => [name, v] as const))
    .map(([name, value]) => (value === true ? `--${name}` : `--${name} ${JSON.stringify(value)}`));
  return cut(['deputy', run.command, ...run.positionals, ...options].join(' '), MAX_LINE);
}

export function recordScriptRun(core: Core, run: ScriptRun): void {
  const line = commandLine(run);
  const failure = run.failure === undefined ? undefined : cut(run.failure, MAX_FAILURE);
  const target = run.positionals[0];
  const { program } = run;
  core.app.audit.append({
    log: 'script',
    ...(program
      ? {
          operator: program.account,
          effectiveUser: program.actingFor ?? program.account,
          impersonator: program.actingFor && program.account,
        }
      : { operator: core.app.sessions.get(CLI_CONNECTION)?.username ?? null }),
    action: `cli.${run.command}`,
    target: target === undefined ? null : cut(target, MAX_FAILURE),
    outcome: failure === undefined ? 'ok' : run.exitCode === 2 ? 'refused' : 'error',
    message: `${line}: exit ${run.exitCode}${failure === undefined ? '' : ` (${failure})`}`,
    details: { command: line, exitCode: run.exitCode, ...(failure === undefined ? {} : { failure }) },
  });
}
