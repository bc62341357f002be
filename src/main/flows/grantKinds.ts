// The flows' kinds of grant: a member (person or group) with a flow role, and a service account's
// impersonation access to a flow (R-K3).
import { findPrincipal } from '../store/principals';
import type { GrantKindMap } from '../deletions/registry';
import type { Db } from '../kernel/ports';
import type { FlowRole } from '../../shared/model';

export type FlowMemberRef = { principal: string } | { group: string };

declare module '../deletions/snapshots' {
  interface GrantKinds {
    flowMember: { flow: string; member: FlowMemberRef; role: FlowRole };
    flowImpersonation: { flow: string; serviceAccount: string };
  }
}

const flowId = (db: Db, name: string) =>
  db.prepare(`SELECT id FROM flows WHERE name = ?`).pluck().get(name) as number | undefined;
const groupId = (db: Db, name: string) =>
  db.prepare(`SELECT id FROM groups WHERE name = ?`).pluck().get(name) as number | undefined;
const memberLabel = (m: FlowMemberRef) => ('principal' in m ? m.principal : `group ${m.group}`);

export const flowGrantKinds: GrantKindMap<'flowMember' | 'flowImpersonation'> = {
  flowMember: {
    describe: (g) => `${memberLabel(g.member)} as ${g.role} of flow ${g.flow}`,
    permission: (g) => ({ action: 'flow.members', resource: { type: 'flow', name: g.flow } }),
    restore(db, g) {
      const flow = flowId(db, g.flow);
      if (flow === undefined) return `flow ${g.flow} is gone`;
      const [p, grp] =
        'principal' in g.member
          ? [findPrincipal(db, g.member.principal)?.id ?? -1, null]
          : [null, groupId(db, g.member.group) ?? -1];
      if (p === -1 || grp === -1) return `${memberLabel(g.member)} is gone`;
      const present = db
        .prepare(`SELECT 1 FROM flow_members WHERE flow_id = ? AND principal_id IS ? AND group_id IS ?`)
        .get(flow, p, grp);
      if (present) return 'a member already';
      db.prepare(`INSERT INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`).run(
        flow,
        p,
        grp,
        g.role,
      );
      return null;
    },
    ofPrincipal: (db, id, principal) =>
      (
        db
          .prepare(
            `SELECT f.name, m.role FROM flow_members m JOIN flows f ON f.id = m.flow_id WHERE m.principal_id = ? ORDER BY f.name`,
          )
          .all(id) as { name: string; role: FlowRole }[]
      ).map((f) => ({ type: 'flowMember', flow: f.name, member: { principal }, role: f.role })),
    ofGroup: (db, id, group) =>
      (
        db
          .prepare(
            `SELECT f.name, m.role FROM flow_members m JOIN flows f ON f.id = m.flow_id WHERE m.group_id = ? ORDER BY f.name`,
          )
          .all(id) as { name: string; role: FlowRole }[]
      ).map((f) => ({ type: 'flowMember', flow: f.name, member: { group }, role: f.role })),
    ofFlow: (db, id, flow) =>
      (
        db
          .prepare(
            `SELECT p.username AS principal, g.name AS grp, m.role FROM flow_members m
             LEFT JOIN principals p ON p.id = m.principal_id LEFT JOIN groups g ON g.id = m.group_id
             WHERE m.flow_id = ? ORDER BY coalesce(p.username, g.name)`,
          )
          .all(id) as { principal: string | null; grp: string | null; role: FlowRole }[]
      ).map((m) => ({
        type: 'flowMember',
        flow,
        member: m.principal !== null ? { principal: m.principal } : { group: m.grp ?? '' },
        role: m.role,
      })),
  },
  flowImpersonation: {
    describe: (g) => `impersonation access for ${g.serviceAccount} to flow ${g.flow}`,
    permission: (g) => ({ action: 'flow.impersonation', resource: { type: 'flow', name: g.flow } }),
    restore(db, g) {
      const flow = flowId(db, g.flow);
      if (flow === undefined) return `flow ${g.flow} is gone`;
      const sa = findPrincipal(db, g.serviceAccount);
      if (sa?.kind !== 'service') return `service account ${g.serviceAccount} is gone`;
      const r = db
        .prepare(`INSERT OR IGNORE INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`)
        .run(flow, sa.id);
      return r.changes > 0 ? null : 'in place already';
    },
    ofPrincipal: (db, id, serviceAccount) =>
      (
        db
          .prepare(
            `SELECT f.name FROM flow_impersonation_grants i JOIN flows f ON f.id = i.flow_id
             WHERE i.service_account_id = ? ORDER BY f.name`,
          )
          .pluck()
          .all(id) as string[]
      ).map((flow) => ({ type: 'flowImpersonation', flow, serviceAccount })),
    ofFlow: (db, id, flow) =>
      (
        db
          .prepare(
            `SELECT p.username FROM flow_impersonation_grants i JOIN principals p ON p.id = i.service_account_id
             WHERE i.flow_id = ? ORDER BY p.username`,
          )
          .pluck()
          .all(id) as string[]
      ).map((serviceAccount) => ({ type: 'flowImpersonation', flow, serviceAccount })),
  },
};
