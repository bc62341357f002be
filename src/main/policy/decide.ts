// decide(): who may do what, as whom — and why. Pure: plain data in, a decision with its reasons out.
import { ACCOUNT_ROLE_PERMISSIONS, ACCOUNT_RULE, ADMIN_ROLES, FLOW_ROLE_PERMISSIONS, accountRights } from './catalog';
import { formatResource, isItemAction, resourceTypeOf } from '../../shared/policy';
import type { Action, Decision, DecisionRequest, Reason, Resource } from '../../shared/policy';
import { IMPERSONABLE_FLOW_TYPES, withArticle, type FlowRole } from '../../shared/model';
import type { PolicyData, PolicyFlow, PolicyPrincipal } from '../kernel/policyData';

const allow = (...reasons: Reason[]): Decision => ({ allowed: true, reasons });
const deny = (rule: string, fact: string): Decision => ({ allowed: false, reasons: [{ rule, fact }] });
const KIND_NAMES = { human: 'person', service: 'service account', guest: 'guest user', system: 'system user' } as const;

export function decide(data: PolicyData, req: DecisionRequest): Decision {
  const actor = data.principals.get(req.actor);
  if (!actor) return deny('input', `${req.actor} is not in the directory`);
  const expected = resourceTypeOf(req.action);
  if (req.resource.type !== expected) {
    return deny(
      'input',
      `${req.action} applies to ${expected === 'account' ? 'the account' : `a ${expected}`}, not ${formatResource(req.resource)}`,
    );
  }
  if (actor.status !== 'active')
    return deny('active', `${actor.username} is ${actor.status}, and only active principals act`);
  if (req.onBehalfOf === undefined) return direct(data, actor, req.action, req.resource);

  const target = data.principals.get(req.onBehalfOf);
  if (!target) return deny('input', `${req.onBehalfOf} is not in the directory`);
  if (actor.kind === 'service') return serviceAsUser(data, actor, target, req.action, req.resource);
  if (actor.kind === 'human') return sessionAsUser(data, actor, target, req.action, req.resource);
  return deny('R-S1', `${actor.username} is a ${KIND_NAMES[actor.kind]} and cannot act on behalf of anyone`);
}

/** What a principal may do as themself. */
function direct(data: PolicyData, p: PolicyPrincipal, action: Action, resource: Resource): Decision {
  if (resource.type === 'user') return startSession(data, p, resource.username);
  if (resource.type === 'account' || action === 'flow.addSelfAsAdmin') {
    if (resource.type === 'flow' && !data.flows.has(resource.name)) return noFlow(resource.name);
    return accountDecision(p, action);
  }
  const flow = data.flows.get(resource.name);
  return flow ? flowDecision(data, p, action, flow) : noFlow(resource.name);
}

const noFlow = (name: string) => deny('input', `there is no flow named ${name}`);

function accountDecision(p: PolicyPrincipal, action: Action): Decision {
  if (action === 'myItems.read') {
    return p.kind === 'human'
      ? allow({ rule: 'R-K8', fact: `${p.username} reads their own Created by me and Assigned to me` })
      : deny('R-K8', `${p.username} is a ${KIND_NAMES[p.kind]} with no items of its own`);
  }
  const rule = ACCOUNT_RULE[action] ?? 'catalog';
  const role = p.roles.find((r) => (ACCOUNT_ROLE_PERMISSIONS[r] as readonly string[]).includes(action));
  if (role) return allow({ rule, fact: `${p.username} holds ${role}, which grants ${action}` });
  const held = p.roles.length ? `roles (${p.roles.join(', ')}) do not grant` : 'holds no account role, so not';
  return deny(rule, `${p.username}${p.roles.length ? "'s account " : ' '}${held} ${action}`);
}

interface HeldRole {
  role: FlowRole;
  via?: string;
}

/** A principal's roles in a flow: direct, and through each of their groups. */
export function flowRolesOf(data: PolicyData, username: string, flow: PolicyFlow): HeldRole[] {
  const held: HeldRole[] = [];
  const own = flow.members.get(username);
  if (own) held.push({ role: own });
  for (const group of data.groupsOf.get(username) ?? []) {
    const role = flow.groupRoles.get(group);
    if (role) held.push({ role, via: group });
  }
  return held;
}

const describeRole = (h: HeldRole) => (h.via ? `${h.role} (through group ${h.via})` : h.role);

