// Random directories and requests for decide(): fast-check arbitraries for the property and differential
// tests, and a deterministic seeded generator (mulberry32) for the benchmark.
import fc from 'fast-check';
import {
  ACCOUNT_ROLES,
  FLOW_ROLES,
  FLOW_TYPES,
  IMPERSONABLE_FLOW_TYPES,
  SHARED_RESOURCES,
  type AccountRole,
  type FlowRole,
  type FlowType,
  type PrincipalKind,
  type PrincipalStatus,
  type SharedResource,
} from '../../src/shared/model';
import { ACCOUNT_ACTIONS, ACTIONS, FLOW_ACTIONS, resourceTypeOf } from '../../src/shared/policy';
import type { Action, DecisionRequest, Resource } from '../../src/shared/policy';
import type { PolicyData, PolicyFlow, PolicyPrincipal } from '../../src/main/kernel/policyData';

// ---------------------------------------------------------------------------------------------------------------
// Names. Some contain characters that matter to translators (spaces, '@', ':', quotes, non-ASCII).

const PRINCIPAL_NAMES = [
  'alice',
  'bob',
  'jdoe',
  'po-bot',
  'hr-sync',
  'ivan',
  'ursula',
  'audrey',
  "o'brien",
  'x@y',
  'svc:ledger',
  'zoë',
  'mallory',
  'trent',
  'peggy',
  'victor',
] as const;
const GROUP_NAMES = ['Service Account', 'Buyers', 'Finance', 'IT Ops', 'g@x'] as const;
const FLOW_NAMES = [
  'Purchase Order',
  'Supplier Onboarding',
  'Procurement Chat',
  'flow@with@ats',
  'Finance Space',
  'Assets',
  'Desk: "quoted"',
  'Expense',
] as const;

/** Names that are never in a generated directory, for the "unknown principal / flow" inputs. */
export const UNKNOWN_PRINCIPAL = 'nobody-here';
export const UNKNOWN_FLOW = 'No Such Flow';

// ---------------------------------------------------------------------------------------------------------------
// Building PolicyData from a plain description.

export interface PrincipalSpec {
  username: string;
  kind: PrincipalKind;
  status: PrincipalStatus;
  roles: AccountRole[];
  groups: string[];
  /** Shared-resource grants (only kept for service accounts). */
  shared: SharedResource[];
}

export interface FlowSpec {
  name: string;
  type: FlowType;
  members: [string, FlowRole][];
  groupRoles: [string, FlowRole][];
  impersonation: string[];
}

export interface DirectorySpec {
  principals: PrincipalSpec[];
  flows: FlowSpec[];
}

export function buildPolicyData(spec: DirectorySpec): PolicyData {
  const principals = new Map<string, PolicyPrincipal>();
  const groupsOf = new Map<string, readonly string[]>();
  const sharedGrants = new Map<string, ReadonlySet<SharedResource>>();
  for (const p of spec.principals) {
    principals.set(p.username, { username: p.username, kind: p.kind, status: p.status, roles: [...p.roles] });
    if (p.groups.length) groupsOf.set(p.username, [...p.groups]);
    if (p.kind === 'service' && p.shared.length) sharedGrants.set(p.username, new Set(p.shared));
  }
  const flows = new Map<string, PolicyFlow>();
  for (const f of spec.flows) {
    flows.set(f.name, {
      name: f.name,
      type: f.type,
      members: new Map(f.members),
      groupRoles: new Map(f.groupRoles),
      impersonation: new Set(f.impersonation),
    });
  }
  return { principals, groupsOf, flows, sharedGrants };
}

// ---------------------------------------------------------------------------------------------------------------
// fast-check arbitraries.

export interface DirectoryOptions {
  maxPrincipals?: number;
  maxGroups?: number;
  maxFlows?: number;
  /**
   * Whether per-flow impersonation grants may appear on integration/app/chat/space flows. The store never
   * writes such grants (the bundle schema and the UI refuse them, R-K3), so the default is false; the
   * tests that probe decide() with data the store would refuse set it.
   */
  impersonationOnAnyFlowType?: boolean;
}

