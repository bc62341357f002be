// The integrations repository: each integration flow's rule (source → target through a service account), found
// by the integration flow or by the flow whose completions start it.
import type { Db } from '../kernel/ports';
import type { FieldMapping, IntegrationRule } from '../../shared/model';

interface IntegrationRow {
  flowId: number;
  flow: string;
  source_flow: string;
  target_flow: string;
  service_account: string;
  mapping: string;
  submit: number;
  enabled: number;
  last_run_at: string | null;
}

const SELECT = `SELECT i.flow_id AS flowId, f.name AS flow, i.source_flow, i.target_flow, i.service_account, i.mapping, i.submit, i.enabled,
  i.last_run_at FROM integrations i JOIN flows f ON f.id = i.flow_id`;

/** A rule as stored, with its integration flow's row id. */
export interface StoredIntegration extends IntegrationRule {
  flowId: number;
}

/** The rule as the API shows it, without the row id. */
export const ruleView = ({ flowId: _flowId, ...rule }: StoredIntegration): IntegrationRule => rule;

const toRule = (r: IntegrationRow): StoredIntegration => ({
  flowId: r.flowId,
  flow: r.flow,
  source: r.source_flow,
  target: r.target_flow,
  serviceAccount: r.service_account,
  mapping: JSON.parse(r.mapping) as FieldMapping[],
  submit: r.submit === 1,
  enabled: r.enabled === 1,
  lastRunAt: r.last_run_at,
});

/** The rule of the integration flow with this row id, if it has one. */
export function integrationOf(db: Db, flowId: number): StoredIntegration | undefined {
  const row = db.prepare(`${SELECT} WHERE i.flow_id = ?`).get(flowId) as IntegrationRow | undefined;
  return row && toRule(row);
}

/** The enabled rules an item completing in `source` starts, in integration-flow name order (a stable run order). */
export function integrationsFrom(db: Db, source: string): StoredIntegration[] {
  return (
    db.prepare(`${SELECT} WHERE i.source_flow = ? AND i.enabled = 1 ORDER BY f.name`).all(source) as IntegrationRow[]
  ).map(toRule);
}

/** The rules that act through a service account, by integration flow name (R-K11). */
export function integrationsThrough(db: Db, serviceAccount: string): StoredIntegration[] {
  return (
    db.prepare(`${SELECT} WHERE i.service_account = ? ORDER BY f.name`).all(serviceAccount) as IntegrationRow[]
  ).map(toRule);
}

/** Every rule, by integration flow name: for the policy bundle. */
export function allIntegrations(db: Db): StoredIntegration[] {
  return (db.prepare(`${SELECT} ORDER BY f.name`).all() as IntegrationRow[]).map(toRule);
}

export type IntegrationWrite = Omit<IntegrationRule, 'flow' | 'lastRunAt'>;

/** Sets the integration flow's rule (keeping when it last ran), or removes it (null). */
export function putIntegration(db: Db, flowId: number, rule: IntegrationWrite | null): void {
  if (rule === null) {
    db.prepare(`DELETE FROM integrations WHERE flow_id = ?`).run(flowId);
    return;
  }
  db.prepare(
    `INSERT INTO integrations (flow_id, source_flow, target_flow, service_account, mapping, submit, enabled)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (flow_id) DO UPDATE SET source_flow = excluded.source_flow, target_flow = excluded.target_flow,
       service_account = excluded.service_account, mapping = excluded.mapping, submit = excluded.submit,
       enabled = excluded.enabled`,
  ).run(
    flowId,
    rule.source,
    rule.target,
    rule.serviceAccount,
    JSON.stringify(rule.mapping),
    rule.submit ? 1 : 0,
    rule.enabled ? 1 : 0,
  );
}

/** Puts a deleted flow's rule back as it was, last run included. */
export function restoreIntegration(db: Db, flowId: number, rule: IntegrationRule): void {
  putIntegration(db, flowId, rule);
  markIntegrationRun(db, flowId, rule.lastRunAt);
}

/** When the rule last ran (whatever came of it): its service account was used then (R-K13). */
export function markIntegrationRun(db: Db, flowId: number, at: string | null): void {
  db.prepare(`UPDATE integrations SET last_run_at = ? WHERE flow_id = ?`).run(at, flowId);
}
