// The flows' kinds of grant: a member (person or group) with a flow role, and a service account's
// impersonation access to a flow (R-K3).
import { principalId, serviceAccountId } from '../store/principals';
import { groupId } from '../store/groups';
import {
  flowId,
  flowImpersonators,
  flowMembers,
  flowRolesOf,
  flowRolesOfGroup,
  grantFlowImpersonationIfMissing,
  impersonationFlowsOf,
  insertFlowMember,
  memberRole,
} from '../store/flows';
import type { GrantKindMap } from '../deletions/registry';
import type { FlowRole } from '../../shared/model';

export type FlowMemberRef = { principal: string } | { group: string };

declare module '../deletions/snapshots' {
  interface GrantKinds {
    flowMember: { flow: string; member: FlowMemberRef; role: FlowRole };
    flowImpersonation: { flow: string; serviceAccount: string };
  }
}

const memberLabel = (m: FlowMemberRef) => ('principal' in m ? m.principal : `group ${m.group}`);

export const flowGrantKinds: GrantKindMap<'flowMember' | 'flowImpersonation'> = {
  flowMember: {
    describe: (g) => `${memberLabel(g.member)} as ${g.role} of flow ${g.flow}`,
    place: (g) => `${JSON.stringify(g.member)} of flow ${g.flow}`,
    permission: (g) => ({ action: 'flow.members', resource: { type: 'flow', name: g.flow } }),
    restore(db, g) {
      const flow = flowId(db, g.flow);
      if (flow === undefined) return `flow ${g.flow} is gone`;
      const [p, grp] =
        'principal' in g.member
          ? [principalId(db, g.member.principal) ?? -1, null]
          : [null, groupId(db, g.member.group) ?? -1];
      if (p === -1 || grp === -1) return `${memberLabel(g.member)} is gone`;
      // A role changed since is left as it is now.
      if (memberRole(db, flow, p, grp) !== null) return 'a member already';
      insertFlowMember(db, flow, p, grp, g.role);
      return null;
    },
    ofPrincipal: (db, id, principal) =>
      flowRolesOf(db, id).map((f) => ({ type: 'flowMember', flow: f.name, member: { principal }, role: f.role })),
    ofGroup: (db, id, group) =>
      flowRolesOfGroup(db, id).map((f) => ({ type: 'flowMember', flow: f.name, member: { group }, role: f.role })),
    ofFlow: (db, id, flow) =>
      flowMembers(db, id).map((m) => ({
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
      const sa = serviceAccountId(db, g.serviceAccount);
      if (sa === undefined) return `service account ${g.serviceAccount} is gone`;
      return grantFlowImpersonationIfMissing(db, flow, sa) ? null : 'in place already';
    },
    ofPrincipal: (db, id, serviceAccount) =>
      impersonationFlowsOf(db, id).map((f) => ({ type: 'flowImpersonation', flow: f.name, serviceAccount })),
    ofFlow: (db, id, flow) =>
      flowImpersonators(db, id).map((serviceAccount) => ({ type: 'flowImpersonation', flow, serviceAccount })),
  },
};
