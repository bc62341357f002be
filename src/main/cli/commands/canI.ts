// `deputy can-i ACTION RESOURCE --as USER [--via SERVICE_ACCOUNT] [--json]`, like `kubectl auth can-i`:
// exit 0 allowed, 1 denied, 2 bad input. It reads the policy from the database file and changes nothing.
import { UsageError } from '../errors';
import { decide } from '../../policy/decide';
import { ACTIONS, factsOf, parseResource, ruleLabel, type Action } from '../../../shared/policy';
import type { Core } from '../../core';

export function canI(core: Core, positionals: string[], values: { as?: string; via?: string; json?: boolean }): number {
  const [action, resourceText] = positionals;
  if (!action || !resourceText)
    throw new UsageError('can-i needs ACTION and RESOURCE, e.g. can-i item.create "flow:Purchase Order" --as jdoe');
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`Unknown action "${action}". Actions: ${ACTIONS.join(', ')}.`);
  }
  const resource = parseResource(resourceText);
  if (!resource)
    throw new UsageError(`Unknown resource "${resourceText}": write account, flow:<name> or user:<username>.`);
  if (!values.as) throw new UsageError('can-i needs --as USER.');

  // --via SA: the service account acts on behalf of USER; otherwise USER acts as themself.
  const decision = decide(core.app.policy(), {
    actor: values.via ?? values.as,
    action: action as Action,
    resource,
    ...(values.via ? { onBehalfOf: values.as } : {}),
  });
  if (decision.reasons.some((r) => r.rule === 'input')) {
    throw new UsageError(factsOf(decision));
  }
  if (values.json) console.log(JSON.stringify(decision, null, 2));
  else {
    console.log(decision.allowed ? 'yes' : 'no');
    for (const r of decision.reasons) console.log(`  ${ruleLabel(r)}: ${r.fact}`);
  }
  return decision.allowed ? 0 : 1;
}
