// The flows' section of a policy bundle (flows[]): type, members, impersonation access and field list.
import { byName, key, sameSet, setDiff, type BundleSection, type Need } from '../bundles/section';
import { principalId } from '../store/principals';
import { groupId } from '../store/groups';
import { flowId, insertFlow, replaceFlowImpersonation, replaceFlowMembers, setFlowType } from '../store/flows';
import { flowFields, replaceFlowFields } from '../store/flowFields';
import { describeFields } from '../../shared/model';
import type { Bundle } from '../../shared/bundle';

type FlowEntry = Bundle['flows'][number];
const memberText = (m: FlowEntry['members'][number]) =>
  'principal' in m ? `${m.principal} as ${m.role}` : `group ${m.group} as ${m.role}`;
const memberName = (m: FlowEntry['members'][number]) => ('principal' in m ? m.principal : m.group);
const fieldsChanged = (old: FlowEntry | undefined, f: FlowEntry) =>
  f.fields !== undefined && JSON.stringify(f.fields) !== JSON.stringify(old?.fields ?? []);

export const flowsSection: BundleSection<'flows'> = {
  key: 'flows',
  export(db, data) {
    return [...data.flows.values()]
      .sort((a, b) => byName(a.name, b.name))
      .map((f) => ({
        name: f.name,
        type: f.type,
        members: [
          ...[...f.members].map(([principal, role]) => ({ principal, role })),
          ...[...f.groupRoles].map(([group, role]) => ({ group, role })),
        ].sort((a, b) => byName(memberName(a), memberName(b))),
        impersonation: [...f.impersonation].sort(byName),
        fields: flowFields(db, flowId(db, f.name) ?? 0),
      }));
  },
  plan(current, next, out) {
    const flows = new Map(current.flows.map((f) => [key(f.name), f]));
    for (const f of next.flows) {
      const old = flows.get(key(f.name));
      out.diff(`flow ${f.name}`, old, [
        ...(old && old.type !== f.type ? [`type: ${old.type} → ${f.type}`] : []),
        ...setDiff('members', (old?.members ?? []).map(memberText), f.members.map(memberText)),
        ...setDiff('impersonation access', old?.impersonation ?? [], f.impersonation),
        ...(f.fields && fieldsChanged(old, f)
          ? [`fields: ${describeFields(old?.fields ?? [], '(none)')} → ${describeFields(f.fields, '(none)')}`]
          : []),
      ]);
    }
  },
  needs(current, next) {
    const flows = new Map(current.flows.map((f) => [key(f.name), f]));
    return next.flows.flatMap((f): Need[] => {
      const old = flows.get(key(f.name));
      // A new flow has no Flow Admin to ask yet: bringing it in whole is the import's own power.
      if (!old) return [];
      const resource = { type: 'flow', name: old.name } as const;
      const need = (what: string, action: 'flow.members' | 'flow.impersonation' | 'flow.settings'): Need => ({
        change: `flow ${old.name}: ${what}`,
        permission: { action, resource },
      });
      return [
        ...(sameSet(old.members.map(memberText), f.members.map(memberText)) ? [] : [need('members', 'flow.members')]),
        ...(sameSet(old.impersonation, f.impersonation) ? [] : [need('impersonation access', 'flow.impersonation')]),
        ...(old.type !== f.type || fieldsChanged(old, f) ? [need('type and fields', 'flow.settings')] : []),
      ];
    });
  },
  write(app, next) {
    const db = app.db;
    for (const f of next.flows) {
      const id = flowId(db, f.name) ?? insertFlow(db, f.name, f.type);
      setFlowType(db, id, f.type);
      replaceFlowMembers(
        db,
        id,
        f.members.map((m) =>
          'principal' in m
            ? { principalId: principalId(db, m.principal), groupId: null, role: m.role }
            : { principalId: null, groupId: groupId(db, m.group), role: m.role },
        ),
      );
      replaceFlowImpersonation(
        db,
        id,
        f.impersonation.map((sa) => principalId(db, sa)),
      );
      if (f.fields) replaceFlowFields(db, id, f.fields);
    }
  },
};
