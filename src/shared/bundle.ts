// The policy bundle: users, groups, service accounts, flows, design objects and portals as one versioned JSON document.
// It is how policy is kept as code and moved between environments (R-A4); the demo organisation is one.
// docs/policy-bundle.schema.json is generated from this schema (npm run docs:schema).
import { z } from 'zod';
import { displayName, fieldName, flowName, groupName, username } from './contract';
import {
  ACCOUNT_ROLES,
  FIELD_TYPES,
  FLOW_ROLES,
  FLOW_TYPES,
  IMPERSONABLE_FLOW_TYPES,
  PRINCIPAL_KINDS,
  PRINCIPAL_STATUSES,
  SHARED_RESOURCES,
} from './model';
import {
  DESIGN_OBJECT_KINDS,
  KIND_LABELS,
  LEVEL_LABELS,
  PERMISSION_LEVELS,
  USE_CASES,
  USE_CASE_TABLE,
  granteeLabel,
  levelsOf,
  sameGrantee,
} from './portals';

const member = z.union([
  z.strictObject({
    principal: username.describe('A username from users[] or serviceAccounts[]'),
    role: z.enum(FLOW_ROLES),
  }),
  z.strictObject({ group: groupName.describe('A group name from groups[]'), role: z.enum(FLOW_ROLES) }),
]);

const objectName = z.string().trim().min(1).max(200);
const grantee = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('user'), name: username.describe('A username from users[] or serviceAccounts[]') }),
  z.strictObject({ type: z.literal('group'), name: groupName.describe('A group name from groups[]') }),
  z.strictObject({ type: z.literal('default') }).describe('Default (All Other Users): everyone, service accounts too'),
]);

const shape = z.strictObject({
  version: z.literal(1).describe('The bundle format version'),
  organisation: z.string().trim().min(1).max(200).optional().describe('A label for people reading the file'),
  users: z
    .array(
      z.strictObject({
        username,
        displayName,
        kind: z.enum(PRINCIPAL_KINDS).exclude(['service']).describe('Service accounts go in serviceAccounts[]'),
        status: z.enum(PRINCIPAL_STATUSES),
        roles: z.array(z.enum(ACCOUNT_ROLES)).describe('Account roles'),
      }),
    )
    .describe('People, guests and system users. Passwords are never part of a bundle.'),
  groups: z.array(z.strictObject({ name: groupName, members: z.array(username) })),
  serviceAccounts: z.array(
    z.strictObject({
      username,
      displayName,
      sharedResources: z.array(z.enum(SHARED_RESOURCES)).describe('Shared-resource impersonation grants (R-K2)'),
    }),
  ),
  flows: z.array(
    z.strictObject({
      name: flowName,
      type: z.enum(FLOW_TYPES),
      members: z.array(member),
      impersonation: z
        .array(username)
        .describe('Service accounts with impersonation access; only processes, boards and datasets (R-K3)'),
      fields: z
        .array(z.strictObject({ name: fieldName, type: z.enum(FIELD_TYPES), required: z.boolean() }))
        .optional()
        .describe("What the flow's items hold, in order; left as it is when absent"),
    }),
  ),
  integrations: z
    .array(
      z.strictObject({
        flow: flowName.describe('An integration flow from flows[]'),
        source: flowName.describe('The process, board or dataset whose completed items start it'),
        target: flowName.describe('The process, board or dataset it creates items in'),
        serviceAccount: username.describe('The service account it acts through, from serviceAccounts[]'),
        mapping: z
          .array(z.strictObject({ from: fieldName, to: fieldName }))
          .describe('Source field → target field; title names the title'),
        submit: z.boolean().describe('Whether the new item is submitted (in progress) or left a draft'),
        enabled: z.boolean(),
      }),
    )
    .optional()
    .describe('Integration rules, one per integration flow; rules of flows not listed are left as they are'),
  designObjects: z
    .array(
      z.strictObject({
        name: objectName.describe('Unique across kinds'),
        kind: z.enum(DESIGN_OBJECT_KINDS),
        permissions: z
          .array(z.strictObject({ grantee, level: z.enum(PERMISSION_LEVELS) }))
          .describe('The permission list in order; Deny wins over every grant, Initiator is for process models'),
      }),
    )
    .optional()
    .describe(
      'Record types, process models, document folders, data stores and web APIs; objects not listed are left as they are',
    ),
  portals: z
    .array(
      z.strictObject({
        name: objectName,
        serviceAccount: username.describe('Its one service account, from serviceAccounts[] (R-A1)'),
        uses: z
          .array(
            z.strictObject({
              useCase: z.enum(USE_CASES).describe('A use case of the R-A2 table'),
              objects: z.array(objectName.describe('A design object from designObjects[]')).min(1),
            }),
          )
          .min(1),
      }),
    )
    .optional()
    .describe('Portals with their use cases (never an API key); portals not listed are left as they are'),
});

