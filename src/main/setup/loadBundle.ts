// Writes an organisation bundle into an empty directory. Runs inside the caller's transaction.
import { DeputyError } from '../errors';
import { insertPrincipal } from '../store/principals';
import type { Bundle } from './bundle';
import type { Db } from '../store/db';

export interface BundleCounts {
  users: number;
  serviceAccounts: number;
  groups: number;
  flows: number;
}

export function loadBundle(
  db: Db,
  bundle: Bundle,
  passwordHashes: ReadonlyMap<string, string>,
  now: string,
): BundleCounts {
  const principalIds = new Map<string, number>();
  for (const u of bundle.users) {
    principalIds.set(
      u.username,
      insertPrincipal(db, { ...u, passwordHash: passwordHashes.get(u.username) ?? null }, now),
    );
  }
  for (const sa of bundle.serviceAccounts) {
    const id = insertPrincipal(db, { ...sa, kind: 'service', status: 'active', roles: [] }, now);
    principalIds.set(sa.username, id);
    const grant = db.prepare(`INSERT INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`);
    for (const resource of sa.sharedResources) grant.run(id, resource);
  }

  const principal = (name: string, where: string) => {
    const id = principalIds.get(name);
    if (id === undefined) throw new DeputyError('invalid_input', `${where} names ${name}, who is not in the bundle.`);
    return id;
  };

  const groupIds = new Map<string, number>();
  const addGroupMember = db.prepare(`INSERT INTO group_members (group_id, principal_id) VALUES (?, ?)`);
  for (const g of bundle.groups) {
    const id = Number(db.prepare(`INSERT INTO groups (name) VALUES (?)`).run(g.name).lastInsertRowid);
    groupIds.set(g.name, id);
    for (const m of g.members) addGroupMember.run(id, principal(m, `Group ${g.name}`));
  }

  const addMember = db.prepare(`INSERT INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`);
  const addImpersonation = db.prepare(
    `INSERT INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`,
  );
  for (const f of bundle.flows) {
    const where = `Flow ${f.name}`;
    const id = Number(db.prepare(`INSERT INTO flows (name, type) VALUES (?, ?)`).run(f.name, f.type).lastInsertRowid);
    for (const m of f.members) {
      if ('principal' in m) {
        addMember.run(id, principal(m.principal, where), null, m.role);
      } else {
        const group = groupIds.get(m.group);
        if (group === undefined)
          throw new DeputyError('invalid_input', `${where} names group ${m.group}, which is not in the bundle.`);
        addMember.run(id, null, group, m.role);
      }
    }
    for (const sa of f.impersonation) addImpersonation.run(id, principal(sa, where));
  }
  return {
    users: bundle.users.length,
    serviceAccounts: bundle.serviceAccounts.length,
    groups: bundle.groups.length,
    flows: bundle.flows.length,
  };
}
