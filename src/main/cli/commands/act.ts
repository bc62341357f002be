// `deputy act METHOD --key-id ID --as USER [--input JSON]`: what a program does over the service API, from a
// script: the key's secret on standard input, the same dispatch, guards and audit records (`USER (account)`). A
// portal's API key (an id starting DPP) needs no --as: its service account acts as itself (R-A5), for portals.decide.
import { CliFailure, UsageError } from '../errors';
import { readStdin } from '../stdin';
import { errorLine } from '../../../shared/result';
import {
  isMethodName,
  isPortalMethod,
  isProgramMethod,
  PORTAL_METHODS,
  PROGRAM_METHODS,
} from '../../../shared/contract';
import { PORTAL_KEY_ID } from '../../../shared/portals';
import type { Core } from '../../core';
import { actingFor } from '../../kernel/caller';
import type { ScriptRun } from '../scriptLog';

export async function act(
  core: Core,
  method: string | undefined,
  options: { 'key-id'?: string | undefined; as?: string | undefined; input?: string | undefined },
  /** Told who ran it once the key was accepted: the run's Script Log record names them (cli/scriptLog.ts). */
  ranAs: (program: NonNullable<ScriptRun['program']>) => void = () => undefined,
): Promise<number> {
  const keyId = options['key-id'];
  const portalKey = keyId !== undefined && PORTAL_KEY_ID.test(keyId);
  if (!method || !isMethodName(method) || !(portalKey ? isPortalMethod(method) : isProgramMethod(method))) {
    const methods = portalKey ? PORTAL_METHODS : PROGRAM_METHODS;
    throw new UsageError(
      `act needs a ${portalKey ? 'portal' : 'program'} method: ${methods.join(', ')}${method ? ` (not "${method}")` : ''}.`,
    );
  }
  if (!keyId) throw new UsageError('act needs --key-id ID, and the secret on standard input.');
  if (!portalKey && !options.as) throw new UsageError('act needs --as USER: the user the service account acts for.');
  if (portalKey && options.as !== undefined)
    throw new UsageError('A portal API key acts as its service account, for no user: drop --as.');
  let input: unknown = {};
  if (options.input !== undefined) {
    try {
      input = JSON.parse(options.input);
    } catch {
      throw new UsageError('--input is not valid JSON.');
    }
  }
  const secret = await readStdin();
  if (!secret) throw new UsageError('Give the secret on standard input.');
  const result = await core.callWith(
    portalKey
      ? { kind: 'portalKey', keyId, secret }
      : { kind: 'accessKey', keyId, secret, onBehalfOf: options.as ?? '' },
    method,
    input,
    (caller) => {
      const other = actingFor(caller);
      ranAs({ account: caller.username, actingFor: other ? other.username : null });
    },
  );
  if (!result.ok) throw new CliFailure(errorLine(result.error), result.error.code === 'invalid_input' ? 2 : 1);
  console.log(JSON.stringify(result.value, null, 2));
  // A decision point answers in its exit code too, as can-i does: 0 allowed, 1 denied.
  const denied =
    typeof result.value === 'object' && result.value !== null && 'allowed' in result.value && !result.value.allowed;
  return denied ? 1 : 0;
}
