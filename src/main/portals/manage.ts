// Portals: a name, exactly one service account (R-A1), and the use cases it has with the objects each uses (R-A2).
// What is saved is checked against what exists, so the findings only ever speak of permissions: an account that is
// not a service account, an object that does not exist or is of a kind the use case does not use, or a use case
// without an object of a kind it needs, is refused with nothing written.
import { DeputyError } from '../kernel/errors';
import { recordDeletion } from '../deletions/record';
import { findPrincipal } from '../store/principals';
import { findDesignObject } from '../store/designObjects';
import { liveKeyOf } from '../store/portalKeys';
import {
  portalNameList,
  deletePortal,
  findPortal,
  insertPortal,
  putPortalUses,
  setPortalAccount,
  type StoredPortal,
} from '../store/portals';
import {
  KIND_LABELS,
  USE_CASE_TABLE,
  type Portal,
  type PortalReport,
  type PortalUse,
  type RecordTypeAccess,
} from '../../shared/portals';
import { allReports, portalReport, recordTypeAccess } from './findings';
import { publishedAccountChange } from './references';
import { loadAccountFacts, loadOrganisationFacts, loadPortalFacts } from './facts';
import type { AppContext } from '../kernel/context';
import type { Caller } from '../kernel/caller';

export const portalTarget = (name: string) => `portal:${name}`;
const view = ({ id: _id, ...p }: StoredPortal): Portal => p;

export function requirePortal(app: AppContext, name: string, field = 'name'): StoredPortal {
  const p = findPortal(app.db, name);
  if (!p) throw new DeputyError('not_found', `There is no portal named ${name}.`, field);
  return p;
}

/** R-A1: a portal authenticates through one service account, a member of the system group Service Account. */
export function requireServiceAccount(app: AppContext, username: string): string {
  const p = findPrincipal(app.db, username);
  if (!p) throw new DeputyError('not_found', `There is no user named ${username}.`, 'serviceAccount');
  if (p.kind !== 'service') {
    throw new DeputyError(
      'invalid_input',
      `${p.username} is a ${p.kind === 'human' ? 'person' : `${p.kind} user`}, not a service account; a portal authenticates through a member of the system group Service Account.`,
      'serviceAccount',
      false,
      'R-A1',
    );
  }
  return p.username;
}

function checkUses(app: AppContext, uses: readonly PortalUse[]): void {
  uses.forEach((use, i) => {
    const row = USE_CASE_TABLE[use.useCase];
    if (uses.findIndex((u) => u.useCase === use.useCase) !== i)
      throw new DeputyError(
        'invalid_input',
        `${row.label} is listed twice; list its objects once.`,
        `uses.${i}.useCase`,
      );
    const kinds = new Set(row.needs.map((n) => n.kind));
    const seen = new Set<string>();
    use.objects.forEach((name, j) => {
      const field = `uses.${i}.objects.${j}`;
      const o = findDesignObject(app.db, name);
      if (!o) throw new DeputyError('not_found', `There is no design object named ${name}.`, field);
      if (!kinds.has(o.kind)) {
        const wanted = [...kinds].map((k) => `${KIND_LABELS[k]}s`).join(' and ');
        throw new DeputyError(
          'invalid_input',
          `${name} is a ${KIND_LABELS[o.kind]}; ${row.label} uses ${wanted}.`,
          field,
        );
      }
      if (seen.has(name)) throw new DeputyError('invalid_input', `${name} is listed twice for ${row.label}.`, field);
      seen.add(name);
      seen.add(`kind:${o.kind}`);
    });
    const lacking = [...kinds].filter((k) => !seen.has(`kind:${k}`));
    if (lacking.length) {
      throw new DeputyError(
        'invalid_input',
        `${row.label} needs a ${lacking.map((k) => KIND_LABELS[k]).join(' and a ')}; add one it uses.`,
        `uses.${i}.objects`,
      );
    }
  });
}