function flowDecision(data: PolicyData, p: PolicyPrincipal, action: Action, flow: PolicyFlow): Decision {
  if (action === 'flow.impersonation' && !IMPERSONABLE_FLOW_TYPES.includes(flow.type)) {
    return deny(
      'R-K3',
      `per-flow impersonation exists only for processes, boards and datasets; ${flow.name} is ${withArticle(flow.type)}`,
    );
  }
  const rule = action === 'flow.impersonation' ? 'R-K4' : p.kind === 'service' ? 'R-K10' : 'catalog';
  const held = flowRolesOf(data, p.username, flow);
  if (held.length === 0) {
    return deny(
      rule,
      action === 'flow.impersonation'
        ? `only a Flow Admin of ${flow.name} grants its impersonation access, and ${p.username} has no role in it`
        : `${p.username} has no role in flow ${flow.name}`,
    );
  }
  const granting = held.find((h) => (FLOW_ROLE_PERMISSIONS[h.role] as readonly string[]).includes(action));
  if (granting) {
    return allow({
      rule,
      fact: `${p.username} is ${describeRole(granting)} of flow ${flow.name}, which grants ${action}`,
    });
  }
  return deny(
    rule,
    `${p.username}'s role in flow ${flow.name} (${held.map(describeRole).join(', ')}) does not grant ${action}`,
  );
}

/** R-S1, R-S2, R-S4: may `p` start impersonating `username`? */
function startSession(data: PolicyData, p: PolicyPrincipal, username: string): Decision {
  if (p.kind !== 'human')
    return deny('R-S1', `${p.username} is a ${KIND_NAMES[p.kind]}; only people start impersonation sessions`);
  if (!p.roles.includes('impersonator')) return deny('R-S1', `${p.username} does not hold the impersonator role`);
  const t = data.principals.get(username);
  if (!t) return deny('input', `${username} is not in the directory`);
  if (t.username === p.username) return deny('R-S4', `nobody impersonates themself`);
  if (t.kind !== 'human')
    return deny('R-S4', `${t.username} is a ${KIND_NAMES[t.kind]}, and only people can be impersonated`);
  if (t.status !== 'active') {
    return deny(
      'R-S4',
      `${t.username} is ${t.status}; ${t.status === 'locked' ? 'unlock' : 'activate'} them before impersonating`,
    );
  }
  const reasons: Reason[] = [
    { rule: 'R-S1', fact: `${p.username} holds the impersonator role` },
    { rule: 'R-S4', fact: `${t.username} is an active person` },
  ];
  if (t.roles.some((r) => ADMIN_ROLES.includes(r))) {
    if (!p.roles.some((r) => ADMIN_ROLES.includes(r))) {
      return deny(
        'R-S2',
        `${t.username} is an administrator, and ${p.username} is not: only an administrator impersonates one`,
      );
    }
    reasons.push({ rule: 'R-S2', fact: `${p.username} is an administrator too` });
  }
  // Rights, not role names: a Super Admin may impersonate an IAM Admin, whose rights are all a Super Admin's.
  const own = accountRights(p.roles);
  const lacking = [...accountRights(t.roles)].filter((r) => !own.has(r));
  if (lacking.length) {
    return deny(
      'R-S2',
      `${t.username}'s roles grant ${lacking.join(', ')}, which ${p.username}'s do not (no escalation)`,
    );
  }
  return allow(...reasons);
}

/** R-K6: acting as U, a service account has exactly U's rights, never more. */
const asUser = (u: PolicyPrincipal, d: Decision): Reason[] =>
  d.reasons.map((r) => ({ rule: 'R-K6', fact: `as ${u.username}: ${r.fact}`, via: r.rule }));

