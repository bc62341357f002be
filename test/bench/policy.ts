// Throughput of decide() against Cedar on the same request mix (npm run bench runs it first). See README.md beside
// this file.
import { cpus } from 'node:os';
import { decide } from '../../src/main/policy/decide';
import type { DecisionRequest } from '../../src/shared/policy';
import { generateDirectory, generateRequests } from '../support/policyGen';
import { fmt, log } from './report';
import {
  cedar,
  cedarDecide,
  cedarDecideStateful,
  entitySlice,
  loadPolicies,
  preparse,
  toCedarRequest,
  type CedarRequest,
} from '../support/cedar/toCedar';
import type { EntityJson } from '@cedar-policy/cedar-wasm/nodejs';

const SIZE = { users: 10_000, flows: 1_000, serviceAccounts: 100, groups: 200, seed: 20261123 };
const REQUESTS = 200_000;
const DECIDE_PASSES = 5;
const CEDAR_REQUESTS = 20_000; // requests are drawn independently, so the first 20,000 have the same mix
const CEDAR_STATELESS_REQUESTS = 1_000;
const GOAL_RATIO = 5;
const GOAL_RATE = 200_000;

const now = () => performance.now() / 1000;

// ---------------------------------------------------------------------------------------------------------------
log(`Deputy policy bench — node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread`);
let t = now();
const data = generateDirectory(SIZE);
const requests = generateRequests(data, REQUESTS, SIZE.seed + 1);
const memberships = [...data.flows.values()].reduce((s, f) => s + f.members.size + f.groupRoles.size, 0);
log(
  `directory: ${fmt(SIZE.users)} users, ${fmt(SIZE.flows)} flows, ${fmt(SIZE.serviceAccounts)} service accounts, ` +
    `${fmt(SIZE.groups)} groups, ${fmt(memberships)} flow memberships; ${fmt(REQUESTS)} requests ` +
    `(generated in ${fmt(now() - t, 1)} s)`,
);

// decide(): warm up on the whole mix, then time several passes; the best pass is reported (least disturbed by GC
// and the machine), the median too.
let sink = 0;
const decideAll = (reqs: readonly DecisionRequest[]) => {
  for (const r of reqs) {
    const d = decide(data, r);
    sink += d.allowed ? d.reasons.length : -d.reasons.length;
  }
};
decideAll(requests);
const passes: number[] = [];
for (let i = 0; i < DECIDE_PASSES; i++) {
  t = now();
  decideAll(requests);
  passes.push(now() - t);
}
passes.sort((a, b) => a - b);
const decideSeconds = passes[0]!;
const decideMedian = passes[Math.floor(passes.length / 2)]!;
const decisions = requests.map((r) => decide(data, r));
const allowedShare = decisions.filter((d) => d.allowed).length / decisions.length;

// Cedar: the same policies as test/support/cedar/deputy.cedar, parsed once (preparsePolicySet) and evaluated with
// statefulIsAuthorized, on the entities each request needs (entitySlice: actor, user acted as, target user, their
// groups, the requested flow and its role entities). Slices and requests are built before timing.
const policies = loadPolicies();
const policySet = preparse(policies, 'bench');
const subset = requests.slice(0, CEDAR_REQUESTS);
t = now();
const prepared: { request: CedarRequest; entities: EntityJson[] }[] = subset.map((r) => ({
  request: toCedarRequest(r),
  entities: entitySlice(data, r),
}));
const sliceSeconds = now() - t;
const avgEntities = prepared.reduce((s, p) => s + p.entities.length, 0) / prepared.length;
for (const p of prepared.slice(0, 500)) cedarDecideStateful(policySet, p.request, p.entities); // warm-up
t = now();
const cedarAllowed = prepared.map((p) => cedarDecideStateful(policySet, p.request, p.entities).allowed);
const cedarSeconds = now() - t;
const disagreements = cedarAllowed.filter((a, i) => a !== decisions[i]!.allowed).length;

// Cedar's plain isAuthorized: the policy text is parsed again on every call (how the API is usually called).
t = now();
for (const p of prepared.slice(0, CEDAR_STATELESS_REQUESTS)) cedarDecide(policies, p.request, p.entities);
const statelessSeconds = now() - t;

// ---------------------------------------------------------------------------------------------------------------
const decideRate = REQUESTS / decideSeconds;
const cedarRate = CEDAR_REQUESTS / cedarSeconds;
const rows: [string, number, number, number][] = [
  ['decide() (with reasons)', REQUESTS, decideSeconds, decideRate],
  ['Cedar statefulIsAuthorized, preparsed policies, entity slice', CEDAR_REQUESTS, cedarSeconds, cedarRate],
  [
    'Cedar isAuthorized, policies parsed per call, entity slice',
    CEDAR_STATELESS_REQUESTS,
    statelessSeconds,
    CEDAR_STATELESS_REQUESTS / statelessSeconds,
  ],
];
const w = Math.max(...rows.map((r) => r[0].length));
log('');
log(`${'engine'.padEnd(w)}  ${'requests'.padStart(9)}  ${'seconds'.padStart(8)}  ${'decisions/s'.padStart(12)}`);
log(`${'-'.repeat(w)}  ${'-'.repeat(9)}  ${'-'.repeat(8)}  ${'-'.repeat(12)}`);
for (const [name, n, s, rate] of rows) {
  log(`${name.padEnd(w)}  ${fmt(n).padStart(9)}  ${fmt(s, 3).padStart(8)}  ${fmt(rate).padStart(12)}`);
}
log('');
const ratio = decideRate / cedarRate;
log(
  `decide(): best of ${DECIDE_PASSES} passes over ${fmt(REQUESTS)} requests after a warm-up pass; median pass ` +
    `${fmt(REQUESTS / decideMedian)} decisions/s; ${fmt(allowedShare * 100, 1)}% allowed (checksum ${sink}).`,
);
log(
  `Cedar ${cedar.getCedarVersion()}: first ${fmt(CEDAR_REQUESTS)} requests of the same mix, after 500 warm-up calls; ` +
    `${fmt(avgEntities, 1)} entities per request on average, slices built beforehand in ${fmt(sliceSeconds, 2)} s ` +
    `(not counted; with them, ${fmt(CEDAR_REQUESTS / (cedarSeconds + sliceSeconds))} decisions/s).`,
);
log(
  `agreement on the Cedar subset: ${fmt(CEDAR_REQUESTS - disagreements)}/${fmt(CEDAR_REQUESTS)} same decisions` +
    (disagreements ? ' — DISAGREEMENT, run test/unit/policy.cedar.test.ts' : ''),
);
log('');
log(`ratio decide()/Cedar (preparsed): ${fmt(ratio, 1)}x`);
log(`goal ≥ ${GOAL_RATIO}x Cedar:             ${ratio >= GOAL_RATIO ? 'met' : 'NOT MET'} (${fmt(ratio, 1)}x)`);
log(`goal > ${fmt(GOAL_RATE)} decisions/s:  ${decideRate > GOAL_RATE ? 'met' : 'NOT MET'} (${fmt(decideRate)}/s)`);
if (disagreements) process.exitCode = 1;
