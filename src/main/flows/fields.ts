// A flow's field list (what its items hold): set by its Flow Admins (flow.settings), recorded in History with
// the list before and after. Items keep the values they hold; the list is checked when an item changes.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { formatResource } from '../../shared/policy';
import { flowFields, replaceFlowFields } from '../store/flowFields';
import { allIntegrations } from '../store/integrations';
import { flowDetail, requireFlow, resourceOf } from './manage';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import { describeFields, type FlowDetail, type FlowField } from '../../shared/model';

export function setFlowFields(app: AppContext, caller: Caller, flow: string, fields: readonly FlowField[]): FlowDetail {
  const f = requireFlow(app, flow);
  authorize(app, caller, 'flow.settings', resourceOf(f));
  const seen = new Set<string>();
  fields.forEach((field, i) => {
    if (seen.has(field.name))
      throw new DeputyError('invalid_input', `${field.name} is in the list twice.`, `fields.${i}.name`);
    seen.add(field.name);
  });
  const old = flowFields(app.db, f.id);
  if (JSON.stringify(old) === JSON.stringify(fields)) {
    throw new DeputyError('conflict', `${f.name} has these fields already.`);
  }
  keepMappedFields(app, f.name, old, fields);
  return app.db.transaction(() => {
    replaceFlowFields(app.db, f.id, fields);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'flow.settings',
      target: formatResource(resourceOf(f)),
      message: `${f.name}: fields ${describeFields(old)} → ${describeFields(fields)}`,
      details: { changes: [{ field: 'fields', old, new: fields }] },
    });
    return flowDetail(app, f.name);
  })();
}

/**
 * An integration's mapping names fields of its source and target flows, checked when the rule was set: a field it
 * maps may not go, nor change type, under it, or its next run would copy into nothing. Changing the rule comes first.
 */
function keepMappedFields(
  app: AppContext,
  flow: string,
  old: readonly FlowField[],
  fields: readonly FlowField[],
): void {
  const typeIn = (list: readonly FlowField[], name: string) => list.find((x) => x.name === name)?.type;
  for (const rule of allIntegrations(app.db)) {
    for (const m of rule.mapping) {
      for (const [side, name] of [
        [rule.source, m.from],
        [rule.target, m.to],
      ] as const) {
        if (side !== flow) continue;
        const now = typeIn(fields, name);
        if (now === typeIn(old, name)) continue;
        throw new DeputyError(
          'conflict',
          `The integration ${rule.flow} maps ${m.from} → ${m.to}, so ${flow}'s ${name} cannot ` +
            `${now ? `become ${now}` : 'go'}. Change that integration's mapping first.`,
          'fields',
        );
      }
    }
  }
}
