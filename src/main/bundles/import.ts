// Applies a bundle: everything it names is made to match it, all or nothing, one History record per
// change. Principals, groups and flows it does not name are left as they are (and said so).
import { DeputyError } from '../kernel/errors';
import { exportBundle } from './export';
import { insertPrincipal } from '../store/principals';
import type { AppContext } from '../kernel/context';
import type { Bundle, BundleChange, ImportPlan } from '../../shared/bundle';

const key = (s: string) => s.toLowerCase();
const list = (xs: readonly string[]) => (xs.length ? [...xs].sort().join(', ') : '(none)');
const setDiff = (field: string, old: readonly string[], next: readonly string[]) =>
  list(old) === list(next) ? [] : [`${field}: ${list(old)} → ${list(next)}`];

type FlowEntry = Bundle['flows'][number];
const memberText = (m: FlowEntry['members'][number]) =>
  'principal' in m ? `${m.principal} as ${m.role}` : `group ${m.group} as ${m.role}`;

/** What importing `next` over the current directory would change, and what it would leave alone. */
export function planImport(app: AppContext, next: Bundle): ImportPlan {
  const current = exportBundle(app.db);
  const changes: BundleChange[] = [];
  const warnings: string[] = [];
  const diff = (subject: string, old: object | undefined, details: string[]) => {
    if (!old) changes.push({ subject, kind: 'add', details });
    else if (details.length) changes.push({ subject, kind: 'change', details });
  };

  const users = new Map(current.users.map((u) => [key(u.username), u]));
  const services = new Map(current.serviceAccounts.map((s) => [key(s.username), s]));
  for (const u of next.users) {
    if (services.has(key(u.username)))
      throw conflict(`${u.username} is a service account here, but a ${u.kind} user in the bundle.`);
    const old = users.get(key(u.username));
    diff(`user ${u.username}`, old, [
      ...(old?.displayName !== u.displayName
        ? [`display name: ${old?.displayName ?? '(none)'} → ${u.displayName || '(empty)'}`]
        : []),
      ...(old?.kind !== u.kind ? [`kind: ${old?.kind ?? '(none)'} → ${u.kind}`] : []),
      ...(old?.status !== u.status ? [`status: ${old?.status ?? '(none)'} → ${u.status}`] : []),
      ...setDiff('roles', old?.roles ?? [], u.roles),
    ]);
    if (!old && u.kind === 'human')
      warnings.push(`${u.username} is new here and has no password: they cannot sign in until one is set.`);
  }
  for (const s of next.serviceAccounts) {
    if (users.has(key(s.username)))
      throw conflict(`${s.username} is a person here, but a service account in the bundle.`);
    const old = services.get(key(s.username));
    diff(`service account ${s.username}`, old, [
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
    warnings.push(`Service accounts here but not in the bundle (left as they are): ${missing.join(', ')}.`);
  const untouched = current.users.filter((u) => !named.has(key(u.username))).length;
  if (untouched) warnings.push(`${untouched} users here are not in the bundle and are left as they are.`);

  const groups = new Map(current.groups.map((g) => [key(g.name), g]));
  for (const g of next.groups) {
    const old = groups.get(key(g.name));
    diff(`group ${g.name}`, old, setDiff('members', old?.members ?? [], g.members));
  }
  const flows = new Map(current.flows.map((f) => [key(f.name), f]));
  for (const f of next.flows) {
    const old = flows.get(key(f.name));
    diff(`flow ${f.name}`, old, [
      ...(old && old.type !== f.type ? [`type: ${old.type} → ${f.type}`] : []),
      ...setDiff('members', (old?.members ?? []).map(memberText), f.members.map(memberText)),
      ...setDiff('impersonation access', old?.impersonation ?? [], f.impersonation),
    ]);
  }
  return { applied: false, changes, warnings };
}

const conflict = (message: string) => new DeputyError('conflict', `The bundle does not fit this directory: ${message}`);

/**
 * Writes the bundle inside the caller's transaction. `passwordHashes` sets verifiers for new people
 * (the demo organisation); a bundle itself never carries one.
 */
export function writeBundle(app: AppContext, b: Bundle, passwordHashes: ReadonlyMap<string, string> = new Map()): void {
  const db = app.db;
  const now = app.clock().toISOString();
  const idOf = (username: string) =>
    db.prepare(`SELECT id FROM principals WHERE username = ?`).pluck().get(username) as number | undefined;
  const upsertPrincipal = (p: Parameters<typeof insertPrincipal>[1]) => {
    const id = idOf(p.username);
    if (id === undefined)
      return insertPrincipal(db, { ...p, passwordHash: passwordHashes.get(p.username) ?? null }, now);
    db.prepare(`UPDATE principals SET display_name = ?, kind = ?, status = ?, updated_at = ? WHERE id = ?`).run(
      p.displayName,
      p.kind,
      p.status,
      now,
      id,
    );
    db.prepare(`DELETE FROM principal_roles WHERE principal_id = ?`).run(id);
    const add = db.prepare(`INSERT INTO principal_roles (principal_id, role) VALUES (?, ?)`);
    for (const r of new Set(p.roles)) add.run(id, r);
    return id;
  };
  for (const u of b.users) upsertPrincipal(u);
  for (const s of b.serviceAccounts) {
    const id = upsertPrincipal({ ...s, kind: 'service', status: 'active', roles: [] });
    db.prepare(`DELETE FROM shared_resource_grants WHERE service_account_id = ?`).run(id);
    const grant = db.prepare(`INSERT INTO shared_resource_grants (service_account_id, resource) VALUES (?, ?)`);
    for (const r of new Set(s.sharedResources)) grant.run(id, r);
  }
  const groupId = (name: string) =>
    db.prepare(`SELECT id FROM groups WHERE name = ?`).pluck().get(name) as number | undefined;
  for (const g of b.groups) {
    const id =
      groupId(g.name) ?? Number(db.prepare(`INSERT INTO groups (name) VALUES (?)`).run(g.name).lastInsertRowid);
    db.prepare(`DELETE FROM group_members WHERE group_id = ?`).run(id);
    const add = db.prepare(`INSERT OR IGNORE INTO group_members (group_id, principal_id) VALUES (?, ?)`);
    for (const m of g.members) add.run(id, idOf(m));
  }
  for (const f of b.flows) {
    const existing = db.prepare(`SELECT id FROM flows WHERE name = ?`).pluck().get(f.name) as number | undefined;
    const id =
      existing ??
      Number(db.prepare(`INSERT INTO flows (name, type) VALUES (?, ?)`).run(f.name, f.type).lastInsertRowid);
    db.prepare(`UPDATE flows SET type = ? WHERE id = ?`).run(f.type, id);
    db.prepare(`DELETE FROM flow_members WHERE flow_id = ?`).run(id);
    db.prepare(`DELETE FROM flow_impersonation_grants WHERE flow_id = ?`).run(id);
    const addMember = db.prepare(
      `INSERT OR REPLACE INTO flow_members (flow_id, principal_id, group_id, role) VALUES (?, ?, ?, ?)`,
    );
    for (const m of f.members) {
      if ('principal' in m) addMember.run(id, idOf(m.principal), null, m.role);
      else addMember.run(id, null, groupId(m.group), m.role);
    }
    const grant = db.prepare(
      `INSERT OR IGNORE INTO flow_impersonation_grants (flow_id, service_account_id) VALUES (?, ?)`,
    );
    for (const sa of f.impersonation) grant.run(id, idOf(sa));
  }
  if (b.organisation) {
    db.prepare(
      `INSERT INTO settings (key, value) VALUES ('organisation', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ).run(b.organisation);
  }
}
