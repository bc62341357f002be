// Running integrations: completing an item runs every enabled rule whose source is the item's flow, in the same
// transaction as the completion. Each run creates the target item as the source item's initiator through the
// rule's service account — the same createItem, the same decide() (R-K5, R-K6), records attributed
// `initiator (service-account)` (R-S8) — inside a savepoint of its own: a run that is refused or fails leaves
// nothing behind but its Script Log record saying why, and the completion stands. Every run is one Script Log
// record (R-L1), and moves the service account's last use (R-K13).
import { DeputyError } from '../kernel/errors';
import { actingFor, identityOf, type Caller, type ServiceCaller } from '../kernel/caller';
import { runAttributed } from '../audit/attribution';
import { findPrincipal } from '../store/principals';
import { integrationsFrom, markIntegrationRun, type StoredIntegration } from '../store/integrations';
import { createItem, moveItem, submitItem } from '../items/manage';
import type { AppContext } from '../kernel/context';
import { TITLE_FIELD, type FieldValue, type Item } from '../../shared/model';

/** Completes an item and runs the integrations its flow starts, in the completion's transaction. */
export const completeItem = (app: AppContext, caller: Caller, id: number): Item =>
  moveItem(app, caller, 'complete', id, (completed) => {
    for (const rule of integrationsFrom(app.db, completed.flow)) runIntegration(app, rule, completed, caller);
  });

/**
 * Who completed the source item, as its own record names them (R-S8): the run's records are the initiator's, so its
 * Script Log record says who set it off, an impersonating admin or a program included.
 */
function completedBy(caller: Caller): string {
  const other = actingFor(caller);
  return other ? `${other.username} (${caller.username})` : caller.username;
}

/** The new item's title and fields: the mapped values of the source item, its title unless mapped otherwise. */
function mapped(rule: StoredIntegration, source: Item): { title: string; fields: Record<string, FieldValue> } {
  let title = source.title;
  const fields: Record<string, FieldValue> = {};
  for (const { from, to } of rule.mapping) {
    const value = from === TITLE_FIELD ? source.title : source.fields[from];
    if (value === undefined || value === null) continue;
    if (to === TITLE_FIELD) title = String(value);
    else fields[to] = value;
  }
  return { title, fields };
}

function runIntegration(app: AppContext, rule: StoredIntegration, source: Item, completer: Caller): void {
  markIntegrationRun(app.db, rule.flowId, app.clock().toISOString());
  const by = completedBy(completer);
  const about = `item ${source.id} ${source.title} completed in ${source.flow} by ${by}`;
  const record = (outcome: 'ok' | 'refused' | 'error', message: string, details: Record<string, unknown>) =>
    app.audit.append({
      log: 'script',
      operator: rule.serviceAccount,
      action: 'integration.run',
      target: `flow:${rule.flow}`,
      outcome,
      message: `Integration ${rule.flow}: ${message}`,
      details: { integration: rule.flow, source: source.id, completedBy: by, target: rule.target, ...details },
    });

  const account = findPrincipal(app.db, rule.serviceAccount);
  const initiator = findPrincipal(app.db, source.createdBy);
  // Gone since the rule was saved: said before decide() is asked, which knows neither of them.
  if (!account || account.kind !== 'service' || !initiator) {
    const why = !initiator
      ? `its initiator ${source.createdBy} no longer exists`
      : `${rule.serviceAccount} is no longer a service account`;
    record('refused', `${about}; nothing created in ${rule.target}: ${why}`, {});
    return;
  }
  const caller: ServiceCaller = {
    kind: 'service',
    keyId: null,
    ...identityOf(account),
    onBehalfOf: identityOf(initiator),
  };
  // R-S8: whatever this run writes, its Script Log record included, reads `initiator (service-account)`.
  runAttributed({ effectiveUser: initiator.username, impersonator: account.username }, () => {
    try {
      const created: Item = app.db.transaction(() => {
        const item = createItem(app, caller, { flow: rule.target, ...mapped(rule, source) });
        return rule.submit ? submitItem(app, caller, { id: item.id }) : item;
      })();
      record('ok', `${about}; created item ${created.id} ${created.title} in ${rule.target} as ${initiator.username}`, {
        created: created.id,
      });
    } catch (err) {
      // The savepoint is gone with whatever the run wrote, its refusal record too: this record says why.
      if (err instanceof DeputyError) {
        // The error's rule sits apart from its sentence; a record names it, as the refusal's own record did.
        const decided = err.rule ? ` (${err.rule})` : '';
        record('refused', `${about}; nothing created in ${rule.target}: ${err.message}${decided}`, {
          code: err.code,
          ...(err.rule ? { rule: err.rule } : {}),
        });
      } else {
        record('error', `${about}; nothing created in ${rule.target}: unexpected failure: ${String(err)}`, {});
      }
    }
  });
}