const arbKind: fc.Arbitrary<PrincipalKind> = fc.oneof(
  { arbitrary: fc.constant('human' as const), weight: 6 },
  { arbitrary: fc.constant('service' as const), weight: 3 },
  { arbitrary: fc.constantFrom('guest' as const, 'system' as const), weight: 1 },
);
const arbStatus: fc.Arbitrary<PrincipalStatus> = fc.oneof(
  { arbitrary: fc.constant('active' as const), weight: 6 },
  { arbitrary: fc.constantFrom('inactive' as const, 'locked' as const), weight: 1 },
);
const arbRoles: fc.Arbitrary<AccountRole[]> = fc.oneof(
  { arbitrary: fc.constant<AccountRole[]>([]), weight: 2 },
  { arbitrary: fc.constantFrom(...ACCOUNT_ROLES).map((r) => [r]), weight: 2 },
  { arbitrary: fc.subarray([...ACCOUNT_ROLES]), weight: 3 },
);
const arbFlowRole = fc.constantFrom(...FLOW_ROLES);
/** A flow role or no membership, about half and half. */
const arbMaybeRole = fc.option(arbFlowRole, { freq: 2, nil: undefined });

/** A random directory: every principal kind, status and account role, groups, flows of every type, direct
 * and group memberships with every flow role, shared-resource grants and per-flow impersonation grants. */
export function arbPolicyData(opts: DirectoryOptions = {}): fc.Arbitrary<PolicyData> {
  return arbDirectorySpec(opts).map(buildPolicyData);
}

export function arbDirectorySpec(opts: DirectoryOptions = {}): fc.Arbitrary<DirectorySpec> {
  const maxPrincipals = Math.min(opts.maxPrincipals ?? 9, PRINCIPAL_NAMES.length);
  const maxGroups = Math.min(opts.maxGroups ?? 3, GROUP_NAMES.length);
  const maxFlows = Math.min(opts.maxFlows ?? 5, FLOW_NAMES.length);
  return fc
    .record({
      people: fc.array(fc.record({ kind: arbKind, status: arbStatus, roles: arbRoles }), {
        minLength: 1,
        maxLength: maxPrincipals,
      }),
      groupCount: fc.integer({ min: 0, max: maxGroups }),
      flowTypes: fc.array(fc.constantFrom(...FLOW_TYPES), { minLength: 1, maxLength: maxFlows }),
    })
    .chain(({ people, groupCount, flowTypes }) => {
      const n = people.length;
      const names = PRINCIPAL_NAMES.slice(0, n);
      const groups = GROUP_NAMES.slice(0, groupCount);
      const services = names.filter((_, i) => people[i]!.kind === 'service');
      const arbGroupsOfOne: fc.Arbitrary<string[]> = groups.length ? fc.subarray([...groups]) : fc.constant([]);
      const arbFlow = (type: FlowType) =>
        fc.record({
          members: fc.array(arbMaybeRole, { minLength: n, maxLength: n }),
          groupRoles: fc.array(arbMaybeRole, { minLength: groupCount, maxLength: groupCount }),
          impersonation: services.length ? fc.subarray(services) : fc.constant([] as string[]),
          type: fc.constant(type),
        });
      return fc
        .record({
          groupsOf: fc.array(arbGroupsOfOne, { minLength: n, maxLength: n }),
          shared: fc.array(fc.subarray([...SHARED_RESOURCES]), { minLength: n, maxLength: n }),
          flows: fc.tuple(...flowTypes.map(arbFlow)),
        })
        .map(({ groupsOf, shared, flows }): DirectorySpec => ({
          principals: people.map((p, i) => ({
            username: names[i]!,
            ...p,
            groups: groupsOf[i]!,
            shared: p.kind === 'service' ? shared[i]! : [],
          })),
          flows: flows.map((f, i) => ({
            name: FLOW_NAMES[i]!,
            type: f.type,
            members: f.members.flatMap((role, j): [string, FlowRole][] => (role ? [[names[j]!, role]] : [])),
            groupRoles: f.groupRoles.flatMap((role, j): [string, FlowRole][] => (role ? [[groups[j]!, role]] : [])),
            impersonation:
              opts.impersonationOnAnyFlowType || IMPERSONABLE_FLOW_TYPES.includes(f.type) ? f.impersonation : [],
          })),
        }));
    });
}

