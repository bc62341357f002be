// A seeded organisation of portals and design objects (mulberry32, so every run is the same), written through the
// repositories in one transaction: for the portals bench (1,000 portals, 20,000 objects) and, smaller, for the test
// that one portal's facts give the report the whole organisation's give.
import { insertDesignObject } from '../../src/main/store/designObjects';
import { addGroupMember, insertGroup } from '../../src/main/store/groups';
import { insertPortal } from '../../src/main/store/portals';
import { insertPrincipal } from '../../src/main/store/principals';
import {
  DESIGN_OBJECT_KINDS,
  USE_CASES,
  USE_CASE_TABLE,
  type DesignObjectKind,
  type Grantee,
  type PermissionLevel,
  type Portal,
  type PortalUse,
} from '../../src/shared/portals';
import type { Db } from '../../src/main/kernel/ports';
import { mulberry32 } from './policyGen';

export interface PortalOrgSize {
  portals: number;
  objects: number;
  people: number;
  groups: number;
  /** Fewer than portals: the first ones serve two portals each (the shared-account warning). */
  serviceAccounts: number;
  seed: number;
}

export const FULL_PORTAL_ORG: PortalOrgSize = {
  portals: 1_000,
  objects: 20_000,
  people: 2_000,
  groups: 100,
  serviceAccounts: 900,
  seed: 20261201,
};

/** Share of each kind among the objects. */
const KIND_SHARE: Record<DesignObjectKind, number> = {
  record_type: 0.35,
  process_model: 0.25,
  document_folder: 0.2,
  data_store: 0.1,
  web_api: 0.1,
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface PortalOrg {
  portals: Portal[];
  objects: number;
  entries: number;
}

/** Writes the organisation into `db` (a migrated Deputy database) and says what it wrote. */
export function generatePortalOrg(db: Db, size: PortalOrgSize, now = '2026-12-01T00:00:00.000Z'): PortalOrg {
  const random = mulberry32(size.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const people = Array.from({ length: size.people }, (_, i) => `person-${pad(i, 5)}`);
  const groups = Array.from({ length: size.groups }, (_, i) => `Team ${pad(i, 3)}`);
  const accounts = Array.from({ length: size.serviceAccounts }, (_, i) => `portal-bot-${pad(i, 4)}`);

  // Objects of each kind, names unique across kinds; their permission lists as grantee key → entry.
  const byKind = new Map<DesignObjectKind, string[]>(DESIGN_OBJECT_KINDS.map((k) => [k, []]));
  const lists = new Map<string, Map<string, { grantee: Grantee; level: PermissionLevel }>>();
  const kinds = new Map<string, DesignObjectKind>();
  let at = 0;
  for (const kind of DESIGN_OBJECT_KINDS) {
    const count = Math.round(size.objects * KIND_SHARE[kind]);
    for (let i = 0; i < count && at < size.objects; i++, at++) {
      const name = `${kind.replace('_', ' ')} ${pad(at, 5)}`;
      byKind.get(kind)!.push(name);
      kinds.set(name, kind);
      const list = new Map<string, { grantee: Grantee; level: PermissionLevel }>();
      const grant =
        kind === 'process_model' ? (['initiator', 'viewer', 'editor'] as const) : (['viewer', 'editor'] as const);
      for (let e = Math.floor(random() * 5); e > 0; e--) {
        const grantee: Grantee =
          random() < 0.6 ? { type: 'user', name: pick(people) } : { type: 'group', name: pick(groups) };
        const level: PermissionLevel = random() < 0.03 ? 'deny' : random() < 0.1 ? 'administrator' : pick(grant);
        list.set(`${grantee.type}:${'name' in grantee ? grantee.name : ''}`, { grantee, level });
      }
      if (kind === 'record_type' && random() < 0.1)
        list.set('default:', { grantee: { type: 'default' }, level: 'viewer' });
      lists.set(name, list);
    }
  }

  // Portals: one to four use cases, each with one or two objects of every kind it needs, a third of them from the
  // 200 most used of that kind (so some objects serve dozens of portals); the account's own entry on each object is
  // what it needs (70 %), more (15 %) or nothing (15 %).
  const portals: Portal[] = [];
  for (let i = 0; i < size.portals; i++) {
    const account = accounts[i % accounts.length]!;
    const useCases = [...USE_CASES].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 4));
    const uses: PortalUse[] = useCases.map((useCase) => {
      const objects = new Set<string>();
      for (const need of USE_CASE_TABLE[useCase].needs) {
        const pool = byKind.get(need.kind)!;
        for (let n = 1 + Math.floor(random() * 2); n > 0; n--) {
          const name = random() < 0.33 ? pick(pool.slice(0, 200)) : pick(pool);
          objects.add(name);
          const r = random();
          const list = lists.get(name)!;
          if (r < 0.7) list.set(`user:${account}`, { grantee: { type: 'user', name: account }, level: need.min });
          else if (r < 0.85)
            list.set(`user:${account}`, { grantee: { type: 'user', name: account }, level: 'administrator' });
        }
      }
      return { useCase, objects: [...objects].sort() };
    });
    portals.push({ name: `Portal ${pad(i, 4)}`, serviceAccount: account, uses });
  }

  // Leftovers (R-A2, least privilege): every tenth account keeps a direct entry on an object picked at random, which
  // its portals most likely do not use. A stream of its own, so that everything above stays as it was.
  const leftover = mulberry32(size.seed + 1);
  const names = [...lists.keys()];
  for (let i = 0; i < accounts.length; i += 10) {
    const list = lists.get(names[Math.floor(leftover() * names.length)]!)!;
    if (!list.has(`user:${accounts[i]}`))
      list.set(`user:${accounts[i]}`, { grantee: { type: 'user', name: accounts[i]! }, level: 'viewer' });
  }

  let entries = 0;
  db.transaction(() => {
    const ids = new Map<string, number>();
    for (const username of people)
      ids.set(
        username,
        insertPrincipal(db, { username, displayName: username, kind: 'human', status: 'active', roles: [] }, now),
      );
    for (const username of accounts)
      // in the system group Service Account from the start (the table's trigger)
      ids.set(
        username,
        insertPrincipal(db, { username, displayName: username, kind: 'service', status: 'active', roles: [] }, now),
      );
    const groupIds = groups.map((g) => insertGroup(db, g));
    for (const username of [...people, ...accounts]) {
      const member = new Set<number>();
      for (let n = Math.floor(random() * 3); n > 0; n--) member.add(pick(groupIds));
      for (const g of member) addGroupMember(db, g, ids.get(username)!);
    }
    for (const [name, list] of lists) {
      entries += list.size;
      insertDesignObject(db, { name, kind: kinds.get(name)!, permissions: [...list.values()] }, now);
    }
    for (const p of portals) insertPortal(db, p, now);
  })();
  return { portals, objects: lists.size, entries };
}
