// The one declaration of the API between the renderer (or CLI, or tests) and main.
// Every adapter — IPC preload, browser-mode bridge, renderer client, handlers — is typed from this
// table, so renaming a field fails the typecheck everywhere.
import { z } from 'zod';
import { AUDIT_TIME_HINT, auditTimeBound } from './auditTime';
import { ACTIONS, parseResource, type AccountAction, type Decision } from './policy';
import type { Bundle, ImportPlan } from './bundle';
import {
  ACCOUNT_ROLES,
  FIELD_TYPES,
  ITEM_OPS,
  ITEM_STATES,
  FLOW_ROLES,
  FLOW_TYPES,
  SHARED_RESOURCES,
  PRINCIPAL_KINDS,
  PRINCIPAL_STATUSES,
  type AppStatus,
  type AuditExportManifest,
  type AuditPage,
  type ForwardingStatus,
  type ForwardTest,
  type AuditVerifyReport,
  AUDIT_LOGS,
  type DirectoryPage,
  type AccessKey,
  type AssociatedResources,
  type NewAccessKey,
  type ServiceAccountSummary,
  type FlowDetail,
  type FlowSummary,
  type GroupSummary,
  type Principal,
  type SharedResourceGrants,
  type Operator,
  type Settings,
  type Impersonation,
  type ImpersonationCandidate,
  type ImpersonationSessionRow,
  type Item,
  type ItemPage,
  type FlowItemPage,
  type IntegrationRule,
  type MemberFlow,
} from './model';
import {
  DESIGN_OBJECT_KINDS,
  PERMISSION_LEVELS,
  USE_CASES,
  type DesignObject,
  type PortalDecision,
  type PortalKey,
  type PortalReport,
  type PublishedPortalKey,
  type RecordTypeAccess,
} from './portals';

/** Phantom marker carrying a method's output type; never read at run time. */
const returns = <T>(): T => undefined as T;

/**
 * What dispatch checks before a method's handler runs, declared with every method:
 * - `public`: callable before sign-in (the first run, sign-in, the status the window polls);
 * - `signedIn`: any signed-in caller; the method reads or ends only the caller's own session or notices;
 * - `{ action }`: decide() must allow this account-level action to the caller (or the user it acts for);
 *   `{ action, program }` asks for `program` instead when a service account's key calls, where a shared resource
 *   grants what no role of the user acted for need hold (R-K9: all_flows_integrations lists every flow);
 * - `perResource`: the service asks decide() about each flow, user or record it touches, since the answer
 *   depends on which one.
 * A refusal is recorded once, by whichever layer refused.
 */
export type Guard = 'public' | 'signedIn' | 'perResource' | { action: AccountAction; program?: AccountAction };

const method = <G extends Guard, I extends z.ZodType, O>(guard: G, input: I, output: O) => ({
  guard,
  input,
  output,
});

export const username = z
  .string()
  .trim()
  .min(1, 'Enter a username.')
  .max(79, 'A username is at most 79 characters.')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]*$/,
    'A username uses letters, digits and . _ @ - only, starting with a letter or digit.',
  );

export const displayName = z.string().trim().max(200, 'A display name is at most 200 characters.');
/** Where a name is being given or fixed: an empty one is what R-S3's filter exists to find. */
export const requiredDisplayName = displayName.min(1, 'Enter a display name.');

export const newPassword = z
  .string()
  .min(12, 'A password needs at least 12 characters.')
  .max(1024, 'A password is at most 1024 characters.');

const empty = z.strictObject({});

export const flowName = z
  .string()
  .trim()
  .min(1, 'Enter a flow name.')
  .max(200, 'A flow name is at most 200 characters.');
export const groupName = z
  .string()
  .trim()
  .min(1, 'Enter a group name.')
  .max(200, 'A group name is at most 200 characters.');

export const keyId = z
  .string()
  .regex(/^DPK[0-9A-F]{20}$/, 'An Access Key ID looks like DPK followed by 20 hex digits.');

/**
 * A bound of the auditor's time filter as typed (2026-12-01, 2026-12-01 09:30, or ISO 8601), parsed into the UTC
 * instant it means, as the log stores times: a To date covers that whole day (shared/auditTime.ts).
 */
