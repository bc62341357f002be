// decide() against the rules as properties: for every random directory and request (test/support/policyGen.ts).
// Each property also counts the cases that made it bite (e.g. delegated requests that were allowed), and fails
// if there were too few: a property that only ever sees refusals proves nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/main/policy/decide';
import type { PolicyData, PolicyFlow, PolicyPrincipal } from '../../src/main/kernel/policyData';
import { IMPERSONABLE_FLOW_TYPES } from '../../src/shared/model';
import { ACTIONS, FLOW_ACTIONS, ITEM_ACTIONS, isItemAction } from '../../src/shared/policy';
import type { Decision, DecisionRequest } from '../../src/shared/policy';
import {
  arbMixedRequest,
  arbPolicyData,
  arbRequest,
  buildPolicyData,
  dataSlice,
  snapshot,
  type DirectoryOptions,
  type RequestOptions,
} from '../support/policyGen';

const RUNS = 3000;

/** Runs `check` on every request of RUNS random scenarios; returns how many times `check` returned true. */
function forAll(
  request: (data: PolicyData) => fc.Arbitrary<DecisionRequest> | null,
  check: (data: PolicyData, req: DecisionRequest) => boolean | void,
  dirOpts: DirectoryOptions = {},
  numRuns = RUNS,
): number {
  let hits = 0;
  fc.assert(
    fc.property(
      arbPolicyData(dirOpts).chain((data) => {
        const arb = request(data);
        return arb ? fc.array(arb, { minLength: 1, maxLength: 12 }).map((reqs) => ({ data, reqs })) : fc.constant(null);
      }),
      (scenario) => {
        if (!scenario) return;
        for (const req of scenario.reqs) {
          try {
            if (check(scenario.data, req) === true) hits++;
          } catch (e) {
            const d = decide(scenario.data, req);
            throw new Error(
              `${(e as Error).message}\nrequest: ${JSON.stringify(req)}\ndata: ${JSON.stringify(dataSlice(scenario.data, req), null, 1)}\ndecide(): ${JSON.stringify(d)}`,
            );
          }
        }
      },
    ),
    { numRuns },
  );
  return hits;
}

const principals = (data: PolicyData, f: (p: PolicyPrincipal) => boolean) =>
  [...data.principals.values()].filter(f).map((p) => p.username);
const asSelf = (req: DecisionRequest): DecisionRequest => ({
  actor: req.onBehalfOf!,
  action: req.action,
  resource: req.resource,
});
const isActivePerson = (p: PolicyPrincipal | undefined) => p?.kind === 'human' && p.status === 'active';
const rolesIn = (data: PolicyData, user: string, flow: PolicyFlow) =>
  [flow.members.get(user), ...(data.groupsOf.get(user) ?? []).map((g) => flow.groupRoles.get(g))].filter(Boolean);

/** Requests by actors picked by `who`, on behalf of anyone (mostly active people). */
function delegated(who: (p: PolicyPrincipal) => boolean, opts: RequestOptions = {}) {
  return (data: PolicyData) => {
    const actors = principals(data, who);
    if (!actors.length) return null;
    const people = principals(data, isActivePerson);
    const base = { actors, onBehalfOf: 'always', ...opts } as const;
    return people.length
      ? fc.oneof(arbRequest(data, base), arbRequest(data, { ...base, onBehalfOfs: people }))
      : arbRequest(data, base);
  };
}

