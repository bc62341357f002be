// The policy bundle: users, groups, service accounts and flows as one versioned JSON document.
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

const member = z.union([
  z.strictObject({
    principal: username.describe('A username from users[] or serviceAccounts[]'),
    role: z.enum(FLOW_ROLES),
  }),
  z.strictObject({ group: groupName.describe('A group name from groups[]'), role: z.enum(FLOW_ROLES) }),
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

export interface ImportPlan {
  applied: boolean;
  changes: BundleChange[];
  /** Things left as they are, or differences between environments (R-A4), shown before import. */
  warnings: string[];
}