/** R-K5…R-K9: a service account acting on behalf of a user. */
function serviceAsUser(
  data: PolicyData,
  sa: PolicyPrincipal,
  u: PolicyPrincipal,
  action: Action,
  resource: Resource,
): Decision {
  const grants = data.sharedGrants.get(sa.username);
  const activePerson = u.kind === 'human' && u.status === 'active';
  const notActive = (rule: string) =>
    deny(
      rule,
      `${u.username} is ${u.kind === 'human' ? u.status : `a ${KIND_NAMES[u.kind]}`}; a service account acts only as an active person`,
    );

  if (resource.type === 'flow') {
    const flow = data.flows.get(resource.name);
    if (!flow) return noFlow(resource.name);
    // R-K5: the flow's own impersonation grant, which counts only where per-flow impersonation exists (R-K3).
    let viaFlowGrant: Decision | null = null;
    if (flow.impersonation.has(sa.username) && IMPERSONABLE_FLOW_TYPES.includes(flow.type)) {
      if (!activePerson) viaFlowGrant = notActive('R-K5');
      else if (flowRolesOf(data, u.username, flow).length === 0) {
        viaFlowGrant = deny('R-K5', `${u.username} is not a member of flow ${flow.name}`);
      } else {
        const d = direct(data, u, action, resource);
        viaFlowGrant = {
          allowed: d.allowed,
          reasons: [
            { rule: 'R-K5', fact: `${sa.username} has impersonation access to flow ${flow.name}` },
            { rule: 'R-K5', fact: `${u.username} is an active member of flow ${flow.name}` },
            ...asUser(u, d),
          ],
        };
      }
      if (viaFlowGrant.allowed) return viaFlowGrant;
    }
    // R-K9: all_flows_integrations is a second, independent way to the flow itself (its settings, members, …);
    // either one that allows, allows. Never to its items: acting on an item as U is what the flow's own
    // impersonation access is for (R-K5, as R-K8 says of My Items), so the shared resource does not bypass it.
    const onItems = isItemAction(action);
    const allFlows = grants?.has('all_flows_integrations') === true;
    if (allFlows && !onItems) {
      if (!activePerson) return notActive('R-K9');
      const d = direct(data, u, action, resource);
      if (d.allowed || !viaFlowGrant) {
        return {
          allowed: d.allowed,
          reasons: [
            { rule: 'R-K9', fact: `${sa.username} impersonates ${u.username} through all_flows_integrations` },
            ...asUser(u, d),
          ],
        };
      }
    }
    if (viaFlowGrant) return viaFlowGrant;
    if (flow.impersonation.has(sa.username)) {
      return deny(
        'R-K3',
        `per-flow impersonation exists only for processes, boards and datasets; ${flow.name} is ${withArticle(flow.type)}`,
      );
    }
    if (allFlows && onItems) {
      return deny(
        'R-K5',
        `${sa.username} has no impersonation access to flow ${flow.name} itself, and all_flows_integrations does not reach items`,
      );
    }
    return deny('R-K5', `${sa.username} has no impersonation grant on flow ${flow.name}`);
  }

  if (action === 'directory.read' || action === 'directory.write') {
    if (!grants?.has('user_group_management')) return deny('R-K7', `${sa.username} has no user_group_management grant`);
    if (!activePerson) return notActive('R-K7');
    if (!u.roles.some((r) => ADMIN_ROLES.includes(r))) {
      return deny('R-K7', `${u.username} is not a Super Admin, IAM Admin or User Admin`);
    }
    const d = accountDecision(u, action);
    return {
      allowed: d.allowed,
      reasons: [
        { rule: 'R-K7', fact: `${sa.username} impersonates ${u.username} through user_group_management` },
        ...asUser(u, d),
      ],
    };
  }
  if (action === 'myItems.read') {
    if (!grants?.has('global_my_items')) return deny('R-K8', `${sa.username} has no global_my_items grant`);
    if (!activePerson) return notActive('R-K8');
    return allow({
      rule: 'R-K8',
      fact: `${sa.username} reads ${u.username}'s Created by me and Assigned to me through global_my_items`,
    });
  }
  if (action === 'flows.list') {
    if (!grants?.has('all_flows_integrations'))
      return deny('R-K9', `${sa.username} has no all_flows_integrations grant`);
    if (!activePerson) return notActive('R-K9');
    return allow({ rule: 'R-K9', fact: `${sa.username} lists every flow through all_flows_integrations` });
  }
  return deny(
    'R-K2',
    `${action} is not reachable through impersonation: only flows and the three shared resources are`,
  );
}

/** R-S5, R-S9: an operator in an impersonation session may do exactly what the impersonated user may. */
function sessionAsUser(
  data: PolicyData,
  op: PolicyPrincipal,
  u: PolicyPrincipal,
  action: Action,
  resource: Resource,
): Decision {
  if (action === 'session.start')
    return deny('R-S5', `${op.username} is already impersonating ${u.username}: no session starts inside another`);
  // The session itself is re-checked on every action: losing the role or the target's status ends it.
  const session = startSession(data, op, u.username);
  if (!session.allowed) return { allowed: false, reasons: session.reasons };
  const d = direct(data, u, action, resource);
  return {
    allowed: d.allowed,
    reasons: [
      { rule: 'R-S9', fact: `${op.username} is impersonating ${u.username}, so exactly ${u.username}'s rights apply` },
      ...d.reasons,
    ],
  };
}