const auditTime = (bound: 'from' | 'to') =>
  z
    .string()
    .max(100, AUDIT_TIME_HINT)
    .transform((text, ctx) => {
      const instant = auditTimeBound(text, bound);
      if (instant === null) ctx.addIssue({ code: 'custom', message: AUDIT_TIME_HINT });
      return instant ?? z.NEVER;
    });

const SESSION_NUMBER = 'A session number is a whole number such as 12, as the Sessions tab shows it.';

/** What the auditor filters the log by. */
const auditFilter = z.strictObject({
  log: z.enum(AUDIT_LOGS).optional(),
  operator: username.optional(),
  effectiveUser: username.optional(),
  impersonator: username.optional(),
  action: z.string().trim().min(1).max(100).optional(),
  target: z.string().trim().min(1).max(300).optional(),
  outcome: z.enum(['ok', 'refused', 'error']).optional(),
  from: auditTime('from').optional(),
  to: auditTime('to').optional(),
  text: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((t) => /[^\s\p{Cc}]/u.test(t), 'needs a word to search for (it has only spaces or control characters)')
    .optional(),
  /** Everything one impersonation session did, start to end. */
  session: z.number({ error: SESSION_NUMBER }).int(SESSION_NUMBER).positive(SESSION_NUMBER).optional(),
});

/** How many questions one access.canI call may ask; the renderer splits longer lists into calls of this size. */
export const CAN_I_MAX_CHECKS = 200;

const itemId = z.number().int().positive();
const itemTitle = z.string().trim().min(1, 'Enter a title.').max(200, 'A title is at most 200 characters.');
export const fieldName = z
  .string()
  .trim()
  .min(1, 'Enter a field name.')
  .max(100, 'A field name is at most 100 characters.');
/** Values by field name; null clears a field. The flow's field list is checked by the service. */
const fieldValues = z
  .record(
    fieldName,
    z.union([z.string().max(10_000, 'A text field is at most 10,000 characters.'), z.number(), z.boolean(), z.null()]),
  )
  .refine((v) => Object.keys(v).length <= 100, 'An item has at most 100 fields.');
/** A page of items, newest first: `cursor` is the `next` of the page before. */
const itemPaging = {
  cursor: itemId.optional(),
  limit: z.number().int().min(1).max(500).default(50),
};

/** `account`, `flow:<name>` or `user:<username>`. */
const resourceText = z
  .string()
  .trim()
  .max(300)
  .refine((t) => parseResource(t) !== null, 'A resource is written account, flow:<name> or user:<username>.')
  .describe('account, flow:<name> or user:<username>');

const designObjectName = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(200, 'A design object name is at most 200 characters.');
const portalName = z
  .string()
  .trim()
  .min(1, 'Enter a portal name.')
  .max(200, 'A portal name is at most 200 characters.');
const grantee = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('user'), name: username }),
  z.strictObject({ type: z.literal('group'), name: groupName }),
  z.strictObject({ type: z.literal('default') }),
]);
const permissionList = z
  .array(z.strictObject({ grantee, level: z.enum(PERMISSION_LEVELS) }))
  .max(500, 'A permission list has at most 500 entries.');
/** Each use case a portal has (RULES.md R-A2) with the objects it uses. */
const portalUses = z
  .array(
    z.strictObject({
      useCase: z.enum(USE_CASES, { message: `A use case is one of ${USE_CASES.join(', ')}.` }),
      objects: z
        .array(designObjectName)
        .min(1, 'A use case uses at least one design object.')
        .max(100, 'A use case uses at most 100 design objects.'),
    }),
  )
  .min(1, 'A portal has at least one use case.')
  .max(USE_CASES.length);

const forwardTarget = z.strictObject({
  protocol: z.enum(['udp', 'tcp']),
  host: z.string().trim().min(1, 'Enter the collector host.').max(253),
  port: z
    .number({ error: 'Enter the collector port, a number from 1 to 65535.' })
    .int('A port is a whole number from 1 to 65535.')
    .min(1, 'A port is a whole number from 1 to 65535.')
    .max(65535, 'A port is a whole number from 1 to 65535.'),
});