export interface RequestOptions {
  /** The actions to draw from (default: every action). */
  actions?: readonly Action[];
  /** Actors to draw from (default: every principal, and now and then an unknown name). */
  actors?: readonly string[];
  /** 'always' | 'never' | 'sometimes' (default). */
  onBehalfOf?: 'always' | 'never' | 'sometimes';
  /** Principals to act on behalf of (default: every principal, and now and then an unknown name). */
  onBehalfOfs?: readonly string[];
  /** Whether to mix in unknown names and resources of the wrong type (default true). */
  invalid?: boolean;
}

function pick<T>(values: readonly T[], rare: readonly T[], invalid: boolean): fc.Arbitrary<T> {
  const arbs: fc.WeightedArbitrary<T>[] = [];
  if (values.length) arbs.push({ arbitrary: fc.constantFrom(...values), weight: 20 });
  if (invalid || !values.length) for (const r of rare) arbs.push({ arbitrary: fc.constant(r), weight: 1 });
  return fc.oneof(...arbs);
}

/** A resource for `action`: of the right type (a known flow or user, mostly), now and then of the wrong type. */
export function arbResource(data: PolicyData, action: Action, invalid = true): fc.Arbitrary<Resource> {
  const flows = [...data.flows.keys()];
  const users = [...data.principals.keys()];
  const byType = {
    flow: pick(flows, [UNKNOWN_FLOW], invalid).map((name): Resource => ({ type: 'flow', name })),
    user: pick(users, [UNKNOWN_PRINCIPAL], invalid).map((username): Resource => ({ type: 'user', username })),
    account: fc.constant<Resource>({ type: 'account' }),
  };
  const right = byType[resourceTypeOf(action)];
  if (!invalid) return right;
  const wrong = (['flow', 'user', 'account'] as const)
    .filter((t) => t !== resourceTypeOf(action))
    .map((t) => byType[t]);
  return fc.oneof({ arbitrary: right, weight: 15 }, { arbitrary: fc.oneof(...wrong), weight: 1 });
}

/** A request over `data`: every action, with and without onBehalfOf, mostly well-formed. */
export function arbRequest(data: PolicyData, opts: RequestOptions = {}): fc.Arbitrary<DecisionRequest> {
  const invalid = opts.invalid ?? true;
  const names = [...data.principals.keys()];
  const actor = pick(opts.actors ?? names, [UNKNOWN_PRINCIPAL], invalid && !opts.actors);
  const target = pick(opts.onBehalfOfs ?? names, [UNKNOWN_PRINCIPAL], invalid && !opts.onBehalfOfs);
  const mode = opts.onBehalfOf ?? 'sometimes';
  const onBehalfOf: fc.Arbitrary<string | undefined> =
    mode === 'never' ? fc.constant(undefined) : mode === 'always' ? target : fc.oneof(fc.constant(undefined), target);
  return fc
    .record({ actor, onBehalfOf, action: fc.constantFrom(...(opts.actions ?? ACTIONS)) })
    .chain(({ actor, onBehalfOf, action }) =>
      arbResource(data, action, invalid).map((resource): DecisionRequest => ({
        actor,
        action,
        resource,
        ...(onBehalfOf !== undefined ? { onBehalfOf } : {}),
      })),
    );
}

/**
 * Any request (arbRequest), mixed with requests aimed at the paths that can succeed: a service account
 * acting as an active person, an impersonator acting in a session, an impersonator starting a session.
 * Without the aim, most random delegated requests stop at the first gate.
 */
