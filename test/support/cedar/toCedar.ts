// Translates a PolicyData + DecisionRequest into a Cedar request and entities for deputy.cedar, and runs
// Cedar (@cedar-policy/cedar-wasm, the CommonJS Node build) on them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import type { AuthorizationAnswer, Context, EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import { ACCOUNT_ROLES, FLOW_ROLES, type FlowRole } from '../../../src/shared/model';
import { ACCOUNT_ROLE_PERMISSIONS, ALL_ACCOUNT_RIGHTS } from '../../../src/main/policy/catalog';
import type { DecisionRequest } from '../../../src/shared/policy';
import type { PolicyData, PolicyFlow } from '../../../src/main/kernel/policyData';

export type Cedar = typeof CedarWasm;
export const cedar: Cedar = createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs') as Cedar;

export const POLICY_FILE = new URL('./deputy.cedar', import.meta.url);

/** deputy.cedar as a map policy id → policy text, ids taken from each policy's @id annotation. */
export function loadPolicies(text = readFileSync(POLICY_FILE, 'utf8')): Record<string, string> {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type !== 'success') throw new Error(`deputy.cedar does not parse: ${JSON.stringify(parts.errors)}`);
  const out: Record<string, string> = {};
  parts.policies.forEach((p, i) => {
    const id = /@id\("([^"]+)"\)/.exec(p)?.[1] ?? `policy${i}`;
    if (id in out) throw new Error(`deputy.cedar: duplicate @id ${id}`);
    out[id] = p;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Entity ids.

const NS = 'Deputy';
const uid = (type: string, id: string): TypeAndId => ({ type: `${NS}::${type}`, id });
export const userUid = (username: string) => uid('User', username);
export const flowUid = (name: string) => uid('Flow', name);
export const ACCOUNT_UID = uid('Account', 'account');
export const actionUid = (action: string) => uid('Action', action);
const accountRoleUid = (role: string) => uid('AccountRole', role);
const rightUid = (right: string) => uid('Right', right);
const groupUid = (name: string) => uid('Group', name);
// The role comes first and never contains '@', so "<role>@<flow>" is unambiguous whatever the flow name.
const flowRoleUid = (flow: string, role: FlowRole) => uid('FlowRole', `${role}@${flow}`);
const flowMembersUid = (flow: string) => uid('FlowMembers', flow);
const flowImpersonationUid = (flow: string) => uid('FlowImpersonation', flow);
const sharedResourceUid = (resource: string) => uid('SharedResource', resource);
const ref = (u: TypeAndId) => ({ __entity: u });

// ---------------------------------------------------------------------------------------------------------------
// Requests.

export interface CedarRequest {
  principal: TypeAndId;
  action: TypeAndId;
  resource: TypeAndId;
  context: Context;
}

export function toCedarRequest(req: DecisionRequest): CedarRequest {
  const r = req.resource;
  return {
    principal: userUid(req.actor),
    action: actionUid(req.action),
    resource: r.type === 'flow' ? flowUid(r.name) : r.type === 'user' ? userUid(r.username) : ACCOUNT_UID,
    context: req.onBehalfOf === undefined ? {} : { onBehalfOf: ref(userUid(req.onBehalfOf)) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Entities.

/** Restricts flow-scoped facts (flow roles, per-flow impersonation grants) to these flows; undefined: all. */
type FlowScope = ReadonlySet<string> | undefined;

function userEntity(data: PolicyData, username: string, flows: readonly PolicyFlow[]): EntityJson | undefined {
  const p = data.principals.get(username);
  if (!p) return undefined;
  const parents: TypeAndId[] = p.roles.map(accountRoleUid);
  for (const g of data.groupsOf.get(username) ?? []) parents.push(groupUid(g));
  for (const r of data.sharedGrants.get(username) ?? []) parents.push(sharedResourceUid(r));
  for (const f of flows) {
    const role = f.members.get(username);
    if (role) parents.push(flowRoleUid(f.name, role));
    if (f.impersonation.has(username)) parents.push(flowImpersonationUid(f.name));
  }
  return { uid: userUid(username), attrs: { kind: p.kind, status: p.status }, parents };
}

function groupEntity(group: string, flows: readonly PolicyFlow[]): EntityJson {
  const parents: TypeAndId[] = [];
  for (const f of flows) {
    const role = f.groupRoles.get(group);
    if (role) parents.push(flowRoleUid(f.name, role));
  }
  return { uid: groupUid(group), attrs: {}, parents };
}

function flowEntities(f: PolicyFlow): EntityJson[] {
  const attrs: Context = {
    type: f.type,
    members: ref(flowMembersUid(f.name)),
    impersonation: ref(flowImpersonationUid(f.name)),
  };
  for (const role of FLOW_ROLES) attrs[role] = ref(flowRoleUid(f.name, role));
  return [
    { uid: flowUid(f.name), attrs, parents: [] },
    ...FLOW_ROLES.map((role) => ({ uid: flowRoleUid(f.name, role), attrs: {}, parents: [flowMembersUid(f.name)] })),
  ];
}

/** Each account role is a member of the rights it grants (R-S2 compares rights); a Super Admin holds them all. */
function roleEntities(): EntityJson[] {
  return ACCOUNT_ROLES.map((role) => ({
    uid: accountRoleUid(role),
    attrs: {},
    parents: (role === 'super_admin' ? ALL_ACCOUNT_RIGHTS : ACCOUNT_ROLE_PERMISSIONS[role]).map(rightUid),
  }));
}

function entities(data: PolicyData, users: Iterable<string>, scope: FlowScope): EntityJson[] {
  const flows = scope
    ? [...scope].map((n) => data.flows.get(n)).filter((f): f is PolicyFlow => f !== undefined)
    : [...data.flows.values()];
  const out: EntityJson[] = [{ uid: ACCOUNT_UID, attrs: {}, parents: [] }, ...roleEntities()];
  const groups = new Set<string>();
  for (const u of new Set(users)) {
    const e = userEntity(data, u, flows);
    if (!e) continue;
    out.push(e);
    for (const g of data.groupsOf.get(u) ?? []) groups.add(g);
  }
  for (const g of groups) out.push(groupEntity(g, flows));
  for (const f of flows) out.push(...flowEntities(f));
  return out;
}

/** The whole directory as Cedar entities. */
export function allEntities(data: PolicyData): EntityJson[] {
  return entities(data, data.principals.keys(), undefined);
}

/**
 * The entities one request needs, as an entity loader in front of Cedar would fetch them: the actor, the
 * user acted as, the target user of session.start, their groups, and the requested flow with its role
 * entities. Flow-scoped parents (flow roles, per-flow impersonation grants) are kept for that flow only:
 * the policies never look at another flow.
 */
export function entitySlice(data: PolicyData, req: DecisionRequest): EntityJson[] {
  const users = [req.actor];
  if (req.onBehalfOf !== undefined) users.push(req.onBehalfOf);
  if (req.resource.type === 'user') users.push(req.resource.username);
  const scope = new Set(req.resource.type === 'flow' ? [req.resource.name] : []);
  return entities(data, users, scope);
}

// ---------------------------------------------------------------------------------------------------------------
// Running Cedar.

export interface CedarOutcome {
  allowed: boolean;
  /** Policy ids that determined the decision (the satisfied permits, or the satisfied forbids). */
  reason: string[];
  /** Policies that errored during evaluation (Cedar skips them), with the message. */
  errors: string[];
}

function outcome(answer: AuthorizationAnswer): CedarOutcome {
  if (answer.type !== 'success') throw new Error(`Cedar failed: ${JSON.stringify(answer.errors)}`);
  const { decision, diagnostics } = answer.response;
  return {
    allowed: decision === 'allow',
    reason: diagnostics.reason,
    errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
  };
}

export function cedarDecide(policies: Record<string, string>, request: CedarRequest, ents: EntityJson[]): CedarOutcome {
  return outcome(cedar.isAuthorized({ ...request, policies: { staticPolicies: policies }, entities: ents }));
}

/** Parses the policies once into Cedar's cache; then cedarDecideStateful() answers without re-parsing them. */
export function preparse(policies: Record<string, string>, id = 'deputy'): string {
  const r = cedar.preparsePolicySet(id, { staticPolicies: policies });
  if (r.type !== 'success') throw new Error(`deputy.cedar does not parse: ${JSON.stringify(r.errors)}`);
  return id;
}

export function cedarDecideStateful(policySetId: string, request: CedarRequest, ents: EntityJson[]): CedarOutcome {
  return outcome(cedar.statefulIsAuthorized({ ...request, preparsedPolicySetId: policySetId, entities: ents }));
}