/** The bundle's keys in the format's order: how an export lays them out. */
export const BUNDLE_KEYS = Object.keys(shape.shape) as (keyof typeof shape.shape)[];

/**
 * Deputy's own groups (R-A1): their members follow from what principals are, so a bundle never defines them, but
 * a flow may name one as a member (an export does, when a flow gives the group a role).
 */
export const SYSTEM_GROUPS = ['Service Account'] as const;
const isSystemGroup = (name: string) => SYSTEM_GROUPS.some((g) => g.toLowerCase() === name.toLowerCase());

/** The bundle, with the cross-references checked: every name a bundle uses, it defines. */
export const bundleSchema = shape.superRefine((b, ctx) => {
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const people = new Set<string>();
  const services = new Set<string>();
  const seen = new Map<string, string>();
  const claim = (name: string, path: (string | number)[]) => {
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first) problem(path, `${name} is defined twice (first at ${first})`);
    else seen.set(key, toJsonPath(path));
  };
  b.users.forEach((u, i) => {
    claim(u.username, ['users', i, 'username']);
    people.add(u.username.toLowerCase());
    // As directory.setRoles refuses them: account roles are for people.
    if (u.kind !== 'human' && u.roles.length) {
      problem(['users', i, 'roles'], `${u.username} is a ${u.kind} user: only people hold account roles`);
    }
  });
  b.serviceAccounts.forEach((s, i) => {
    claim(s.username, ['serviceAccounts', i, 'username']);
    services.add(s.username.toLowerCase());
  });
  const groups = new Set<string>();
  b.groups.forEach((g, i) => {
    if (isSystemGroup(g.name)) {
      problem(['groups', i, 'name'], `${g.name} is Deputy's system group: its members are its service accounts (R-A1)`);
    }
    if (groups.has(g.name.toLowerCase())) problem(['groups', i, 'name'], `group ${g.name} is defined twice`);
    groups.add(g.name.toLowerCase());
    g.members.forEach((m, j) => {
      const k = m.toLowerCase();
      if (!people.has(k) && !services.has(k))
        problem(['groups', i, 'members', j], `${m} is not in users[] or serviceAccounts[]`);
    });
  });
  const flows = new Set<string>();
  b.flows.forEach((f, i) => {
    if (flows.has(f.name.toLowerCase())) problem(['flows', i, 'name'], `flow ${f.name} is defined twice`);
    flows.add(f.name.toLowerCase());
    f.members.forEach((m, j) => {
      if ('principal' in m && !people.has(m.principal.toLowerCase()) && !services.has(m.principal.toLowerCase())) {
        problem(['flows', i, 'members', j, 'principal'], `${m.principal} is not in users[] or serviceAccounts[]`);
      }
      if ('group' in m && !groups.has(m.group.toLowerCase()) && !isSystemGroup(m.group)) {
        problem(['flows', i, 'members', j, 'group'], `group ${m.group} is not in groups[]`);
      }
    });
    if (f.impersonation.length && !IMPERSONABLE_FLOW_TYPES.includes(f.type)) {
      problem(['flows', i, 'impersonation'], `a ${f.type} cannot have impersonation access (R-K3)`);
    }
    f.impersonation.forEach((sa, j) => {
      if (!services.has(sa.toLowerCase()))
        problem(['flows', i, 'impersonation', j], `${sa} is not in serviceAccounts[]`);
    });
  });
  const flowTypes = new Map(b.flows.map((f) => [f.name.toLowerCase(), f.type]));
  const integrated = new Set<string>();
  (b.integrations ?? []).forEach((r, i) => {
    // As integrations.set refuses them: the rule's flows must be of the right types, its account a service account.
    if (flowTypes.get(r.flow.toLowerCase()) !== 'integration')
      problem(['integrations', i, 'flow'], `${r.flow} is not an integration flow in flows[]`);
    if (integrated.has(r.flow.toLowerCase())) problem(['integrations', i, 'flow'], `${r.flow} has two rules`);
    integrated.add(r.flow.toLowerCase());
    for (const side of ['source', 'target'] as const) {
      const type = flowTypes.get(r[side].toLowerCase());
      if (!type || !IMPERSONABLE_FLOW_TYPES.includes(type))
        problem(['integrations', i, side], `${r[side]} is not a process, board or dataset in flows[]`);
    }
    if (r.source.toLowerCase() === r.target.toLowerCase())
      problem(['integrations', i, 'target'], `an integration goes from one flow to another`);
    if (!services.has(r.serviceAccount.toLowerCase()))
      problem(['integrations', i, 'serviceAccount'], `${r.serviceAccount} is not in serviceAccounts[]`);
  });
  // Design objects and portals, as designObjects.create and portals.create refuse them (R-A1, R-A2). Their names
  // are exact, as in the database (two objects may differ only in case).
  const objectKinds = new Map<string, (typeof DESIGN_OBJECT_KINDS)[number]>();
  (b.designObjects ?? []).forEach((o, i) => {
    if (objectKinds.has(o.name)) problem(['designObjects', i, 'name'], `design object ${o.name} is defined twice`);
    else objectKinds.set(o.name, o.kind);
    o.permissions.forEach((e, j) => {
      const g = e.grantee;
      if (g.type === 'user' && !people.has(g.name.toLowerCase()) && !services.has(g.name.toLowerCase()))
        problem(
          ['designObjects', i, 'permissions', j, 'grantee', 'name'],
          `${g.name} is not in users[] or serviceAccounts[]`,
        );
      if (g.type === 'group' && !groups.has(g.name.toLowerCase()) && !isSystemGroup(g.name))
        problem(['designObjects', i, 'permissions', j, 'grantee', 'name'], `group ${g.name} is not in groups[]`);
      if (!levelsOf(o.kind).includes(e.level))
        problem(
          ['designObjects', i, 'permissions', j, 'level'],
          `a ${KIND_LABELS[o.kind]} has no ${LEVEL_LABELS[e.level]} level; Initiator is for process models only`,
        );
      if (o.permissions.findIndex((x) => sameGrantee(x.grantee, g)) !== j)
        problem(['designObjects', i, 'permissions', j, 'grantee'], `${granteeLabel(g)} is listed twice`);
    });
  });
  const portals = new Set<string>();
  (b.portals ?? []).forEach((p, i) => {
    if (portals.has(p.name)) problem(['portals', i, 'name'], `portal ${p.name} is defined twice`);
    portals.add(p.name);
    if (!services.has(p.serviceAccount.toLowerCase()))
      problem(['portals', i, 'serviceAccount'], `${p.serviceAccount} is not in serviceAccounts[] (R-A1)`);
    p.uses.forEach((use, j) => {
      const row = USE_CASE_TABLE[use.useCase];
      if (p.uses.findIndex((u) => u.useCase === use.useCase) !== j)
        problem(['portals', i, 'uses', j, 'useCase'], `${row.label} is listed twice`);
      const kinds = new Set(row.needs.map((n) => n.kind));
      const seen = new Set<string>();
      let resolved = true;
      use.objects.forEach((name, k) => {
        const kind = objectKinds.get(name);
        if (!kind || !kinds.has(kind)) resolved = false;
        if (!kind) problem(['portals', i, 'uses', j, 'objects', k], `${name} is not in designObjects[]`);
        else if (!kinds.has(kind))
          problem(
            ['portals', i, 'uses', j, 'objects', k],
            `${name} is a ${KIND_LABELS[kind]}; ${row.label} uses ${[...kinds].map((x) => `${KIND_LABELS[x]}s`).join(' and ')}`,
          );
        else seen.add(kind);
      });
      const lacking = [...kinds].filter((x) => !seen.has(x));
      if (lacking.length && resolved)
        problem(
          ['portals', i, 'uses', j, 'objects'],
          `${row.label} needs a ${lacking.map((x) => KIND_LABELS[x]).join(' and a ')}`,
        );
    });
  });
});