export function arbMixedRequest(data: PolicyData): fc.Arbitrary<DecisionRequest> {
  const all = [...data.principals.values()];
  const names = (f: (p: PolicyPrincipal) => boolean) => all.filter(f).map((p) => p.username);
  const services = names((p) => p.kind === 'service' && p.status === 'active');
  const people = names((p) => p.kind === 'human' && p.status === 'active');
  const impersonators = names((p) => p.roles.includes('impersonator') && p.status === 'active');
  const arbs: fc.WeightedArbitrary<DecisionRequest>[] = [{ arbitrary: arbRequest(data), weight: 4 }];
  if (services.length && people.length) {
    const opts = { actors: services, onBehalfOf: 'always', onBehalfOfs: people } as const;
    arbs.push({ arbitrary: arbRequest(data, opts), weight: 2 });
    arbs.push({ arbitrary: arbRequest(data, { ...opts, actions: FLOW_ACTIONS }), weight: 2 });
  }
  if (impersonators.length && people.length) {
    const opts = { actors: impersonators, onBehalfOf: 'always', onBehalfOfs: people } as const;
    arbs.push({ arbitrary: arbRequest(data, opts), weight: 2 });
    arbs.push({
      arbitrary: arbRequest(data, { actors: impersonators, onBehalfOf: 'never', actions: ['session.start'] }),
      weight: 1,
    });
  }
  return fc.oneof(...arbs);
}