export const contract = {
  'app.status': method('public', empty, returns<AppStatus>()),
  'setup.createFirstAdmin': method(
    'public',
    z.strictObject({ username, displayName: requiredDisplayName, password: newPassword }),
    returns<Operator>(),
  ),
  'setup.loadDemo': method('public', z.strictObject({ password: newPassword }), returns<Operator>()),
  'auth.signIn': method(
    'public',
    z.strictObject({ username, password: z.string().min(1, 'Enter your password.').max(1024) }),
    returns<Operator>(),
  ),
  'auth.signOut': method('signedIn', empty, returns<null>()),
  'directory.list': method(
    { action: 'directory.read' },
    z.strictObject({
      kind: z.enum(PRINCIPAL_KINDS).optional(),
      status: z.enum(PRINCIPAL_STATUSES).optional(),
      role: z.enum(ACCOUNT_ROLES).optional(),
      emptyDisplayName: z.boolean().optional(),
      search: z.string().trim().max(100, 'A search is at most 100 characters.').optional(),
      cursor: z.string().max(400).optional(),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    returns<DirectoryPage>(),
  ),
  'directory.setStatus': method(
    'perResource',
    z.strictObject({ username, status: z.enum(['active', 'inactive']) }),
    returns<Principal>(),
  ),
  'directory.setRoles': method(
    { action: 'directory.write' },
    z.strictObject({ username, roles: z.array(z.enum(ACCOUNT_ROLES)).max(ACCOUNT_ROLES.length) }),
    returns<Principal>(),
  ),
  'directory.delete': method({ action: 'directory.write' }, z.strictObject({ username }), returns<null>()),
  'directory.create': method(
    { action: 'directory.write' },
    z.strictObject({
      username,
      displayName: requiredDisplayName,
      kind: z.enum(['human', 'guest']).default('human'),
      password: newPassword.optional(),
    }),
    returns<Principal>(),
  ),
  'directory.setDisplayName': method(
    'perResource',
    z.strictObject({ username, displayName: requiredDisplayName }),
    returns<Principal>(),
  ),
  'directory.setPassword': method(
    { action: 'directory.write' },
    z.strictObject({ username, password: newPassword }),
    returns<null>(),
  ),
  'groups.list': method({ action: 'directory.read' }, empty, returns<GroupSummary[]>()),
  'groups.delete': method(
    { action: 'directory.write' },
    z.strictObject({ name: groupName }),
    returns<GroupSummary[]>(),
  ),
  'groups.create': method(
    { action: 'directory.write' },
    z.strictObject({ name: groupName }),
    returns<GroupSummary[]>(),
  ),
  'groups.setMember': method(
    { action: 'directory.write' },
    z.strictObject({ group: groupName, username, member: z.boolean() }),
    returns<GroupSummary[]>(),
  ),
  /** A new flow, its creator its first Flow Admin: the power that brings flows in by import (a Super Admin's). */
  'flows.create': method(
    { action: 'policy.import' },
    z.strictObject({ name: flowName, type: z.enum(FLOW_TYPES) }),
    returns<FlowDetail>(),
  ),
  'flows.get': method(
    { action: 'directory.read', program: 'flows.list' },
    z.strictObject({ name: flowName }),
    returns<FlowDetail>(),
  ),
  'flows.setMember': method(
    'perResource',
    z.strictObject({
      flow: flowName,
      member: z.union([z.strictObject({ principal: username }), z.strictObject({ group: groupName })]),
      role: z.enum(FLOW_ROLES).nullable(),
      /** Adding a new member: an existing member's role is not changed, the refusal says the role they hold. */
      adding: z.boolean().optional(),
    }),
    returns<FlowDetail>(),
  ),
  'flows.setImpersonation': method(
    'perResource',
    z.strictObject({ flow: flowName, serviceAccount: username, enabled: z.boolean() }),
    returns<FlowDetail>(),
  ),
  'flows.addSelfAsAdmin': method('perResource', z.strictObject({ flow: flowName }), returns<FlowDetail>()),
  'flows.removeSelfAsAdmin': method('perResource', z.strictObject({ flow: flowName }), returns<FlowDetail>()),
  'flows.delete': method('perResource', z.strictObject({ name: flowName }), returns<null>()),
  'flows.setFields': method(
    'perResource',
    z.strictObject({
      flow: flowName,
      fields: z
        .array(z.strictObject({ name: fieldName, type: z.enum(FIELD_TYPES), required: z.boolean() }))
        .max(100, 'A flow has at most 100 fields.'),
    }),
    returns<FlowDetail>(),
  ),
  /** An integration flow's rule, or null when it has none. */
  'integrations.get': method(
    { action: 'directory.read' },
    z.strictObject({ flow: flowName }),
    returns<IntegrationRule | null>(),
  ),
  /** Sets (or, with null, removes) an integration flow's rule: its Flow Admins may. */
  'integrations.set': method(
    'perResource',
    z.strictObject({
      flow: flowName,
      rule: z
        .strictObject({
          source: flowName,
          target: flowName,
          serviceAccount: username,
          mapping: z
            .array(z.strictObject({ from: fieldName, to: fieldName }))
            .max(100, 'A mapping has at most 100 fields.'),
          submit: z.boolean(),
          enabled: z.boolean(),
        })
        .nullable(),
    }),
    returns<IntegrationRule | null>(),
  ),
  'items.list': method('perResource', z.strictObject({ flow: flowName, ...itemPaging }), returns<FlowItemPage>()),
  'items.get': method('perResource', z.strictObject({ id: itemId }), returns<Item>()),
  'items.create': method(
    'perResource',
    z.strictObject({ flow: flowName, title: itemTitle, fields: fieldValues.optional() }),
    returns<Item>(),
  ),
  'items.update': method(
    'perResource',
    z.strictObject({ id: itemId, title: itemTitle.optional(), fields: fieldValues.optional() }),
    returns<Item>(),
  ),
  /** Draft → in progress, optionally assigned in the same change. */
  'items.submit': method('perResource', z.strictObject({ id: itemId, assignTo: username.optional() }), returns<Item>()),
  'items.assign': method('perResource', z.strictObject({ id: itemId, to: username.nullable() }), returns<Item>()),
  'items.complete': method('perResource', z.strictObject({ id: itemId }), returns<Item>()),
  'items.reopen': method('perResource', z.strictObject({ id: itemId }), returns<Item>()),
  'items.delete': method('perResource', z.strictObject({ id: itemId }), returns<null>()),
  /** The processes, boards and datasets whose items the effective user may read (R-S9): the caller's own flows. */
  'flows.mine': method('perResource', empty, returns<MemberFlow[]>()),
  /** The effective user's Created by me or Assigned to me (R-K8, R-S9). */
  'myItems.list': method(
    'perResource',
    z.strictObject({ which: z.enum(['created', 'assigned']), ...itemPaging }),
    returns<ItemPage>(),
  ),
  'sharedResources.list': method({ action: 'directory.read' }, empty, returns<SharedResourceGrants[]>()),
  'sharedResources.set': method(
    { action: 'sharedResource.grant' },
    z.strictObject({ serviceAccount: username, resource: z.enum(SHARED_RESOURCES), enabled: z.boolean() }),
    returns<SharedResourceGrants[]>(),
  ),
  'flows.list': method(
    { action: 'directory.read', program: 'flows.list' },
    z.strictObject({ type: z.enum(FLOW_TYPES).optional() }),
    returns<FlowSummary[]>(),
  ),
  'access.check': method(
    { action: 'directory.read' },
    z.strictObject({
      actor: username,
      onBehalfOf: username.optional(),
      action: z.enum(ACTIONS),
      resource: resourceText,
    }),
    returns<Decision>(),
  ),
  'access.canI': method(
    'signedIn',
    z.strictObject({
      checks: z.array(z.strictObject({ action: z.enum(ACTIONS), resource: resourceText })).max(CAN_I_MAX_CHECKS),
    }),
    returns<boolean[]>(),
  ),
  /**
   * The decision point for platforms that keep their own items: may the caller (a program's key, acting as its
   * user) do this? The decision with its reasons, and one audit record for it, allowed or refused.
   */
  'access.decide': method(
    'signedIn',
    z.strictObject({ action: z.enum(ACTIONS), resource: resourceText }),
    returns<Decision>(),
  ),
  'policy.export': method({ action: 'policy.export' }, empty, returns<Bundle>()),
  'policy.import': method(
    { action: 'policy.import' },
    // The document is checked by the bundle schema in the handler, so every problem is listed by path.
    // `accept`: the R-A4 drift ids the operator accepts, one by one (each recorded when the import is applied).
    z.strictObject({
      bundle: z.unknown(),
      dryRun: z.boolean(),
      accept: z.array(z.string().min(1).max(300)).max(1000).default([]),
    }),
    returns<ImportPlan>(),
  ),
  'audit.list': method(
    { action: 'audit.read' },
    auditFilter.extend({
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    returns<AuditPage>(),
  ),
  'audit.countsPerDay': method({ action: 'audit.read' }, auditFilter, returns<{ day: string; count: number }[]>()),
  'audit.export': method(
    { action: 'audit.export' },
    z.strictObject({
      format: z.enum(['jsonl', 'csv']),
      log: z.enum(AUDIT_LOGS).optional(),
      from: auditTime('from').optional(),
      to: auditTime('to').optional(),
    }),
    returns<{ filename: string; content: string; manifest: AuditExportManifest }>(),
  ),
  'audit.restore': method(
    'perResource',
    z.strictObject({ seq: z.number().int().positive() }),
    returns<{ restored: string }>(),
  ),
  /** Whether Restore would be allowed to this caller, asked without recording: the window shows it only then. */
  'audit.mayRestore': method(
    { action: 'audit.read' },
    z.strictObject({ seq: z.number().int().positive() }),
    returns<{ allowed: boolean; why: string | null }>(),
  ),
  'forwarding.get': method({ action: 'audit.read' }, empty, returns<ForwardingStatus>()),
  'forwarding.set': method(
    { action: 'settings.update' },
    z.strictObject({ target: forwardTarget.nullable() }),
    returns<ForwardingStatus>(),
  ),
  /** Sends one test record to a collector (saved or not) and says what can be known of it; recorded in the Main Log. */
  'forwarding.test': method(
    { action: 'settings.update' },
    z.strictObject({ target: forwardTarget }),
    returns<ForwardTest>(),
  ),
  'audit.verify': method({ action: 'audit.read' }, empty, returns<AuditVerifyReport>()),
  'impersonation.candidates': method(
    'perResource',
    z.strictObject({
      query: z.string().trim().min(2, 'Type at least two characters.').max(100),
      explain: z.boolean().default(false),
    }),
    returns<ImpersonationCandidate[]>(),
  ),
  'impersonation.recent': method('perResource', empty, returns<ImpersonationCandidate[]>()),
  'impersonation.start': method(
    'perResource',
    z.strictObject({
      username,
      reason: z.string().max(500, 'A reason is at most 500 characters.'),
      ticket: z.string().trim().max(100, 'A ticket reference is at most 100 characters.').optional(),
      minutes: z
        .number()
        .int()
        .min(1, 'A session lasts at least 1 minute.')
        .max(480, 'A session lasts at most 8 hours.')
        .optional(),
    }),
    returns<Impersonation>(),
  ),
  'impersonation.end': method('signedIn', empty, returns<null>()),
  'impersonation.sessions': method(
    'perResource',
    z.strictObject({ all: z.boolean() }),
    returns<ImpersonationSessionRow[]>(),
  ),
  'notices.dismiss': method('signedIn', z.strictObject({ id: z.number().int().positive() }), returns<null>()),
  'serviceAccounts.list': method({ action: 'directory.read' }, empty, returns<ServiceAccountSummary[]>()),
  'serviceAccounts.create': method(
    { action: 'serviceAccount.create' },
    z.strictObject({ username, displayName: requiredDisplayName }),
    returns<ServiceAccountSummary[]>(),
  ),
  'serviceAccounts.rename': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ username, displayName: requiredDisplayName }),
    returns<null>(),
  ),
  'serviceAccounts.delete': method({ action: 'serviceAccount.delete' }, z.strictObject({ username }), returns<null>()),
  'serviceAccounts.associated': method(
    { action: 'directory.read' },
    z.strictObject({ username }),
    returns<AssociatedResources>(),
  ),
  'serviceAccounts.removeAllImpersonation': method(
    'perResource',
    z.strictObject({ username }),
    returns<AssociatedResources>(),
  ),
  'keys.list': method({ action: 'directory.read' }, z.strictObject({ username }), returns<AccessKey[]>()),
  'keys.create': method(
    { action: 'serviceAccount.update' },
    z.strictObject({
      username,
      days: z
        .number()
        .int('Expiry is a whole number of days.')
        .min(1, 'A key lives at least 1 day.')
        .max(730, 'A key lives at most 2 years (730 days).'),
    }),
    returns<NewAccessKey>(),
  ),
  'keys.setEnabled': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ keyId, enabled: z.boolean() }),
    returns<null>(),
  ),
  'keys.delete': method({ action: 'serviceAccount.update' }, z.strictObject({ keyId }), returns<null>()),
  'designObjects.list': method({ action: 'directory.read' }, empty, returns<DesignObject[]>()),
  /** Design objects' permission lists decide what portal service accounts reach: the account administrators keep them (R-K1). */
  'designObjects.create': method(
    { action: 'serviceAccount.update' },
    z.strictObject({
      name: designObjectName,
      kind: z.enum(DESIGN_OBJECT_KINDS),
      permissions: permissionList.default([]),
    }),
    returns<DesignObject>(),
  ),
  'designObjects.setPermissions': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ name: designObjectName, permissions: permissionList }),
    returns<DesignObject>(),
  ),
  'designObjects.delete': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ name: designObjectName }),
    returns<null>(),
  ),
  /** Every portal with its findings (R-A1–R-A3). */
  'portals.list': method({ action: 'directory.read' }, empty, returns<PortalReport[]>()),
  'portals.get': method({ action: 'directory.read' }, z.strictObject({ name: portalName }), returns<PortalReport>()),
  'portals.create': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ name: portalName, serviceAccount: username, uses: portalUses }),
    returns<PortalReport>(),
  ),
  'portals.update': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ name: portalName, serviceAccount: username.optional(), uses: portalUses.optional() }),
    returns<PortalReport>(),
  ),
  'portals.delete': method({ action: 'serviceAccount.update' }, z.strictObject({ name: portalName }), returns<null>()),
  /** Applies the fix of one finding or warning of a portal's report, by its id. */
  'portals.fix': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ portal: portalName, finding: z.string().min(1).max(500) }),
    returns<PortalReport>(),
  ),
  /** "View record type permissions for the service account": every record type it reaches, and how. */
  'portals.recordTypeAccess': method(
    { action: 'directory.read' },
    z.strictObject({ serviceAccount: username }),
    returns<RecordTypeAccess[]>(),
  ),
  /** R-A5: creates the portal's API key (refused while a required level is missing); the secret is shown this once. */
  'portals.publish': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ name: portalName }),
    returns<PublishedPortalKey>(),
  ),
  /** R-A5: deletes the portal's key; the portal is unavailable until republished (portals.publish again). */
  'portals.rotate': method(
    { action: 'serviceAccount.update' },
    z.strictObject({ name: portalName }),
    returns<PortalKey>(),
  ),
  /** The Web API authentication view: every portal's key state, key id and dates (never a secret). */
  'portals.keys': method({ action: 'directory.read' }, empty, returns<PortalKey[]>()),
  /**
   * "May this portal do <use case> on <object>?", answered from its service account's permissions, with one audit
   * record. A portal's API key asks about its own portal (`portal` may be left out); a person who may read the
   * directory names the portal.
   */
  'portals.decide': method(
    { action: 'directory.read' },
    z.strictObject({
      portal: portalName.optional(),
      useCase: z.enum(USE_CASES, { message: `A use case is one of ${USE_CASES.join(', ')}.` }),
      object: designObjectName,
    }),
    returns<PortalDecision>(),
  ),
  'settings.get': method({ action: 'directory.read' }, empty, returns<Settings>()),
  'settings.update': method(
    { action: 'settings.update' },
    z.strictObject({
      idleLockMinutes: z
        .number()
        .int('Idle lock minutes must be a whole number.')
        .min(1, 'The idle lock is at least 1 minute.')
        .max(240, 'The idle lock is at most 240 minutes.')
        .optional(),
      impersonationMinutes: z
        .number()
        .int('Minutes must be a whole number.')
        .min(1, 'An impersonation session lasts at least 1 minute.')
        .max(480, 'An impersonation session lasts at most 8 hours.')
        .optional(),
      dormancyDays: z.number().int().min(1, 'Dormancy is at least 1 day.').max(3650).optional(),
      keyRotationDays: z.number().int().min(1, 'Rotation age is at least 1 day.').max(730).optional(),
      signInLockoutMinutes: z
        .number()
        .int('Lockout minutes must be a whole number.')
        .min(0, 'The sign-in lockout is 0 (until an administrator unlocks) or more minutes.')
        .max(1440, 'The sign-in lockout is at most 1440 minutes (a day).')
        .optional(),
    }),
    returns<Settings>(),
  ),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller sends (defaults optional). */
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives, after parsing. */
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = Contract[M]['output'];

