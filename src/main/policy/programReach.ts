// A program acts with the rights of the user it acts for (R-K6), yet what service accounts may do is a person's
// decision: impersonation access (R-K4, never a program method) and a service account's own places, its roles in
// flows (R-K10) and its groups, which hold flow roles too. A program acting for a Flow Admin or a User Admin could
// otherwise make its own account Flow Admin, directly or through a group, and act in that flow as itself with no
// impersonation grant, keeping it after its grants are revoked. So a program changes no service account's place,
// whoever it acts for, in either direction; those changes stay with people, in the console.
import { DeputyError } from '../kernel/errors';
import type { Caller } from '../kernel/caller';

/** Refuses a program's change of `what` (a service account's place), naming R-K10; a person's passes. */
export function refuseProgramReach(caller: Caller, what: string): void {
  if (caller.kind !== 'service') return;
  throw new DeputyError(
    'forbidden',
    `A program cannot change ${what}: what service accounts may do is for a person to decide, in the console.`,
    undefined,
    false,
    'R-K10',
  );
}