describe('decide() properties', () => {
  // R-K6 holds for every action but flows.list. Checked in decide.ts, serviceAsUser():
  // - flows.list is granted by the all_flows_integrations shared resource itself (R-K9: "list every
  //   process, board, … and space"), whoever the impersonated user is; as themself, U lists flows only with
  //   super_admin. It is the only action a service account may do beyond U's own rights, by design.
  // - myItems.read through global_my_items (R-K8) is not beyond U's rights: U reads their own items too.
  // - directory.read/write through user_group_management (R-K7) is narrower than U's rights (U must be an
  //   administrator even to read), which the property allows.
  // - flow actions (R-K5, R-K9) go through U's own flow roles; anything else is refused (R-K2). Item actions go
  //   only through the flow's own grant (R-K5): all_flows_integrations reaches the flow itself, not its items.
  const notFlowsList = ACTIONS.filter((a) => a !== 'flows.list');

  it('R-K6: a service account acting on behalf of U is never allowed what U is not allowed as themself', () => {
    const hits = forAll(
      delegated((p) => p.kind === 'service', { actions: notFlowsList }),
      (data, req) => {
        if (!decide(data, req).allowed) return false;
        expect(decide(data, asSelf(req)).allowed, 'U as themself').toBe(true);
        return true;
      },
    );
    expect(hits).toBeGreaterThan(300);
  });

  it('R-K6: inside a flow it may use, a service account acting as U has exactly U’s rights there', () => {
    const hits = forAll(
      delegated((p) => p.kind === 'service' && p.status === 'active', { actions: FLOW_ACTIONS, invalid: false }),
      (data, req) => {
        if (req.resource.type !== 'flow') return false;
        const flow = data.flows.get(req.resource.name)!;
        const u = data.principals.get(req.onBehalfOf!);
        if (!isActivePerson(u)) return false;
        // Two independent ways in: the flow's own grant where per-flow impersonation exists, with U a member
        // (R-K3, R-K5), or all_flows_integrations (R-K9) for the flow itself, never for its items.
        const perFlow =
          flow.impersonation.has(req.actor) &&
          IMPERSONABLE_FLOW_TYPES.includes(flow.type) &&
          rolesIn(data, u!.username, flow).length > 0;
        const allFlows = data.sharedGrants.get(req.actor)?.has('all_flows_integrations') === true;
        const usable = perFlow || (allFlows && !isItemAction(req.action));
        if (!usable) {
          expect(decide(data, req).allowed, 'no way into the flow').toBe(false);
          return false;
        }
        expect(decide(data, req).allowed).toBe(decide(data, asSelf(req)).allowed);
        return decide(data, req).allowed;
      },
    );
    expect(hits).toBeGreaterThan(600);
  });

  it('R-K9: all_flows_integrations never changes a decision on an item (R-K5 alone opens them)', () => {
    let lent = 0;
    const hits = forAll(
      delegated((p) => p.kind === 'service' && p.status === 'active', { actions: ITEM_ACTIONS, invalid: false }),
      (data, req) => {
        const grants = data.sharedGrants.get(req.actor);
        if (!grants?.has('all_flows_integrations')) return false;
        const without = structuredClone(data) as PolicyData;
        (without.sharedGrants.get(req.actor) as Set<string>).delete('all_flows_integrations');
        expect(decide(data, req).allowed).toBe(decide(without, req).allowed);
        // The cases that bite: U may do it by hand, so only the shared resource could have lent it.
        if (isActivePerson(data.principals.get(req.onBehalfOf!)) && decide(data, asSelf(req)).allowed) lent++;
        return true;
      },
    );
    expect(hits).toBeGreaterThan(300);
    expect(lent).toBeGreaterThan(100);
  });

  it('R-K9: flows.list is the one thing a service account may do beyond U’s rights (the exception above)', () => {
    const data = buildPolicyData({
      principals: [
        { username: 'jdoe', kind: 'human', status: 'active', roles: [], groups: [], shared: [] },
        {
          username: 'bot',
          kind: 'service',
          status: 'active',
          roles: [],
          groups: [],
          shared: ['all_flows_integrations'],
        },
      ],
      flows: [],
    });
    const req: DecisionRequest = {
      actor: 'bot',
      onBehalfOf: 'jdoe',
      action: 'flows.list',
      resource: { type: 'account' },
    };
    expect(decide(data, req).allowed).toBe(true);
    expect(decide(data, asSelf(req)).allowed).toBe(false);
  });

  const anyPerson = delegated((p) => p.kind === 'human');
  const activeImpersonator = (p: PolicyPrincipal) =>
    p.kind === 'human' && p.status === 'active' && p.roles.includes('impersonator');

  it('R-S9: an operator acting on behalf of U is never allowed more than U directly', () => {
    const likely = delegated(activeImpersonator);
    const hits = forAll(
      (data) => {
        const a = anyPerson(data);
        const b = likely(data);
        return a && b ? fc.oneof(a, b) : a;
      },
      (data, req) => {
        if (!decide(data, req).allowed) return false;
        expect(decide(data, asSelf(req)).allowed, 'U as themself').toBe(true);
        return true;
      },
    );
    expect(hits).toBeGreaterThan(250);
  });

  it('R-S9: in a session they may hold, an operator acting as U is allowed exactly what U is', () => {
    const hits = forAll(delegated(activeImpersonator, { invalid: false }), (data, req) => {
      if (req.action === 'session.start') return false; // R-S5
      const session: DecisionRequest = {
        actor: req.actor,
        action: 'session.start',
        resource: { type: 'user', username: req.onBehalfOf! },
      };
      if (!decide(data, session).allowed) {
        expect(decide(data, req).allowed, 'no session, no rights').toBe(false);
        return false;
      }
      expect(decide(data, req).allowed).toBe(decide(data, asSelf(req)).allowed);
      return decide(data, req).allowed;
    });
    expect(hits).toBeGreaterThan(400);
  });

  it('R-S1: nobody without the impersonator role is ever allowed session.start', () => {
    let withoutRole = 0;
    const allowed = forAll(
      (data) =>
        fc.oneof(
          arbRequest(data, { actions: ['session.start'] }),
          arbRequest(data, { actions: ['session.start'], onBehalfOf: 'never', invalid: false }),
        ),
      (data, req) => {
        const holder = data.principals.get(req.actor)?.roles.includes('impersonator') === true;
        const d = decide(data, req);
        if (!holder) {
          withoutRole++;
          expect(d.allowed).toBe(false);
        }
        return d.allowed;
      },
    );
    expect(withoutRole).toBeGreaterThan(1000);
    expect(allowed).toBeGreaterThan(300);
  });

  it('R-S5: session.start with onBehalfOf set by a human is always refused', () => {
    const hits = forAll(
      delegated((p) => p.kind === 'human', { actions: ['session.start'] }),
      (data, req) => {
        const d = decide(data, req);
        expect(d.allowed).toBe(false);
        const actor = data.principals.get(req.actor)!;
        const wellFormed = req.resource.type === 'user' && data.principals.has(req.onBehalfOf!);
        if (actor.status !== 'active' || !wellFormed) return false;
        expect(d.reasons[0]?.rule).toBe('R-S5');
        return true;
      },
    );
    expect(hits).toBeGreaterThan(5000);
  });

  it('R-S4: session.start targeting a non-human, non-active or self target is always refused', () => {
    let checked = 0;
    const byImpersonator = forAll(
      (data) => {
        const names = [...data.principals.keys()];
        const impersonators = principals(data, (p) => p.roles.includes('impersonator') && p.status === 'active');
        const bad = principals(data, (p) => !isActivePerson(p));
        return fc
          .record({
            actor: impersonators.length
              ? fc.oneof(fc.constantFrom(...impersonators), fc.constantFrom(...names))
              : fc.constantFrom(...names),
            target: bad.length
              ? fc.oneof(fc.constantFrom(...bad), fc.constantFrom(...names))
              : fc.constantFrom(...names),
            onBehalfOf: fc.option(fc.constantFrom(...names), { freq: 4, nil: undefined }),
          })
          .map(({ actor, target, onBehalfOf }): DecisionRequest => ({
            actor,
            action: 'session.start',
            resource: { type: 'user', username: target },
            ...(onBehalfOf ? { onBehalfOf } : {}),
          }));
      },
      (data, req) => {
        const target = req.resource.type === 'user' ? req.resource.username : '';
        const t = data.principals.get(target)!;
        if (isActivePerson(t) && target !== req.actor) return false;
        checked++;
        const d = decide(data, req);
        expect(d.allowed).toBe(false);
        const a = data.principals.get(req.actor)!;
        if (
          req.onBehalfOf !== undefined ||
          a.kind !== 'human' ||
          a.status !== 'active' ||
          !a.roles.includes('impersonator')
        ) {
          return false; // refused earlier, by R-S1 or R-S5
        }
        expect(d.reasons.map((r) => r.rule)).toEqual(['R-S4']);
        return true;
      },
    );
    expect(checked).toBeGreaterThan(1000);
    expect(byImpersonator).toBeGreaterThan(800);
  });

  const NOT_IMPERSONABLE = (f: PolicyFlow) => !IMPERSONABLE_FLOW_TYPES.includes(f.type);

  it('R-K3: flow.impersonation on an integration/chat/app/space flow is always refused, whoever asks', () => {
    let flowAdmins = 0;
    const checked = forAll(
      (data) => {
        const flows = [...data.flows.values()].filter(NOT_IMPERSONABLE).map((f) => f.name);
        if (!flows.length) return null;
        return arbRequest(data, { actions: ['flow.impersonation'], invalid: false }).chain((req) =>
          fc.constantFrom(...flows).map((name): DecisionRequest => ({ ...req, resource: { type: 'flow', name } })),
        );
      },
      (data, req) => {
        const d = decide(data, req);
        expect(d.allowed).toBe(false);
        const flow = data.flows.get((req.resource as { name: string }).name)!;
        const asWho = req.onBehalfOf ?? req.actor;
        if (rolesIn(data, asWho, flow).includes('flow_admin') && data.principals.get(req.actor)!.status === 'active') {
          flowAdmins++;
        }
        return true;
      },
      // Also with per-flow impersonation grants on those flows, which the store never writes.
      { impersonationOnAnyFlowType: true },
    );
    expect(checked).toBeGreaterThan(5000);
    expect(flowAdmins).toBeGreaterThan(300);
  });

  // The store never holds such a grant (the UI and bundles refuse it), but decide() must not honour one
  // if bad data ever has it.
  it('R-K3: a per-flow impersonation grant on an integration/chat/app/space flow gives a service account nothing', () => {
    forAll(
      delegated((p) => p.kind === 'service', { actions: FLOW_ACTIONS, invalid: false }),
      (data, req) => {
        const flow = data.flows.get((req.resource as { name: string }).name)!;
        if (!NOT_IMPERSONABLE(flow) || !flow.impersonation.has(req.actor)) return false;
        const without = structuredClone(data) as PolicyData;
        (without.flows.get(flow.name)!.impersonation as Set<string>).delete(req.actor);
        expect(decide(data, req).allowed).toBe(decide(without, req).allowed);
        return true;
      },
      { impersonationOnAnyFlowType: true },
    );
  });

  it('purity: decide() gives the same decision for the same input and does not mutate it', () => {
    const hits = forAll(
      arbMixedRequest,
      (data, req) => {
        const before = snapshot(data);
        const reqBefore = JSON.stringify(req);
        const first = decide(data, req);
        // Same answer again, on an equal copy, and on a locked copy whose maps, sets and objects cannot change.
        expect(decide(data, req)).toEqual(first);
        expect(decide(structuredClone(data) as PolicyData, structuredClone(req))).toEqual(first);
        expect(decide(locked(data), Object.freeze({ ...req, resource: Object.freeze({ ...req.resource }) }))).toEqual(
          first,
        );
        expect(snapshot(data)).toBe(before);
        expect(JSON.stringify(req)).toBe(reqBefore);
        return true;
      },
      {},
      1000,
    );
    expect(hits).toBeGreaterThan(3000);
  });

  it('reasons: every decision has at least one reason, each with a non-empty rule and fact', () => {
    const rules = new Set<string>();
    forAll(arbMixedRequest, (data, req) => {
      const d: Decision = decide(data, req);
      expect(d.reasons.length).toBeGreaterThan(0);
      for (const r of d.reasons) {
        expect(typeof r.fact === 'string' && r.fact.trim().length > 0, 'fact').toBe(true);
        expect(r.rule).toMatch(/^(input|active|catalog|R-[KSAL]\d+)$/);
        rules.add(r.rule);
      }
    });
    // Reached every kind of reason (a coverage check on the generators as much as on decide()).
    for (const r of ['input', 'active', 'catalog', 'R-K1', 'R-K2', 'R-K3', 'R-K4', 'R-K5', 'R-K6', 'R-K7', 'R-K8'])
      expect(rules).toContain(r);
    for (const r of ['R-K9', 'R-K10', 'R-S1', 'R-S2', 'R-S4', 'R-S5', 'R-S9']) expect(rules).toContain(r);
  });
});