export type Bundle = z.infer<typeof bundleSchema>;

/** `$.users[3].roles[0]` */
export function toJsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}.${String(k)}`), '$');
}

export interface BundleProblem {
  path: string;
  message: string;
}

/** Every problem of a document, each with its JSON path; empty when it is a valid bundle. */
export function bundleProblems(doc: unknown): { bundle: Bundle | null; problems: BundleProblem[] } {
  const r = bundleSchema.safeParse(doc);
  if (r.success) return { bundle: r.data, problems: [] };
  return { bundle: null, problems: r.error.issues.map((i) => ({ path: toJsonPath(i.path), message: i.message })) };
}

export interface BundleChange {
  /** What changes: `user jdoe`, `flow Purchase Order`… */
  subject: string;
  kind: 'add' | 'change';
  /** Field-level detail, e.g. `roles: impersonator → (none)`. */
  details: string[];
}

/**
 * R-A4: a difference between this environment and the one a portal's policy comes from, about a service account a
 * portal of the bundle needs. The import refuses to go on until each one is gone or accepted by its id.
 */
export interface DriftItem {
  /** What an acceptance names: `missing:<account>`, `username:<account>` or `groups:<account>`. */
  id: string;
  kind: 'missing_account' | 'username_differs' | 'groups_differ';
  /** The service account, as the bundle names it. */
  account: string;
  /** The bundle's portals that need it. */
  portals: string[];
  message: string;
}

export interface ImportPlan {
  applied: boolean;
  changes: BundleChange[];
  /** Things left as they are, or differences between environments (R-A4), shown before import. */
  warnings: string[];
  /** R-A4: differences to make match, or accept one by one, before the import goes on. */
  drift: DriftItem[];
  /** The drift ids the operator accepted (each recorded in the audit log when the import is applied). */
  accepted: string[];
  /**
   * Changes the importer may not make, each with decide()'s reasons and rule (a flow's members and impersonation
   * access are its Flow Admins', R-K4): the import is refused while any remains.
   */
  refused: string[];
}
