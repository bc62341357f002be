// `deputy unlock USER`: see directory/recover.ts. Exit 0 done, 1 refused, 2 bad input.
import { DeputyError } from '../../kernel/errors';
import { CliFailure, UsageError } from '../errors';
import { recoverSuperAdmin } from '../../directory/recover';
import type { Core } from '../../core';

export async function unlock(core: Core, username: string | undefined): Promise<number> {
  if (!username) throw new UsageError('unlock needs USER, the Super Admin to unlock: deputy unlock root');
  try {
    console.log(await recoverSuperAdmin(core.app, username));
    return 0;
  } catch (err) {
    if (!(err instanceof DeputyError)) throw err;
    if (err.code === 'invalid_input' || err.code === 'not_found') throw new UsageError(err.message);
    throw new CliFailure(err.message, 1);
  }
}
