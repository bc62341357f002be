// The directory's sections of a policy bundle: people (users[]) and groups (groups[]).
import { DeputyError } from '../kernel/errors';
import { byName, conflict, key, setDiff, type BundleSection } from '../bundles/section';
import type { Bundle } from '../../shared/bundle';
import { displayNames, principalId, upsertPrincipal } from '../store/principals';
import { editableGroupNames, groupId, insertGroup, replaceGroupMembers } from '../store/groups';
import type { AccountRole } from '../../shared/model';

export const usersSection: BundleSection<'users'> = {
  key: 'users',
  export(db, data) {
    const names = displayNames(db);
    return [...data.principals.values()]
      .filter((p) => p.kind !== 'service')
      .sort((a, b) => byName(a.username, b.username))
      .map((p) => ({
        username: p.username,
        displayName: names.get(p.username) ?? '',
        kind: p.kind as Exclude<typeof p.kind, 'service'>,
        status: p.status,
        roles: [...p.roles].sort() as AccountRole[],
      }));
  },
  plan(current, next, out) {
    const users = new Map(current.users.map((u) => [key(u.username), u]));
    const services = new Set(current.serviceAccounts.map((s) => key(s.username)));
    for (const u of next.users) {
      if (services.has(key(u.username)))
        throw conflict(`${u.username} is a service account here, but a ${u.kind} user in the bundle.`);
      const old = users.get(key(u.username));
      out.diff(`user ${u.username}`, old, [
        ...(old?.displayName !== u.displayName
          ? [`display name: ${old?.displayName ?? '(none)'} → ${u.displayName || '(empty)'}`]
          : []),
        ...(old?.kind !== u.kind ? [`kind: ${old?.kind ?? '(none)'} → ${u.kind}`] : []),
        ...(old?.status !== u.status ? [`status: ${old?.status ?? '(none)'} → ${u.status}`] : []),
        ...setDiff('roles', old?.roles ?? [], u.roles),
      ]);
      if (!old && u.kind === 'human')
        out.warn(`${u.username} is new here and has no password: they cannot sign in until one is set.`);
    }
    const named = new Set([...next.users, ...next.serviceAccounts].map((p) => key(p.username)));
    const untouched = current.users.filter((u) => !named.has(key(u.username))).length;
    if (untouched) out.warn(`${untouched} users here are not in the bundle and are left as they are.`);
    // As the console refuses it: the organisation keeps an active Super Admin, whoever the bundle demotes,
    // deactivates or turns into a guest.
    const activeSuperAdmin = (u: Bundle['users'][number]) =>
      u.kind === 'human' && u.status === 'active' && u.roles.includes('super_admin');
    const after = new Map(current.users.map((u) => [key(u.username), u]));
    for (const u of next.users) after.set(key(u.username), u);
    if (current.users.some(activeSuperAdmin) && ![...after.values()].some(activeSuperAdmin)) {
      const paths = next.users.flatMap((u, i) =>
        current.users.some((c) => key(c.username) === key(u.username) && activeSuperAdmin(c)) ? [`users[${i}]`] : [],
      );
      throw new DeputyError(
        'invalid_input',
        `The bundle has a problem; nothing was imported.\n${paths.join(', ')}: it would leave no active Super Admin, and nobody could administer Deputy; keep one, or make another first.`,
        'bundle',
      );
    }
  },
  write(app, next, { now, passwordHashes }) {
    for (const u of next.users)
      upsertPrincipal(app.db, { ...u, passwordHash: passwordHashes.get(u.username) ?? null }, now);
  },
};

export const groupsSection: BundleSection<'groups'> = {
  key: 'groups',
  export(db, data) {
    const groupMembers = new Map<string, string[]>();
    for (const g of editableGroupNames(db)) groupMembers.set(g, []);
    for (const [username, groups] of data.groupsOf) {
      for (const g of groups) groupMembers.get(g)?.push(username);
    }
    return [...groupMembers]
      .sort(([a], [b]) => byName(a, b))
      .map(([name, members]) => ({ name, members: members.sort(byName) }));
  },
  plan(current, next, out) {
    const groups = new Map(current.groups.map((g) => [key(g.name), g]));
    for (const g of next.groups) {
      const old = groups.get(key(g.name));
      out.diff(`group ${g.name}`, old, setDiff('members', old?.members ?? [], g.members));
    }
  },
  write(app, next) {
    const db = app.db;
    for (const g of next.groups) {
      const id = groupId(db, g.name) ?? insertGroup(db, g.name);
      replaceGroupMembers(
        db,
        id,
        g.members.map((m) => principalId(db, m)),
      );
    }
  },
};
