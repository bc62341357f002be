// Differential test: decide() against the same rules written independently in Cedar
// (test/support/cedar/deputy.cedar, translated by test/support/cedar/toCedar.ts), on random directories.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/main/policy/decide';
import type { PolicyData } from '../../src/main/kernel/policyData';
import { ACTIONS } from '../../src/shared/policy';
import type { Decision, DecisionRequest } from '../../src/shared/policy';
import { arbScenario, dataSlice, type DirectoryOptions } from '../support/policyGen';
import {
  POLICY_FILE,
  allEntities,
  cedar,
  cedarDecide,
  cedarDecideStateful,
  entitySlice,
  loadPolicies,
  preparse,
  toCedarRequest,
  type CedarOutcome,
} from '../support/cedar/toCedar';

let policies: Record<string, string>;
let policySet: string;
beforeAll(() => {
  policies = loadPolicies();
  policySet = preparse(policies, 'deputy-test');
});

function mismatch(data: PolicyData, req: DecisionRequest, d: Decision, outcomes: Record<string, CedarOutcome>) {
  return [
    `decide() and Cedar disagree`,
    `request: ${JSON.stringify(req)}`,
    `data (the part the request depends on): ${JSON.stringify(dataSlice(data, req), null, 1)}`,
    `decide(): ${d.allowed ? 'allow' : 'deny'}`,
    ...d.reasons.map((r) => `  ${r.rule}: ${r.fact}`),
    ...Object.entries(outcomes).map(
      ([name, c]) =>
        `Cedar (${name}): ${c.allowed ? 'allow' : 'deny'}; determining policies: ${c.reason.join(', ') || '(none: default deny)'}` +
        (c.errors.length ? `; evaluation errors: ${c.errors.join(' | ')}` : ''),
    ),
    `Cedar request: ${JSON.stringify(toCedarRequest(req))}`,
    `Cedar entities (slice): ${JSON.stringify(entitySlice(data, req))}`,
  ].join('\n');
}

interface Tally {
  requests: number;
  allowed: number;
  input: number;
  determining: Set<string>;
}

/** For every request of every scenario: decide() and Cedar (whole directory, and the request's slice) agree. */
function differential(numRuns: number, dirOpts: DirectoryOptions = {}, stateless = false): Tally {
  const tally: Tally = { requests: 0, allowed: 0, input: 0, determining: new Set() };
  fc.assert(
    fc.property(arbScenario(dirOpts), ({ data, requests }) => {
      const whole = allEntities(data);
      for (const req of requests) {
        const d = decide(data, req);
        const request = toCedarRequest(req);
        const outcomes: Record<string, CedarOutcome> = {
          'whole directory': cedarDecideStateful(policySet, request, whole),
          'entity slice': cedarDecideStateful(policySet, request, entitySlice(data, req)),
        };
        if (stateless) outcomes['isAuthorized, policies parsed per call'] = cedarDecide(policies, request, whole);
        for (const c of Object.values(outcomes)) {
          if (c.allowed !== d.allowed) throw new Error(mismatch(data, req, d, outcomes));
        }
        // Unknown names and resources of the wrong type (decide(): rule "input") are refused by Cedar too: the
        // equality above covers it, and the input-* policies name the reason.
        tally.requests++;
        if (d.allowed) tally.allowed++;
        if (d.reasons.some((r) => r.rule === 'input')) tally.input++;
        for (const id of outcomes['whole directory']!.reason) tally.determining.add(id);
      }
    }),
    { numRuns },
  );
  return tally;
}

// Cedar's wasm calls make these slower than the other unit tests: allow for a loaded machine.
describe('decide() against Cedar', { timeout: 60_000 }, () => {
  it('deputy.cedar parses, and covers every action of the vocabulary', () => {
    expect(cedar.checkParsePolicySet({ staticPolicies: policies })).toEqual({ type: 'success' });
    const text = readFileSync(POLICY_FILE, 'utf8');
    const missing = ACTIONS.filter((a) => !text.includes(`Deputy::Action::"${a}"`));
    expect(missing, 'actions deputy.cedar does not mention: extend it with the catalog').toEqual([]);
  });

  it('R-K1…R-K10, R-S1…R-S9: same decision as Cedar on thousands of random directories and requests', () => {
    const t = differential(1200);
    expect(t.requests).toBeGreaterThan(6000);
    expect(t.allowed).toBeGreaterThan(700);
    expect(t.input).toBeGreaterThan(100);
    // Every policy of deputy.cedar decided something (or the generators miss a path).
    const never = Object.keys(policies).filter((id) => !t.determining.has(id));
    expect(never).toEqual([]);
  });

  it('same decisions through isAuthorized (policy text parsed on every call) as through the preparsed set', () => {
    const t = differential(40, {}, true);
    expect(t.requests).toBeGreaterThan(150);
  });

  // Per-flow impersonation grants on integration/app/chat/space flows: data the store never holds, which
  // both engines must ignore (R-K3).
  it('R-K3: same decision as Cedar with per-flow grants on flows of every type', () => {
    differential(300, { impersonationOnAnyFlowType: true });
  });
});