const describeUses = (uses: readonly PortalUse[]) =>
  uses.map((u) => `${USE_CASE_TABLE[u.useCase].label}: ${u.objects.join(', ')}`).join('; ') || 'none';

export function getReport(app: AppContext, name: string): PortalReport {
  const portal = view(requirePortal(app, name));
  return portalReport(loadPortalFacts(app, portal), portal);
}

export const listReports = (app: AppContext): PortalReport[] => allReports(loadOrganisationFacts(app));

export function accountRecordTypes(app: AppContext, username: string): RecordTypeAccess[] {
  if (!findPrincipal(app.db, username))
    throw new DeputyError('not_found', `There is no user named ${username}.`, 'serviceAccount');
  return recordTypeAccess(loadAccountFacts(app, username), username);
}

export function createPortal(app: AppContext, caller: Caller, portal: Portal): PortalReport {
  if (findPortal(app.db, portal.name))
    throw new DeputyError('conflict', `A portal named ${portal.name} exists already.`, 'name');
  const serviceAccount = requireServiceAccount(app, portal.serviceAccount);
  checkUses(app, portal.uses);
  return app.db.transaction(() => {
    insertPortal(app.db, { ...portal, serviceAccount }, app.clock().toISOString());
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'portal.create',
      target: portalTarget(portal.name),
      message: `Created portal ${portal.name} with service account ${serviceAccount} (${describeUses(portal.uses)})`,
      details: {
        changes: [
          { field: 'serviceAccount', old: null, new: serviceAccount },
          { field: 'uses', old: null, new: describeUses(portal.uses) },
        ],
      },
    });
    return getReport(app, portal.name);
  })();
}

export function updatePortal(
  app: AppContext,
  caller: Caller,
  input: { name: string; serviceAccount?: string | undefined; uses?: PortalUse[] | undefined },
): PortalReport {
  const p = requirePortal(app, input.name);
  const serviceAccount =
    input.serviceAccount === undefined ? p.serviceAccount : requireServiceAccount(app, input.serviceAccount);
  const uses = input.uses ?? p.uses;
  checkUses(app, uses);
  const changes = [
    { field: 'serviceAccount', old: p.serviceAccount, new: serviceAccount },
    { field: 'uses', old: describeUses(p.uses), new: describeUses(uses) },
  ].filter((c) => c.old !== c.new);
  if (changes.length === 0) throw new DeputyError('conflict', `Portal ${p.name} is like this already.`);
  const published = publishedAccountChange(app, p, serviceAccount);
  if (published) throw new DeputyError('conflict', `${published}.`, 'serviceAccount', false, 'R-A5');
  return app.db.transaction(() => {
    setPortalAccount(app.db, p.id, serviceAccount);
    putPortalUses(app.db, p.id, uses);
    app.audit.append({
      log: 'history',
      operator: caller.username,
      action: 'portal.update',
      target: portalTarget(p.name),
      message: `Portal ${p.name}: ${changes.map((c) => `${c.field} ${c.old} → ${c.new}`).join('; ')}`,
      details: { changes },
    });
    return getReport(app, p.name);
  })();
}

export function deletePortalNamed(app: AppContext, caller: Caller, name: string): void {
  const p = requirePortal(app, name);
  // R-A5: its key's secret is in the keychain; rotating deletes it, so deleting the portal leaves no secret behind.
  const live = liveKeyOf(app.db, p.id);
  if (live)
    throw new DeputyError('conflict', `Portal ${name} is published with API key ${live}; rotate it first.`, 'name');
  app.db.transaction(() => {
    deletePortal(app.db, p.id);
    recordDeletion(app, caller, {
      deleted: 'portal',
      snapshot: { portal: view(p) },
      action: 'portal.delete',
      target: portalTarget(p.name),
      message: `Deleted portal ${p.name} (service account ${p.serviceAccount}; ${describeUses(p.uses)})`,
    });
  })();
}

export const portalNames = (app: AppContext): string[] => portalNameList(app.db);
