// The portal findings and their fixes as properties, over random organisations (service accounts in and out of groups,
// objects of every kind with random permission lists — Deny and Default (All Other Users) included — and portals that
// share accounts and objects). Fixes are applied one at a time, each computed on the facts the previous one left, as
// an administrator clicking them would:
// - lowering every "more than needed" finding never creates a "missing" one (R-A2);
// - applying every fix there is ends, and leaves no finding that a fix addresses: nothing more than needed, no
//   R-A3 warning, none of an account's own entries beyond what its use cases need, and nothing missing except where a
//   Deny blocks it (which no fix lifts);
// - each reach warning (R-A2) says what its group or Default gives the account beyond its needs, as a plain walk over
//   every object would count it, and there is one for every source that gives something.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allReports } from '../../src/main/portals/findings';
import { applyChanges, heldBy, type PortalFacts } from '../../src/main/portals/held';
import { needsOf } from '../../src/main/portals/needs';
import {
  DESIGN_OBJECT_KINDS,
  USE_CASES,
  REACH_EXAMPLES,
  USE_CASE_TABLE,
  levelsOf,
  sameGrantee,
  type DesignObject,
  type Fix,
  type Grantee,
  type Portal,
  type PortalUse,
} from '../../src/shared/portals';
import type { PrincipalKind } from '../../src/shared/model';

const ACCOUNTS = ['a0', 'a1', 'a2', 'a3'];
const HUMANS = ['h0'];
const GROUPS = ['g0', 'g1'];
const GRANTEES: Grantee[] = [
  ...[...ACCOUNTS, ...HUMANS].map((name): Grantee => ({ type: 'user', name })),
  ...GROUPS.map((name): Grantee => ({ type: 'group', name })),
  { type: 'default' },
];

const arbObject = (name: string): fc.Arbitrary<DesignObject> =>
  fc.constantFrom(...DESIGN_OBJECT_KINDS).chain((kind) =>
    fc
      .subarray(GRANTEES)
      .chain((grantees) =>
        fc.tuple(...grantees.map((grantee) => fc.constantFrom(...levelsOf(kind)).map((level) => ({ grantee, level })))),
      )
      .map((permissions) => ({ name, kind, permissions })),
  );

const arbFacts: fc.Arbitrary<PortalFacts> = fc
  .record({
    objects: fc.tuple(...['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6'].map(arbObject)),
    memberships: fc.tuple(...[...ACCOUNTS, ...HUMANS].map(() => fc.subarray(GROUPS))),
  })
  .chain(({ objects, memberships }) => {
    const ofKind = (kind: DesignObject['kind']) => objects.filter((o) => o.kind === kind).map((o) => o.name);
    const arbUse = fc.constantFrom(...USE_CASES).chain((useCase) => {
      const needs = USE_CASE_TABLE[useCase].needs;
      if (needs.some((n) => ofKind(n.kind).length === 0)) return fc.constant(null);
      return fc
        .tuple(...needs.map((n) => fc.subarray(ofKind(n.kind), { minLength: 1 })))
        .map((lists): PortalUse => ({ useCase, objects: lists.flat() }));
    });
    const arbPortal = (name: string): fc.Arbitrary<Portal> =>
      fc.record({
        name: fc.constant(name),
        serviceAccount: fc.constantFrom(...ACCOUNTS),
        uses: fc
          .array(arbUse, { maxLength: 4 })
          .map((uses) =>
            uses
              .filter((u): u is PortalUse => u !== null)
              .filter((u, i, all) => all.findIndex((x) => x.useCase === u.useCase) === i),
          ),
      });
    return fc.tuple(...['p0', 'p1', 'p2', 'p3'].map(arbPortal)).map((portals): PortalFacts => ({
      objects: new Map(objects.map((o) => [o.name, o])),
      portals,
      principals: new Map<string, { kind: PrincipalKind; status: 'active' }>([
        ...ACCOUNTS.map((a): [string, { kind: PrincipalKind; status: 'active' }] => [
          a,
          { kind: 'service', status: 'active' },
        ]),
        ...HUMANS.map((h): [string, { kind: PrincipalKind; status: 'active' }] => [
          h,
          { kind: 'human', status: 'active' },
        ]),
      ]),
      groupsOf: new Map([...ACCOUNTS, ...HUMANS].map((p, i) => [p, memberships[i]!])),
    }));
  });

