// A flow's field list (what its items hold): set by its Flow Admins (flow.settings), recorded in History with
// the list before and after. Items keep the values they hold; the list is checked when an item changes.
import { DeputyError } from '../kernel/errors';
import { authorize } from '../policy/authorize';
import { formatResource } from '../../shared/policy';
import { flowFields, replaceFlowFields } from '../store/flowFields';
import { flowDetail, requireFlow, resourceOf } from './manage';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';
import type { FlowDetail, FlowField } from '../../shared/model';

/** A field list as History and the bundle preview write it: `Amount (number, required), Vendor (text)`. */
export const describeFields = (fields: readonly FlowField[], none = 'none') =>
  fields.length ? fields.map((f) => `${f.name} (${f.type}${f.required ? ', required' : ''})`).join(', ') : none;

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
