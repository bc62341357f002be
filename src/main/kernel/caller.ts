// Who is calling, as every handler and service sees it, whatever the transport: resolved once per call
// by src/main/callers/resolve.ts and never taken from the caller's input.
import type { Operator } from '../../shared/model';

/** A principal as the directory holds it now (re-read on every call). */
export interface Identity extends Operator {
  principalId: number;
}

/** A person signed in on a connection: an Electron window, a browser-mode cookie or a CLI run. */
export interface OperatorCaller extends Identity {
  kind: 'operator';
  connectionId: string;
  /** While the operator impersonates: the user every decision is for (R-S9), and the session. */
  onBehalfOf?: Identity;
  impersonationId?: number;
  /** Set once, on the first call after an impersonation ended by itself: that call is refused (api/dispatch.ts). */
  impersonationEnded?: string;
}

/**
 * A service account acting on behalf of a named user (R-K5, R-S8): a program presenting one of its access keys, or
 * an integration flow that runs through it (no key: main runs the rule the integration's Flow Admin set). A program
 * that names the account itself acts as itself, with the flow roles the account holds as a member (R-K10).
 */
export interface ServiceCaller extends Identity {
  kind: 'service';
  /** The key the program presented; null when an integration runs. */
  keyId: string | null;
  onBehalfOf: Identity;
  /**
   * A portal's API key (R-A5): the portal it authenticates. The account acts as itself (onBehalfOf is the account) and
   * may call only the portal methods (PORTAL_METHODS), answered from the portal's findings.
   */
  portal?: string;
}

export type Caller = OperatorCaller | ServiceCaller;

/** A principal as the directory holds it → its identity as a caller (one shape, whoever resolves it). */
export const identityOf = (p: Operator & { id: number }): Identity => ({
  principalId: p.id,
  username: p.username,
  displayName: p.displayName,
  roles: p.roles,
});

/** Whose rights apply to the call: the user acted for, else the caller (R-S9). */
export const effectiveIdentity = (caller: Caller): Identity => caller.onBehalfOf ?? caller;

/**
 * The other user the caller acts for: an impersonated user, or the user a service account acts on behalf of; none
 * when a service account acts as itself (its own flow roles, R-K10; a portal, R-A5). What decide() is asked about
 * and what records carry as `user (caller)` (R-S8).
 */
export const actingFor = (caller: Caller): Identity | undefined =>
  caller.onBehalfOf && caller.onBehalfOf.principalId !== caller.principalId ? caller.onBehalfOf : undefined;