export const methodNames = Object.keys(contract) as MethodName[];

/**
 * The methods a program may call with a service account's access key (acting on behalf of a user);
 * every other non-public method needs a signed-in operator.
 */
export const PROGRAM_METHODS = [
  'access.canI',
  'access.decide',
  // R-K5, R-K6: programs act on items for a user, with exactly that user's rights in the flow. In the order of an
  // item's life, so each example in docs/service-api.openapi.json acts on the item the items.create example made.
  'items.create',
  'items.get',
  'items.update',
  'items.assign',
  'items.submit',
  'items.complete',
  'items.reopen',
  'items.list',
  'myItems.list',
  'items.delete',
  // R-K9: all_flows_integrations lists every flow of every type (the guard asks flows.list for a program), and
  // changes one as far as the user acted for may by hand (R-K6: a Flow Admin's rights, on that flow only), never
  // its items (the items methods above need the flow's own grant, R-K5); a per-flow grant reaches the same
  // changes on its own flow (R-K5). Not flows.setImpersonation nor
  // flows.addSelfAsAdmin: impersonation access is what bounds every program, so a program that could grant it
  // (to itself or another service account), or make its own account Flow Admin, would widen its own reach
  // without a person deciding it (R-K4); those stay in the console. For the same reason flows.setMember and
  // groups.setMember refuse a program any change to a service account's place (R-K10, policy/programReach.ts).
  'flows.list',
  'flows.get',
  'flows.setFields',
  'flows.setMember',
  'flows.delete',
  // R-K7: user_group_management, acting for a Super Admin, IAM Admin or User Admin and within that user's own
  // rights (the directory's checks compare with the user acted for): what the Kissflow seed lists, editing a user's
  // details, activating or deactivating, deleting, and changing groups. Not directory.setPassword: a password would
  // travel through the program, its logs and its secret store, and whoever sets one can sign in as that person;
  // a person sets passwords in the console. Not directory.create: the seed names no adding of users.
  'directory.list',
  'directory.setStatus',
  'directory.setRoles',
  'directory.setDisplayName',
  'directory.delete',
  'groups.list',
  'groups.create',
  'groups.setMember',
  'groups.delete',
] as const satisfies readonly MethodName[];
/**
 * The methods a portal's API key may call (R-A5), and nothing else: the questions about its own portal. Not program
 * methods: an access key acting for a user cannot call them over the service API.
 */
