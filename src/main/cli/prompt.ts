// Reads a password without echoing it.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from './errors';

export function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk as Buffer);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/** DEPUTY_PASSWORD when set (scripts, CI), else a hidden prompt; never a command-line flag (ps shows those). */
export async function operatorPassword(question = 'Password: '): Promise<string> {
  const fromEnv = process.env.DEPUTY_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UsageError('No password: set DEPUTY_PASSWORD or run in a terminal to be asked for it.');
  }
  return promptHidden(question);
}

/**
 * Asks a yes/no question on the terminal (the answer is shown as typed); true only for "yes". Without a terminal there
 * is no one to ask: a script says --yes, and is told so.
 */
export async function confirmOnTerminal(question: string, scriptFlag = '--yes'): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`No terminal to confirm in: add ${scriptFlag} to go ahead from a script.`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer.trim().toLowerCase() === 'yes');
    });
  });
}
