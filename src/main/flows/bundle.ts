// The flows' section of a policy bundle (flows[]): type, members and impersonation access.
import { byName, key, setDiff, type BundleSection } from '../bundles/section';
import { groupId, principalId } from '../directory/bundle';
import type { Bundle } from '../../shared/bundle';

type FlowEntry = Bundle['flows'][number];
const memberText = (m: FlowEntry['members'][number]) =>
  'principal' in m ? `${m.principal} as ${m.role}` : `group ${m.group} as ${m.role}`;
const memberName = (m: FlowEntry['members'][number]) => ('principal' in m ? m.principal : m.group);

export const flowsSection: BundleSection<'flows'> = {
  key: 'flows',
  export(_db, data) {
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
      ]);
    }
  },
  write(app, next) {
    const db = app.db;
    for (const f of next.flows) {
      const existing = db.prepare(`SELECT id FROM flows WHERE name = ?`).pluck().get(f.name) as number | undefined;
      const id =
        existing ??
        Number(db.prepare(`INSERT INTO flows (name, type) VALUES (?, ?)`).run(f.name, f.type).lastInsertRowid);
      db.prepare(`UPDATE flows SET type = ? WHERE id = ?`).run(f.type, id);
      db.prepare(`DELETE FROM flow_members WHERE flow_id = ?`).run(id);
      db.prepare(`DELETE FROM flow_impersonation_grants WHERE flow_id = ?`).run(id);
      const addMember = db.prepare(
        `INSERT OR REPLACE INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`,
      );
      for (const m of f.members) {
        if ('principal' in m) addMember.run(id, principalId(db, m.principal), null, m.role);
        else addMember.run(id, null, groupId(db, m.group), m.role);
      }
      const grant = db.prepare(
        `INSERT OR IGNORE INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`,
      );
      for (const sa of f.impersonation) grant.run(id, principalId(db, sa));
    }
  },
};
