// Loads the PolicyData snapshot from SQLite, and reloads it only when the directory changed.
import { policyPrincipals, policyRoles } from '../store/principals';
import { policyGroupMemberships } from '../store/groups';
import { policyFlowImpersonation, policyFlowMembers, policyFlows } from '../store/flows';
import { policySharedGrants } from '../store/grants';
import { policyGenerationReader } from '../store/settings';
import type { Db } from '../kernel/ports';
import type { PolicyData, PolicyFlow, PolicyPrincipal } from '../kernel/policyData';
import type { AccountRole, FlowRole, SharedResource } from '../../shared/model';

export function loadPolicyData(db: Db): PolicyData {
  const principals = new Map<string, PolicyPrincipal>();
  const byId = new Map<number, PolicyPrincipal & { roles: AccountRole[] }>();
  for (const r of policyPrincipals(db)) {
    const p = { username: r.username, kind: r.kind, status: r.status, roles: [] as AccountRole[] };
    principals.set(p.username, p);
    byId.set(r.id, p);
  }
  for (const r of policyRoles(db)) {
    byId.get(r.principal_id)?.roles.push(r.role);
  }

  const groupsOf = new Map<string, string[]>();
  for (const r of policyGroupMemberships(db)) {
    const list = groupsOf.get(r.username) ?? [];
    list.push(r.name);
    groupsOf.set(r.username, list);
  }

  type MutableFlow = PolicyFlow & {
    members: Map<string, FlowRole>;
    groupRoles: Map<string, FlowRole>;
    impersonation: Set<string>;
  };
  const flows = new Map<string, MutableFlow>();
  const flowById = new Map<number, MutableFlow>();
  for (const r of policyFlows(db)) {
    const f: MutableFlow = {
      name: r.name,
      type: r.type,
      members: new Map(),
      groupRoles: new Map(),
      impersonation: new Set(),
    };
    flows.set(f.name, f);
    flowById.set(r.id, f);
  }
  for (const r of policyFlowMembers(db)) {
    const f = flowById.get(r.flow_id);
    if (!f) continue;
    if (r.username) f.members.set(r.username, r.role);
    else if (r.group_name) f.groupRoles.set(r.group_name, r.role);
  }
  for (const r of policyFlowImpersonation(db)) {
    flowById.get(r.flow_id)?.impersonation.add(r.username);
  }

  const sharedGrants = new Map<string, Set<SharedResource>>();
  for (const r of policySharedGrants(db)) {
    const set = sharedGrants.get(r.username) ?? new Set<SharedResource>();
    set.add(r.resource);
    sharedGrants.set(r.username, set);
  }
  return { principals, groupsOf, flows, sharedGrants };
}

/** The current snapshot; rebuilt only when the policy generation token changed (migrations 030, 240). */
export function createPolicySource(db: Db): () => PolicyData {
  const generation = policyGenerationReader(db);
  let cached: { generation: unknown; data: PolicyData } | undefined;
  return () => {
    const current = generation();
    if (!cached || cached.generation !== current) cached = { generation: current, data: loadPolicyData(db) };
    return cached.data;
  };
}
