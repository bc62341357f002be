// The integrations' section of a policy bundle (integrations[]): each integration flow's rule, without when it
// last ran (that is use, not policy). Written after the flows, which it names.
import { byName, key, type BundleSection } from '../bundles/section';
import { flowId } from '../store/flows';
import { allIntegrations, putIntegration } from '../store/integrations';
import { describeMapping } from './configure';
import type { Bundle } from '../../shared/bundle';

type RuleEntry = NonNullable<Bundle['integrations']>[number];

const describe = (r: RuleEntry) =>
  `${r.source} → ${r.target} through ${r.serviceAccount}${r.mapping.length ? `, mapping ${describeMapping(r.mapping)}` : ''}${r.submit ? ', submitted' : ''}${r.enabled ? '' : ', disabled'}`;

export const integrationsSection: BundleSection<'integrations'> = {
  key: 'integrations',
  export(db) {
    return allIntegrations(db)
      .sort((a, b) => byName(a.flow, b.flow))
      .map(({ flow, source, target, serviceAccount, mapping, submit, enabled }) => ({
        flow,
        source,
        target,
        serviceAccount,
        mapping,
        submit,
        enabled,
      }));
  },
  plan(current, next, out) {
    const rules = new Map((current.integrations ?? []).map((r) => [key(r.flow), r]));
    for (const r of next.integrations ?? []) {
      const old = rules.get(key(r.flow));
      const details = old && describe(old) !== describe(r) ? [`rule: ${describe(old)} → ${describe(r)}`] : [];
      out.diff(`integration ${r.flow}`, old, details);
    }
  },
  needs(current, next) {
    const rules = new Map((current.integrations ?? []).map((r) => [key(r.flow), r]));
    const flows = new Map(current.flows.map((f) => [key(f.name), f.name]));
    return (next.integrations ?? []).flatMap((r) => {
      const old = rules.get(key(r.flow));
      const flow = flows.get(key(r.flow));
      // As in the console, an integration's rule is its flow's Flow Admins' to set; a new flow has none yet.
      if (flow === undefined || (old && describe(old) === describe(r))) return [];
      return [
        {
          change: `integration ${flow}: rule`,
          permission: { action: 'flow.settings', resource: { type: 'flow', name: flow } },
        },
      ];
    });
  },
  write(app, next) {
    for (const r of next.integrations ?? []) {
      const id = flowId(app.db, r.flow);
      if (id === undefined) throw new Error(`flow ${r.flow} was not written before its integration`);
      putIntegration(app.db, id, r);
    }
  },
};
