// The service accounts' section of a policy bundle (serviceAccounts[]), with their shared-resource grants.
import { byName, conflict, key, setDiff, type BundleSection } from '../bundles/section';
import { displayNames, upsertPrincipal } from '../store/principals';
import { replaceSharedResources } from '../store/grants';

export const serviceAccountsSection: BundleSection<'serviceAccounts'> = {
  key: 'serviceAccounts',
  export(db, data) {
    const names = displayNames(db);
    return [...data.principals.values()]
      .filter((p) => p.kind === 'service')
      .sort((a, b) => byName(a.username, b.username))
      .map((s) => ({
        username: s.username,
        displayName: names.get(s.username) ?? '',
        sharedResources: [...(data.sharedGrants.get(s.username) ?? [])].sort(),
      }));
  },
  plan(current, next, out) {
    const users = new Set(current.users.map((u) => key(u.username)));
    const services = new Map(current.serviceAccounts.map((s) => [key(s.username), s]));
    for (const s of next.serviceAccounts) {
      if (users.has(key(s.username)))
        throw conflict(`${s.username} is a person here, but a service account in the bundle.`);
      const old = services.get(key(s.username));
      out.diff(`service account ${s.username}`, old, [
        ...(old?.displayName !== s.displayName
          ? [`display name: ${old?.displayName ?? '(none)'} → ${s.displayName || '(empty)'}`]
          : []),
        ...setDiff('shared resources', old?.sharedResources ?? [], s.sharedResources),
      ]);
    }
    // R-A4: service accounts that exist here but not in the bundle mean the environments differ.
    const named = new Set([...next.users, ...next.serviceAccounts].map((p) => key(p.username)));
    const missing = current.serviceAccounts.filter((s) => !named.has(key(s.username))).map((s) => s.username);
    if (missing.length)
      out.warn(`Service accounts here but not in the bundle (left as they are): ${missing.join(', ')}.`);
  },
  write(app, next, { now }) {
    const db = app.db;
    for (const s of next.serviceAccounts) {
      const id = upsertPrincipal(db, { ...s, kind: 'service', status: 'active', roles: [], passwordHash: null }, now);
      replaceSharedResources(db, id, new Set(s.sharedResources));
    }
  },
};