export const PORTAL_METHODS = ['portals.decide'] as const satisfies readonly MethodName[];
export type PortalMethod = (typeof PORTAL_METHODS)[number];
export const isPortalMethod = (m: MethodName): m is PortalMethod => (PORTAL_METHODS as readonly string[]).includes(m);
export type ProgramMethod = (typeof PROGRAM_METHODS)[number];
export const isProgramMethod = (m: MethodName): m is ProgramMethod =>
  (PROGRAM_METHODS as readonly string[]).includes(m);

/** The schema, when what it parses to is exactly T: a field missing or extra on either side fails the typecheck. */
const exactly =
  <T>() =>
  <S extends z.ZodType<T>>(schema: S & ([T] extends [z.output<S>] ? unknown : never)): S =>
    schema;

/** A Decision (src/shared/policy.ts): allowed or not, and the rules that decided, each with its fact. */
const decision = z.strictObject({
  allowed: z.boolean(),
  reasons: z.array(z.strictObject({ rule: z.string(), fact: z.string(), via: z.string().optional() })),
});

/** An Item (src/shared/model.ts): its fields by name, each a FieldValue (a date field holds `YYYY-MM-DD`). */
const item = z.strictObject({
  id: z.number().int().positive(),
  flow: z.string(),
  title: z.string(),
  state: z.enum(ITEM_STATES),
  createdBy: z.string().describe('The effective user who created it: the user a service account acted for.'),
  assignedTo: z.string().nullable(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** A ListedItem: an item with what the caller may do to it now, as the items methods would answer. */
const listedItem = z.strictObject({
  ...item.shape,
  allowed: z
    .array(z.enum(ITEM_OPS))
    .describe('What the caller may do to this item now; any other operation on it is refused.'),
});

/** An ItemPage: newest first; `next` is the cursor of the following page, null on the last. */
const itemPage = z.strictObject({
  items: z.array(listedItem),
  next: z.number().int().positive().nullable(),
});

/** A FlowField: one field a flow's items hold. */
const flowField = z.strictObject({ name: z.string(), type: z.enum(FIELD_TYPES), required: z.boolean() });

/** A FlowItemPage: a flow's items, with the fields its items hold, in order, and whether the caller may add one. */
const flowItemPage = z.strictObject({
  ...itemPage.shape,
  fields: z.array(flowField),
  mayCreate: z.boolean().describe('Whether items.create in this flow would be allowed to the caller now.'),
});

/** A FlowSummary: `members` counts direct members and groups; `impersonation`, the service accounts with access. */
const flowSummary = z.strictObject({
  name: z.string(),
  type: z.enum(FLOW_TYPES),
  members: z.number().int().nonnegative(),
  impersonation: z.array(z.string()),
});

/** A FlowDetail: each member a principal (`service` tells a service account) or a group, with its flow role. */
const flowDetail = z.strictObject({
  name: z.string(),
  type: z.enum(FLOW_TYPES),
  members: z.array(
    z.union([
      z.strictObject({ principal: z.string(), service: z.boolean(), role: z.enum(FLOW_ROLES) }),
      z.strictObject({ group: z.string(), role: z.enum(FLOW_ROLES) }),
    ]),
  ),
  impersonation: z.array(z.string()),
  fields: z.array(flowField),
  selfAdded: z.array(z.strictObject({ principal: z.string(), was: z.enum(FLOW_ROLES).nullable() })),
});

/** A Principal: a person, service account, guest or system user, with their account roles. */
const principal = z.strictObject({
  id: z.number().int().positive(),
  username: z.string(),
  displayName: z.string(),
  kind: z.enum(PRINCIPAL_KINDS),
  status: z.enum(PRINCIPAL_STATUSES),
  roles: z.array(z.enum(ACCOUNT_ROLES)),
});

/** A DirectoryPage: `allowed` says, by username, what the user acted for may do to each row. */
const directoryPage = z.strictObject({
  rows: z.array(principal),
  allowed: z.record(
    z.string(),
    z.strictObject({
      statuses: z.array(z.enum(PRINCIPAL_STATUSES)),
      roles: z.array(z.enum(ACCOUNT_ROLES)),
      delete: z.boolean(),
      setPassword: z.boolean(),
      rename: z.boolean(),
    }),
  ),
  total: z.number().int().nonnegative(),
  next: z.string().nullable().describe('The cursor of the following page, null on the last.'),
});

/** The groups after a change (GroupSummary[]): `system` groups are kept by Deputy (R-A1). */
const groupSummaries = z.array(z.strictObject({ name: z.string(), system: z.boolean(), members: z.array(z.string()) }));

/**
 * What each program method answers, as a zod schema: the outputs above are TypeScript types only, and the
 * service API's OpenAPI document (scripts/service-openapi.ts) and its test need them at run time.
 */
export const PROGRAM_OUTPUTS: { [M in ProgramMethod]: z.ZodType<Output<M>> } = {
  'access.canI': exactly<Output<'access.canI'>>()(z.array(z.boolean())),
  'access.decide': exactly<Output<'access.decide'>>()(decision),
  'items.create': exactly<Item>()(item),
  'items.get': exactly<Item>()(item),
  'items.update': exactly<Item>()(item),
  'items.assign': exactly<Item>()(item),
  'items.submit': exactly<Item>()(item),
  'items.complete': exactly<Item>()(item),
  'items.reopen': exactly<Item>()(item),
  'items.list': exactly<FlowItemPage>()(flowItemPage),
  'myItems.list': exactly<ItemPage>()(itemPage),
  'items.delete': exactly<null>()(z.null()),
  'flows.list': exactly<FlowSummary[]>()(z.array(flowSummary)),
  'flows.get': exactly<FlowDetail>()(flowDetail),
  'flows.setFields': exactly<FlowDetail>()(flowDetail),
  'flows.setMember': exactly<FlowDetail>()(flowDetail),
  'flows.delete': exactly<null>()(z.null()),
  'directory.list': exactly<DirectoryPage>()(directoryPage),
  'directory.setStatus': exactly<Principal>()(principal),
  'directory.setRoles': exactly<Principal>()(principal),
  'directory.setDisplayName': exactly<Principal>()(principal),
  'directory.delete': exactly<null>()(z.null()),
  'groups.list': exactly<GroupSummary[]>()(groupSummaries),
  'groups.create': exactly<GroupSummary[]>()(groupSummaries),
  'groups.setMember': exactly<GroupSummary[]>()(groupSummaries),
  'groups.delete': exactly<GroupSummary[]>()(groupSummaries),
};

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
