// `deputy auth check --key-id ID`: the secret comes on stdin (never a flag); answers valid, invalid,
// expired, disabled or locked. Exit 0 only for valid.
import { UsageError } from '../errors';
import { readStdin } from '../stdin';
import { checkKey } from '../../serviceAccounts/keys';
import type { Core } from '../../core';

export async function authCommand(core: Core, sub: string | undefined, keyId: string | undefined): Promise<number> {
  if (sub !== 'check') throw new UsageError(`auth needs a subcommand: check${sub ? ` (not "${sub}")` : ''}.`);
  if (!keyId) throw new UsageError('auth check needs --key-id ID, and the secret on standard input.');
  const secret = await readStdin();
  if (!secret) throw new UsageError('Give the secret on standard input.');
  const result = await checkKey(core.app, keyId, secret);
  console.log(result);
  return result === 'valid' ? 0 : 1;
}
