// An integration flow's rule, as its Flow Admin sets it (flow.settings on the integration flow). The rule is
// checked against what exists when it is saved — flows of the right types, a service account, fields that exist
// on both sides with the same type — so a run fails only on what changed since (Script Log, run.ts). Each change
// commits with one History record of the parts that changed, old → new.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { formatResource } from '../../shared/policy';
import { requireFlow, resourceOf } from '../flows/manage';
import { requirePrincipal } from '../directory/manage';
import { withArticle } from '../items/rules';
import { flowFields } from '../store/flowFields';
import { integrationOf, putIntegration, ruleView, type IntegrationWrite } from '../store/integrations';
import {
  IMPERSONABLE_FLOW_TYPES,
  TITLE_FIELD,
  type FieldMapping,
  type FieldType,
  type FlowField,
  type IntegrationRule,
} from '../../shared/model';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { FlowRow } from '../store/flows';

function requireIntegrationFlow(app: AppContext, name: string): FlowRow {
  const f = requireFlow(app, name);
  if (f.type !== 'integration') {
    throw new DeputyError(
      'invalid_input',
      `${f.name} is ${withArticle(f.type)}; integration rules live in integration flows.`,
      'flow',
    );
  }
  return f;
}

function requireItemFlow(app: AppContext, name: string, field: 'source' | 'target'): FlowRow {
  const f = requireFlow(app, name);
  if (!IMPERSONABLE_FLOW_TYPES.includes(f.type)) {
    throw new DeputyError(
      'invalid_input',
      `${f.name} is ${withArticle(f.type)}; an integration connects processes, boards and datasets.`,
      field,
    );
  }
  return f;
}

const typeOf = (fields: readonly FlowField[], name: string): FieldType | undefined =>
  name === TITLE_FIELD ? 'text' : fields.find((f) => f.name === name)?.type;

function checkMapping(
  mapping: readonly FieldMapping[],
  source: { name: string; fields: FlowField[] },
  target: { name: string; fields: FlowField[] },
): void {
  const seen = new Set<string>();
  mapping.forEach((m, i) => {
    const from = typeOf(source.fields, m.from);
    if (!from)
      throw new DeputyError('invalid_input', `${source.name} has no field named ${m.from}.`, `mapping.${i}.from`);
    const to = typeOf(target.fields, m.to);
    if (!to) throw new DeputyError('invalid_input', `${target.name} has no field named ${m.to}.`, `mapping.${i}.to`);
    if (from !== to) {
      throw new DeputyError(
        'invalid_input',
        `${source.name}'s ${m.from} is ${from} and ${target.name}'s ${m.to} is ${to}; a mapping joins fields of one type.`,
        `mapping.${i}.to`,
      );
    }
    if (seen.has(m.to)) throw new DeputyError('invalid_input', `${m.to} is filled twice.`, `mapping.${i}.to`);
    seen.add(m.to);
  });
}

/** The rule of an integration flow, or null when it has none yet. */
export function getIntegration(app: AppContext, flow: string): IntegrationRule | null {
  const f = requireIntegrationFlow(app, flow);
  const rule = integrationOf(app.db, f.id);
  return rule ? ruleView(rule) : null;
}

/** A mapping as History and the bundle preview write it: `Amount → Amount, Vendor → Supplier`. */
export const describeMapping = (m: readonly FieldMapping[]) =>
  m.length ? m.map((x) => `${x.from} → ${x.to}`).join(', ') : 'none';

/** What History shows of a rule, part by part. */
function parts(rule: IntegrationWrite | null): Record<string, string | boolean | null> {
  return {
    source: rule?.source ?? null,
    target: rule?.target ?? null,
    serviceAccount: rule?.serviceAccount ?? null,
    mapping: rule ? describeMapping(rule.mapping) : null,
    submit: rule?.submit ?? null,
    enabled: rule?.enabled ?? null,
  };
}

export function setIntegration(
  app: AppContext,
  caller: Caller,
  flow: string,
  rule: IntegrationWrite | null,
): IntegrationRule | null {
  const f = requireIntegrationFlow(app, flow);
  authorize(app, caller, 'flow.settings', resourceOf(f));
  if (rule) {
    const source = requireItemFlow(app, rule.source, 'source');
    const target = requireItemFlow(app, rule.target, 'target');
    if (source.id === target.id) {
      throw new DeputyError(
        'invalid_input',
        `An integration goes from one flow to another, not ${source.name} to itself.`,
        'target',
      );
    }
    // The rule copies what source items hold; whoever sets it must be able to read them.
    authorize(app, caller, 'item.read', resourceOf(source));
    const account = requirePrincipal(app, rule.serviceAccount, 'serviceAccount');
    if (account.kind !== 'service') {
      throw new DeputyError('invalid_input', `${account.username} is not a service account.`, 'serviceAccount');
    }
    checkMapping(
      rule.mapping,
      { name: source.name, fields: flowFields(app.db, source.id) },
      { name: target.name, fields: flowFields(app.db, target.id) },
    );
    rule = { ...rule, source: source.name, target: target.name, serviceAccount: account.username };
  }
  const before = integrationOf(app.db, f.id) ?? null;
  const old = parts(before);
  const next = parts(rule);
  const changes = Object.keys(next)
    .filter((k) => old[k] !== next[k])
    .map((k) => ({ field: k, old: old[k] ?? null, new: next[k] ?? null }));
  if (changes.length === 0) throw new DeputyError('conflict', `${f.name} holds this rule already.`);
  return app.db.transaction(() => {
    putIntegration(app.db, f.id, rule);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'flow.settings',
      target: formatResource(resourceOf(f)),
      message: rule
        ? `${f.name}: when an item in ${rule.source} completes, ${rule.serviceAccount} creates one in ${rule.target} as its initiator (${changes.map((c) => c.field).join(', ')} changed)`
        : `${f.name}: integration rule removed`,
      details: { changes },
    });
    return getIntegration(app, f.name);
  })();
}
