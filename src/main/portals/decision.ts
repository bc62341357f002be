// What a portal's API key may do (R-A5): "may this portal do <use case> on <object>?", answered from the portal's own
// use cases and its service account's permissions on that object (held.ts), like decide(): the facts in, the answer
// out, no I/O. `decidePortalUse` adds the audit record, attributed to the portal's service account.
import {
  KIND_LABELS,
  LEVEL_LABELS,
  USE_CASE_TABLE,
  rank,
  requirementLabel,
  type Portal,
  type PortalDecision,
  type UseCase,
} from '../../shared/portals';
import { heldBy, type PortalFacts } from './held';
import { loadPortalFacts } from './facts';
import { portalTarget, requirePortal } from './manage';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function portalUseDecision(
  facts: PortalFacts,
  portal: Portal,
  useCase: UseCase,
  object: string,
): PortalDecision {
  const label = USE_CASE_TABLE[useCase].label;
  const answer = (allowed: boolean, reason: string, rest: Partial<PortalDecision> = {}): PortalDecision => ({
    portal: portal.name,
    useCase,
    object,
    allowed,
    required: null,
    actual: null,
    reason,
    ...rest,
  });
  const use = portal.uses.find((u) => u.useCase === useCase);
  if (!use) return answer(false, `Portal ${portal.name} does not ${label}.`);
  const o = facts.objects.get(object);
  if (!use.objects.includes(object) || !o)
    return answer(false, `Portal ${portal.name} does not reference ${object} to ${label}.`);
  const need = USE_CASE_TABLE[useCase].needs.find((n) => n.kind === o.kind)!;
  const required = { min: need.min, max: need.max };
  const account = portal.serviceAccount;
  const p = facts.principals.get(account);
  if (p?.kind !== 'service')
    return answer(false, `${account} is not a service account, so portal ${portal.name} cannot act.`, {
      required,
      rule: 'R-A1',
    });
  if (p.status !== 'active')
    return answer(false, `Service account ${account} is inactive, so portal ${portal.name} cannot act.`, {
      required,
      rule: 'R-A1',
    });
  const { actual } = heldBy(facts, account, o);
  const what = `${KIND_LABELS[o.kind]} ${object}`;
  if (actual === 'deny') return answer(false, `${account} is denied on ${what}.`, { required, actual });
  if (actual === null || rank(actual) < rank(need.min))
    return answer(
      false,
      `${account} needs ${requirementLabel(required)} on ${what} to ${label}, and has ${actual ? LEVEL_LABELS[actual] : 'nothing'}.`,
      { required, actual },
    );
  return answer(true, `${account} has ${LEVEL_LABELS[actual]} on ${what}: enough to ${label}.`, { required, actual });
}

/** The decision, with one audit record for it (allowed or refused), naming the portal and its service account. */
export function decidePortalUse(
  app: AppContext,
  caller: Caller,
  portalName: string,
  useCase: UseCase,
  object: string,
): PortalDecision {
  const stored = requirePortal(app, portalName, 'portal');
  const portal: Portal = { name: stored.name, serviceAccount: stored.serviceAccount, uses: stored.uses };
  const d = portalUseDecision(loadPortalFacts(app, portal), portal, useCase, object);
  app.audit.append({
    operator: caller.username,
    action: 'portals.decide',
    target: portalTarget(portal.name),
    outcome: d.allowed ? 'ok' : 'refused',
    message: `${d.allowed ? 'Allowed' : 'Refused'}: portal ${portal.name} to ${USE_CASE_TABLE[useCase].label} on ${object}. ${d.reason}${d.rule ? ` (${d.rule})` : ''}`,
    details: { useCase, object, ...(caller.kind === 'service' && caller.keyId ? { keyId: caller.keyId } : {}) },
  });
  return d;
}
