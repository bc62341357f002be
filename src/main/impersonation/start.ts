// "Impersonate…": who may be picked (R-S2, R-S3, R-S4), and starting a session with its records.
import { DeputyError } from '../kernel/errors';
import { authorize, requestFor } from '../policy/authorize';
import { decide } from '../policy/decide';
import { readSettings } from '../store/settings';
import { findPrincipal, searchPrincipals } from '../store/principals';
import { insertSession, latestSessions, recentTargets } from '../store/impersonationSessions';
import { insertNotice } from '../store/notices';
import { leaseFrom, nameOf, scheduleExpiry } from './lifecycle';
import { principalLabel } from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller, OperatorCaller } from '../kernel/caller';
import type { Impersonation, ImpersonationCandidate, ImpersonationSessionRow } from '../../shared/model';
import { factsWithRules } from '../../shared/policy';

/** The dialog lists this many: enough to pick from, and a nudge to type more. */
const SHOWN = 50;

/**
 * R-S3: matches on display name and username, from two characters on; lists only users the operator may
 * impersonate, or with `explain` also the others, each with the reason they are excluded.
 */
export function candidates(app: AppContext, caller: Caller, query: string, explain: boolean): ImpersonationCandidate[] {
  // Why someone is excluded names them: explaining needs what reading the directory needs.
  if (explain) authorize(app, caller, 'directory.read');
  const data = app.policy();
  const out: ImpersonationCandidate[] = [];
  for (const r of searchPrincipals(app.db, query)) {
    if (out.length === SHOWN) break; // leaving the loop ends the statement
    const d = decide(data, requestFor(caller, 'session.start', { type: 'user', username: r.username }));
    if (d.allowed) out.push({ username: r.username, displayName: r.displayName });
    else if (explain) {
      out.push({
        username: r.username,
        displayName: r.displayName,
        excluded: factsWithRules(d),
      });
    }
  }
  return out;
}

/** The last people this operator impersonated, who may still be impersonated. */
export function recent(app: AppContext, caller: Caller): ImpersonationCandidate[] {
  const targets = recentTargets(app.db, caller.username);
  const data = app.policy();
  return targets
    .filter((t) => decide(data, requestFor(caller, 'session.start', { type: 'user', username: t })).allowed)
    .slice(0, 5)
    .map((t) => ({
      username: t,
      displayName: findPrincipal(app.db, t)?.displayName ?? '',
    }));
}

/**
 * Whether "Impersonate…" leads anywhere: decide() would let the caller start a session as somebody now.
 * Asked per person rather than of the roles, so the window follows whatever rule main applies (R-S1, R-S2,
 * R-S4), and inside a session (R-S5) the answer is no. It stops at the first person who may be impersonated.
 */
export function mayImpersonateAnyone(app: AppContext, caller: Caller): boolean {
  const data = app.policy();
  for (const username of data.principals.keys()) {
    if (decide(data, requestFor(caller, 'session.start', { type: 'user', username })).allowed) return true;
  }
  return false;
}

export interface StartInput {
  username: string;
  reason: string;
  ticket?: string | undefined;
  minutes?: number | undefined;
}

export function startImpersonation(app: AppContext, caller: OperatorCaller, input: StartInput): Impersonation {
  // Usernames are one whatever their case (the directory compares them so): the session and its records carry the
  // directory's spelling, which decide() knows them by.
  const target = findPrincipal(app.db, input.username)?.username ?? input.username;
  // R-S1, R-S2, R-S4, and R-S5: inside a session decide() sees onBehalfOf and refuses another one.
  authorize(app, caller, 'session.start', { type: 'user', username: target });
  // R-S10 has no exception: every session carries a reason. Refused here, not by the input schema, so that the
  // refusal is recorded as the other refusals of a start are.
  if (!input.reason.trim()) {
    throw new DeputyError(
      'invalid_input',
      'Give a reason for impersonating: it goes into the logs.',
      'reason',
      false,
      'R-S10',
    );
  }
  const settings = readSettings(app.db);
  const minutes = input.minutes ?? settings.impersonationMinutes;
  if (minutes > settings.impersonationMinutes) {
    throw new DeputyError(
      'invalid_input',
      `A session lasts at most ${settings.impersonationMinutes} minutes (setting).`,
      'minutes',
      false,
      'R-S10',
    );
  }
  const session = app.sessions.get(caller.connectionId);
  if (!session) throw new DeputyError('unauthenticated', 'Sign in first.');
  const now = app.clock();
  const expires = new Date(now.getTime() + minutes * 60_000);
  const id = app.db.transaction(() => {
    const newId = insertSession(app.db, {
      operator: caller.username,
      target,
      reason: input.reason.trim(),
      ticket: input.ticket?.trim() || null,
      startedAt: now.toISOString(),
      expiresAt: expires.toISOString(),
      owner: app.owner,
      leaseUntil: leaseFrom(now),
    });
    // R-S6, R-S7: the start record is written as the impersonated user.
    app.audit.append({
      operator: caller.username,
      effectiveUser: target,
      impersonator: caller.username,
      action: 'impersonation.start',
      target,
      message: `Impersonation start: ${nameOf(app, target)} by: ${nameOf(app, caller.username)}`,
      details: { session: newId, reason: input.reason.trim(), ticket: input.ticket?.trim() || null, minutes },
    });
    insertNotice(
      app.db,
      target,
      `${principalLabel(caller)} impersonated you on ${now.toISOString().replace('T', ' ').slice(0, 16)} UTC, reason: ${input.reason.trim()}`,
      now.toISOString(),
    );
    return newId;
  })();
  session.impersonation = { id, target };
  scheduleExpiry(app, id, expires);
  const t = findPrincipal(app.db, target);
  return {
    id,
    user: { username: target, displayName: t?.displayName ?? '', roles: t?.roles ?? [] },
    reason: input.reason.trim(),
    ticket: input.ticket?.trim() || null,
    startedAt: now.toISOString(),
    expiresAt: expires.toISOString(),
  };
}

/** The Sessions tab: everyone's with audit.read, else the operator's own. */
export function listSessions(app: AppContext, caller: Caller, all: boolean): ImpersonationSessionRow[] {
  if (all) authorize(app, caller, 'audit.read');
  return latestSessions(app.db, all ? null : caller.username);
}
