// Applies one finding's fix (computed by the pure findings, portals/fixes.ts): each object it touches gets one
// History record of its entries' old → new levels, naming the portal and finding that asked for it (and the entries it
// takes off go to the Record Deletion Log: objects.ts writePermissions).
import { DeputyError } from '../kernel/errors';
import { withChange } from './held';
import { portalReport } from './findings';
import { loadPortalFacts } from './facts';
import { requireDesignObject, writePermissions } from './objects';
import { getReport, requirePortal } from './manage';
import type { PortalReport } from '../../shared/portals';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export function applyFix(app: AppContext, caller: Caller, portalName: string, findingId: string): PortalReport {
  const { name, serviceAccount, uses } = requirePortal(app, portalName, 'portal');
  const portal = { name, serviceAccount, uses };
  const report = portalReport(loadPortalFacts(app, portal), portal);
  const finding = [...report.findings, ...report.unneeded, ...report.warnings].find((f) => f.id === findingId);
  if (!finding) {
    throw new DeputyError(
      'not_found',
      `Portal ${portal.name} has no finding ${findingId} now (fixed already?).`,
      'finding',
    );
  }
  if (!finding.fix) {
    const why = 'verdict' in finding && finding.verdict === 'exact' ? 'nothing to fix: ' : 'no automatic fix: ';
    throw new DeputyError('conflict', `${why}${finding.message}`, 'finding');
  }
  const { changes } = finding.fix;
  return app.db.transaction(() => {
    for (const object of [...new Set(changes.map((c) => c.object))]) {
      const before = requireDesignObject(app, object);
      const after = changes.filter((c) => c.object === object).reduce(withChange, before);
      writePermissions(app, caller, before, after.permissions, { portal: portal.name, finding: findingId });
    }
    return getReport(app, portal.name);
  })();
}
