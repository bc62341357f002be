// The current policy as a bundle. Secrets and password verifiers are never part of it.
import { loadPolicyData } from '../policy/source';
import type { Db } from '../kernel/ports';
import type { Bundle } from '../../shared/bundle';
import type { AccountRole } from '../../shared/model';

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' });

export function exportBundle(db: Db): Bundle {
  const data = loadPolicyData(db);
  const names = new Map(
    (
      db.prepare(`SELECT username, display_name FROM principals`).all() as { username: string; display_name: string }[]
    ).map((r) => [r.username, r.display_name]),
  );
  const people = [...data.principals.values()].filter((p) => p.kind !== 'service');
  const services = [...data.principals.values()].filter((p) => p.kind === 'service');
  const groupMembers = new Map<string, string[]>();
  for (const g of db.prepare(`SELECT name FROM groups WHERE system = 0`).pluck().all() as string[])
    groupMembers.set(g, []);
  for (const [username, groups] of data.groupsOf) {
    for (const g of groups) groupMembers.get(g)?.push(username);
  }
  const organisation = db.prepare(`SELECT value FROM settings WHERE key = 'organisation'`).pluck().get() as
    string | undefined;

  return {
    version: 1,
    ...(organisation ? { organisation } : {}),
    users: people
      .sort((a, b) => byName(a.username, b.username))
      .map((p) => ({
        username: p.username,
        displayName: names.get(p.username) ?? '',
        kind: p.kind as Exclude<typeof p.kind, 'service'>,
        status: p.status,
        roles: [...p.roles].sort() as AccountRole[],
      })),
    groups: [...groupMembers]
      .sort(([a], [b]) => byName(a, b))
      .map(([name, members]) => ({ name, members: members.sort(byName) })),
    serviceAccounts: services
      .sort((a, b) => byName(a.username, b.username))
      .map((s) => ({
        username: s.username,
        displayName: names.get(s.username) ?? '',
        sharedResources: [...(data.sharedGrants.get(s.username) ?? [])].sort(),
      })),
    flows: [...data.flows.values()]
      .sort((a, b) => byName(a.name, b.name))
      .map((f) => ({
        name: f.name,
        type: f.type,
        members: [
          ...[...f.members].map(([principal, role]) => ({ principal, role })),
          ...[...f.groupRoles].map(([group, role]) => ({ group, role })),
        ].sort((a, b) => byName('principal' in a ? a.principal : a.group, 'principal' in b ? b.principal : b.group)),
        impersonation: [...f.impersonation].sort(byName),
      })),
  };
}