/** A directory with a batch of requests over it (cheaper than one directory per request). */
export function arbScenario(
  dirOpts: DirectoryOptions = {},
  request: (data: PolicyData) => fc.Arbitrary<DecisionRequest> = arbMixedRequest,
  maxRequests = 12,
): fc.Arbitrary<{ data: PolicyData; requests: DecisionRequest[] }> {
  return arbPolicyData(dirOpts).chain((data) =>
    fc.array(request(data), { minLength: 1, maxLength: maxRequests }).map((requests) => ({ data, requests })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Printing: the part of a directory a request depends on, as plain JSON, for failure messages.

export function dataSlice(data: PolicyData, req: DecisionRequest): unknown {
  const names = [req.actor, req.onBehalfOf, req.resource.type === 'user' ? req.resource.username : undefined];
  const people = [...new Set(names.filter((n): n is string => n !== undefined))];
  const flow = req.resource.type === 'flow' ? data.flows.get(req.resource.name) : undefined;
  return {
    principals: Object.fromEntries(
      people.map((n) => {
        const p = data.principals.get(n);
        return [
          n,
          p
            ? {
                kind: p.kind,
                status: p.status,
                roles: p.roles,
                groups: data.groupsOf.get(n) ?? [],
                shared: [...(data.sharedGrants.get(n) ?? [])],
              }
            : '(not in the directory)',
        ];
      }),
    ),
    flow:
      req.resource.type !== 'flow'
        ? undefined
        : flow
          ? {
              name: flow.name,
              type: flow.type,
              members: Object.fromEntries(flow.members),
              groupRoles: Object.fromEntries(flow.groupRoles),
              impersonation: [...flow.impersonation],
            }
          : '(no such flow)',
  };
}

/** The whole directory as canonical JSON: equal strings ⇔ equal data (used to detect mutation). */
export function snapshot(data: PolicyData): string {
  const sorted = <K, V>(m: ReadonlyMap<K, V>) =>
    [...m.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));
  return JSON.stringify({
    principals: sorted(data.principals),
    groupsOf: sorted(data.groupsOf),
    sharedGrants: sorted(data.sharedGrants).map(([k, v]) => [k, [...v].sort()]),
    flows: sorted(data.flows).map(([k, f]) => [
      k,
      {
        ...f,
        members: sorted(f.members),
        groupRoles: sorted(f.groupRoles),
        impersonation: [...f.impersonation].sort(),
      },
    ]),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic generator for the benchmark.

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1]![0];
  }
  /** k distinct values of `values` (k ≤ values.length). */
  sample<T>(values: readonly T[], k: number): T[] {
    const chosen = new Set<number>();
    const n = Math.min(k, values.length);
    while (chosen.size < n) chosen.add(Math.floor(this.next() * values.length));
    return [...chosen].map((i) => values[i]!);
  }
}

export interface DirectorySize {
  users: number;
  flows: number;
  serviceAccounts: number;
  groups: number;
  seed: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A realistic organisation: mostly active people with few account roles, flows of every type with direct
 * and group members, service accounts with shared-resource grants, per-flow impersonation and memberships. */
export function generateDirectory(size: DirectorySize): PolicyData {
  const rng = new Rng(size.seed);
  const principals: PrincipalSpec[] = [];
  const groups = Array.from({ length: size.groups }, (_, i) => `group-${pad(i, 4)}`);
  for (let i = 0; i < size.users; i++) {
    const kind = rng.weighted<PrincipalKind>([
      ['human', 94],
      ['guest', 3],
      ['system', 3],
    ]);
    const status = rng.weighted<PrincipalStatus>([
      ['active', 90],
      ['inactive', 6],
      ['locked', 4],
    ]);
    const roles: AccountRole[] = [];
    if (rng.chance(0.005)) roles.push('super_admin');
    if (rng.chance(0.01)) roles.push('iam_admin');
    if (rng.chance(0.02)) roles.push('user_admin');
    if (rng.chance(0.02)) roles.push('auditor');
    if (rng.chance(roles.length ? 0.5 : 0.05)) roles.push('impersonator');
    principals.push({
      username: `user${pad(i, 5)}`,
      kind,
      status,
      roles,
      groups: groups.length ? rng.sample(groups, rng.int(0, 3)) : [],
      shared: [],
    });
  }
  const services: string[] = [];
  for (let i = 0; i < size.serviceAccounts; i++) {
    const username = `svc-${pad(i, 3)}`;
    services.push(username);
    principals.push({
      username,
      kind: 'service',
      status: rng.chance(0.9) ? 'active' : 'inactive',
      roles: [],
      groups: groups.length && rng.chance(0.1) ? [rng.pick(groups)] : [],
      shared: SHARED_RESOURCES.filter(() => rng.chance(0.3)),
    });
  }
  const users = principals.slice(0, size.users).map((p) => p.username);
  const flows: FlowSpec[] = [];
  for (let i = 0; i < size.flows; i++) {
    const type = rng.weighted<FlowType>([
      ['process', 35],
      ['board', 20],
      ['dataset', 15],
      ['integration', 10],
      ['app', 10],
      ['chat', 5],
      ['space', 5],
    ]);
    const role = () =>
      rng.weighted<FlowRole>([
        ['viewer', 40],
        ['participant', 30],
        ['initiator', 20],
        ['flow_admin', 10],
      ]);
    const members: [string, FlowRole][] = rng.sample(users, rng.int(5, 60)).map((u) => [u, role()]);
    if (services.length && rng.chance(0.1)) members.push([rng.pick(services), role()]);
    const groupRoles: [string, FlowRole][] = rng.sample(groups, rng.int(0, 4)).map((g) => [g, role()]);
    const impersonation =
      IMPERSONABLE_FLOW_TYPES.includes(type) && services.length && rng.chance(0.6)
        ? rng.sample(services, rng.int(1, 3))
        : [];
    flows.push({ name: `Flow ${pad(i, 4)}`, type, members, groupRoles, impersonation });
  }
  return buildPolicyData({ principals, flows });
}

/** `n` requests over `data`, a mix of everything decide() answers (see test/bench/README.md for the mix). */
export function generateRequests(data: PolicyData, n: number, seed: number): DecisionRequest[] {
  const rng = new Rng(seed);
  const all = [...data.principals.values()];
  const names = all.map((p) => p.username);
  const humans = all.filter((p) => p.kind === 'human').map((p) => p.username);
  const activeHumans = all.filter((p) => p.kind === 'human' && p.status === 'active').map((p) => p.username);
  const services = all.filter((p) => p.kind === 'service').map((p) => p.username);
  const impersonators = all.filter((p) => p.roles.includes('impersonator')).map((p) => p.username);
  const admins = all
    .filter((p) => p.roles.some((r) => r === 'super_admin' || r === 'iam_admin' || r === 'user_admin'))
    .map((p) => p.username);
  const allFlows = [...data.flows.values()];
  const memberLists = new Map(allFlows.map((f) => [f.name, [...f.members.keys()]]));
  const allFlowsSAs = services.filter((s) => data.sharedGrants.get(s)?.has('all_flows_integrations'));
  const flowItemActions: readonly (readonly [Action, number])[] = [
    ['item.read', 40],
    ['item.create', 15],
    ['item.update', 15],
    ['item.complete', 10],
    ['item.delete', 5],
    ['flow.settings', 4],
    ['flow.members', 4],
    ['flow.impersonation', 4],
    ['flow.addSelfAsAdmin', 3],
  ];
  const orAny = (list: readonly string[]) => (list.length ? rng.pick(list) : rng.pick(names));
  const flowRes = (f: PolicyFlow): Resource => ({ type: 'flow', name: f.name });
  const memberOr = (f: PolicyFlow, p: number, fallback: readonly string[]) => {
    const members = memberLists.get(f.name)!;
    return members.length && rng.chance(p) ? rng.pick(members) : orAny(fallback);
  };

  const out: DecisionRequest[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rng.weighted([
      ['flow', 35],
      ['account', 10],
      ['session.start', 10],
      ['sa-flow', 25],
      ['sa-account', 5],
      ['session-action', 12],
      ['chain', 2],
      ['invalid', 1],
    ] as const);
    const f = rng.pick(allFlows);
    switch (kind) {
      case 'flow':
        out.push({ actor: memberOr(f, 0.75, names), action: rng.weighted(flowItemActions), resource: flowRes(f) });
        break;
      case 'account':
        out.push({
          actor: rng.chance(0.3) ? orAny(admins) : rng.pick(names),
          action: rng.pick(ACCOUNT_ACTIONS),
          resource: { type: 'account' },
        });
        break;
      case 'session.start':
        out.push({
          actor: rng.chance(0.7) ? orAny(impersonators) : rng.pick(names),
          action: 'session.start',
          resource: { type: 'user', username: rng.chance(0.8) ? orAny(activeHumans) : rng.pick(names) },
        });
        break;
      case 'sa-flow': {
        const granted = [...f.impersonation];
        const actor =
          rng.chance(0.6) && granted.length
            ? rng.pick(granted)
            : rng.chance(0.5)
              ? orAny(allFlowsSAs)
              : orAny(services);
        out.push({
          actor,
          onBehalfOf: memberOr(f, 0.8, humans),
          action: rng.weighted(flowItemActions),
          resource: flowRes(f),
        });
        break;
      }
      case 'sa-account':
        out.push({
          actor: orAny(services),
          onBehalfOf: rng.chance(0.4) ? orAny(admins) : orAny(humans),
          action: rng.chance(0.8)
            ? rng.pick(['directory.read', 'directory.write', 'myItems.read', 'flows.list'] as const)
            : rng.pick(ACCOUNT_ACTIONS),
          resource: { type: 'account' },
        });
        break;
      case 'session-action': {
        const onBehalfOf = memberOr(f, 0.7, activeHumans);
        const action = rng.chance(0.75) ? rng.weighted(flowItemActions) : rng.pick(ACCOUNT_ACTIONS);
        out.push({
          actor: orAny(impersonators),
          onBehalfOf,
          action,
          resource: resourceTypeOf(action) === 'flow' ? flowRes(f) : { type: 'account' },
        });
        break;
      }
      case 'chain':
        out.push({
          actor: orAny(impersonators),
          onBehalfOf: orAny(activeHumans),
          action: 'session.start',
          resource: { type: 'user', username: orAny(activeHumans) },
        });
        break;
      case 'invalid':
        out.push(
          rng.chance(0.5)
            ? { actor: UNKNOWN_PRINCIPAL, action: 'item.read', resource: flowRes(f) }
            : {
                actor: rng.pick(names),
                action: rng.pick(FLOW_ACTIONS),
                resource: { type: 'flow', name: UNKNOWN_FLOW },
              },
        );
        break;
    }
  }
  return out;
}