// ---------------------------------------------------------------------------------------------------------------

class LockedMap<K, V> extends Map<K, V> {
  private locked = false;
  constructor(entries: Iterable<readonly [K, V]>) {
    super(entries);
    this.locked = true;
  }
  override set(k: K, v: V): this {
    if (this.locked) throw new Error('decide() mutated a map of its input');
    return super.set(k, v);
  }
  override delete(): boolean {
    throw new Error('decide() mutated a map of its input');
  }
  override clear(): void {
    throw new Error('decide() mutated a map of its input');
  }
}

class LockedSet<T> extends Set<T> {
  private locked = false;
  constructor(values: Iterable<T>) {
    super(values);
    this.locked = true;
  }
  override add(v: T): this {
    if (this.locked) throw new Error('decide() mutated a set of its input');
    return super.add(v);
  }
  override delete(): boolean {
    throw new Error('decide() mutated a set of its input');
  }
  override clear(): void {
    throw new Error('decide() mutated a set of its input');
  }
}

/** A deep copy of `data` that throws on any mutation (maps, sets) and is frozen everywhere else. */
function locked(data: PolicyData): PolicyData {
  const map = <K, V, W>(m: ReadonlyMap<K, V>, f: (v: V) => W) =>
    new LockedMap([...m].map(([k, v]) => [k, f(v)] as const));
  return Object.freeze({
    principals: map(data.principals, (p) => Object.freeze({ ...p, roles: Object.freeze([...p.roles]) })),
    groupsOf: map(data.groupsOf, (g) => Object.freeze([...g])),
    sharedGrants: map(data.sharedGrants, (s) => new LockedSet(s)),
    flows: map(data.flows, (f) =>
      Object.freeze({
        ...f,
        members: new LockedMap(f.members),
        groupRoles: new LockedMap(f.groupRoles),
        impersonation: new LockedSet(f.impersonation),
      }),
    ),
  });
}