const missing = (facts: PortalFacts) =>
  new Set(
    allReports(facts).flatMap((r) =>
      r.findings.filter((f) => f.verdict === 'missing').map((f) => `${r.portal.name}|${f.id}`),
    ),
  );

const MAX_STEPS = 300;

describe('R-A2, R-A3: the fixes, as properties', () => {
  it('R-A2: lowering every more-than-needed finding never creates a missing one', () => {
    let lowered = 0;
    fc.assert(
      fc.property(arbFacts, (start) => {
        const before = missing(start);
        let facts = start;
        for (let step = 0; ; step++) {
          expect(step).toBeLessThan(MAX_STEPS);
          const more = allReports(facts)
            .flatMap((r) => r.findings)
            .find((f) => f.verdict === 'more_than_needed');
          if (!more) break;
          expect(more.fix, more.message).not.toBeNull();
          facts = applyChanges(facts, more.fix!.changes);
          lowered++;
          const now = missing(facts);
          expect([...now].filter((m) => !before.has(m))).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
    expect(lowered).toBeGreaterThan(100);
  });

  it('R-A2, R-A3: applying every fix ends, and leaves nothing a fix addresses', () => {
    let fixes = 0;
    let unneededFixes = 0;
    let blockedByDeny = 0;
    fc.assert(
      fc.property(arbFacts, (start) => {
        let facts = start;
        for (let step = 0; ; step++) {
          expect(step).toBeLessThan(MAX_STEPS);
          const reports = allReports(facts);
          const next = reports.flatMap((r) => [...r.findings, ...r.unneeded, ...r.warnings]).find((f) => f.fix);
          const fix: Fix | null | undefined = next?.fix;
          if (next?.id.startsWith('unneeded|')) unneededFixes++;
          if (!fix) {
            for (const r of reports) {
              expect(r.warnings.filter((w) => w.rule === 'R-A3')).toEqual([]);
              expect(r.unneeded).toEqual([]);
              for (const f of r.findings) {
                expect(f.verdict === 'exact' || (f.verdict === 'missing' && f.actual === 'deny'), f.message).toBe(true);
                if (f.verdict === 'missing') blockedByDeny++;
              }
            }
            break;
          }
          facts = applyChanges(facts, fix.changes);
          fixes++;
        }
      }),
      { numRuns: 400 },
    );
    expect(fixes).toBeGreaterThan(200);
    expect(unneededFixes).toBeGreaterThan(100);
    expect(blockedByDeny).toBeGreaterThan(10);
  });

  it('R-A2: a reach warning counts and names what its source gives the account on objects none of its portals needs', () => {
    let warned = 0;
    fc.assert(
      fc.property(arbFacts, (facts) => {
        const needs = needsOf(facts);
        for (const r of allReports(facts)) {
          const account = r.portal.serviceAccount;
          const sources: Grantee[] = [
            ...[...(facts.groupsOf.get(account) ?? [])].sort().map((name): Grantee => ({ type: 'group', name })),
            { type: 'default' },
          ];
          const expected = sources.flatMap((source) => {
            // Every object, one by one: the definition the index and its counts must agree with.
            const names = [...facts.objects.values()]
              .filter(
                (o) =>
                  !needs.of(account, o.name) &&
                  heldBy(facts, account, o).actual !== 'deny' &&
                  o.permissions.some((e) => sameGrantee(e.grantee, source) && e.level !== 'deny'),
              )
              .map((o) => o.name)
              .sort();
            return names.length ? [{ source, count: names.length, examples: names.slice(0, REACH_EXAMPLES) }] : [];
          });
          expect(r.warnings.flatMap((w) => (w.reach ? [w.reach] : []))).toEqual(expected);
          warned += expected.length;
        }
      }),
      { numRuns: 300 },
    );
    expect(warned).toBeGreaterThan(300);
  });
});
