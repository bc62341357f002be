// One portal's findings read only what that portal's report can look at (portals/facts.ts loadPortalFacts), by index
// seeks: on a generated organisation the report must be the one the whole organisation's facts give, for every
// portal, and no statement may scan a portal or design-object table. An account's record-type view reads only the
// record types with an entry reaching it, and must say what the whole organisation's facts say.
import { describe, expect, it } from 'vitest';
import { loadAccountFacts, loadFacts, loadPortalFacts } from '../../src/main/portals/facts';
import { allReports, portalReport, recordTypeAccess } from '../../src/main/portals/findings';
import { listReports } from '../../src/main/portals/manage';
import { generatePortalOrg } from '../support/portalGen';
import { REACH_EXAMPLES } from '../../src/shared/portals';
import { statementsRun } from '../support/sqlSpy';
import { tempCore } from './helpers';
import type { AppContext } from '../../src/main/kernel/context';

const SMALL = { portals: 120, objects: 600, people: 80, groups: 8, serviceAccounts: 100, seed: 7 };

describe('R-A2: one portal’s report from its own facts', () => {
  it('R-A2: equals the report over the whole organisation for every portal (verdicts, fixes, warnings)', async () => {
    const core = await tempCore();
    generatePortalOrg(core.app.db, SMALL);
    const whole = allReports(loadFacts(core.app));
    expect(whole).toHaveLength(SMALL.portals);
    // The generated organisation has every kind of finding, so the comparison covers fixes with compensation.
    const verdicts = new Set(whole.flatMap((r) => r.findings.map((f) => f.verdict)));
    expect([...verdicts].sort()).toEqual(['exact', 'missing', 'more_than_needed']);
    expect(whole.some((r) => r.warnings.some((w) => w.kind === 'shared_account'))).toBe(true);
    expect(whole.some((r) => r.warnings.some((w) => w.kind === 'default_viewer'))).toBe(true);
    expect(whole.some((r) => r.findings.some((f) => f.fix && f.fix.changes.length > 1))).toBe(true);
    // Beyond the needs: accounts' own leftover entries, and what their groups and Default give them, counted. One
    // portal's facts count that in SQLite; the whole organisation's, through the grantee index over every object.
    expect(whole.some((r) => r.unneeded.length > 0)).toBe(true);
    const reach = whole.flatMap((r) => r.warnings.flatMap((w) => (w.reach ? [w.reach] : [])));
    expect([...new Set(reach.map((x) => x.source.type))].sort()).toEqual(['default', 'group']);
    expect(reach.some((x) => x.count > REACH_EXAMPLES)).toBe(true);
    // The organisation's report loads only the objects some portal uses or that reach a portal's account, and is the
    // same.
    expect(listReports(core.app)).toEqual(whole);
    for (const report of whole) {
      const { portal } = report;
      expect(portalReport(loadPortalFacts(core.app, portal), portal), portal.name).toEqual(report);
    }
  });

  it('R-A2: reads by index seeks only, no scan of portals, their uses, objects or permission lists', async () => {
    const core = await tempCore();
    const org = generatePortalOrg(core.app.db, SMALL);
    core.app.db.pragma('optimize');
    core.app.policy(); // the directory snapshot is decide()'s, built once and cached
    const portal = org.portals[3]!;
    const ran = statementsRun(core.app.db, (db) => {
      loadPortalFacts({ ...core.app, db } as AppContext, portal);
    });
    expect(ran.length).toBeGreaterThan(0);
    for (const { sql, params } of ran) {
      const plan = (core.app.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
      expect(plan, sql).not.toMatch(/SCAN (portals|portal_uses|design_objects|design_object_permissions)\b/);
    }
  });
});

describe('R-A3: the record types an account reaches, from the objects that name it', () => {
  it('R-A3: equals the view over every object, for every account and person of a generated organisation', async () => {
    const core = await tempCore();
    generatePortalOrg(core.app.db, SMALL);
    const whole = loadFacts(core.app);
    const names = [...core.app.policy().principals.keys()].filter((n) => /^(portal-bot|person)-/.test(n));
    expect(names).toHaveLength(SMALL.serviceAccounts + SMALL.people);
    const seen = new Set<string>();
    for (const name of names) {
      const narrow = loadAccountFacts(core.app, name);
      expect(narrow.objects.size, name).toBeLessThan(whole.objects.size);
      const expected = recordTypeAccess(whole, name);
      expect(recordTypeAccess(narrow, name), name).toEqual(expected);
      for (const r of expected) for (const h of r.held) seen.add(h.how.via);
    }
    // Every way of reaching a record type was compared: the account's own entry, a group's, and Default's.
    expect([...seen].sort()).toEqual(['default', 'direct', 'group']);
  });
});
