// Domain types shared by main and the renderer. Plain data only: no node or electron imports.
// The database's CHECK constraints hold these lists as migrations 010 and 020 released them, not these constants:
// a value added here is refused by SQLite until a new migration rebuilds the table that checks it.

export const PRINCIPAL_KINDS = ['human', 'service', 'guest', 'system'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export const PRINCIPAL_STATUSES = ['active', 'inactive', 'locked'] as const;
export type PrincipalStatus = (typeof PRINCIPAL_STATUSES)[number];

export const ACCOUNT_ROLES = ['super_admin', 'iam_admin', 'user_admin', 'auditor', 'impersonator'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const FLOW_TYPES = ['process', 'board', 'dataset', 'integration', 'app', 'chat', 'space'] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

/** R-K3: the only flow types that have per-flow impersonation. */
export const IMPERSONABLE_FLOW_TYPES: readonly FlowType[] = ['process', 'board', 'dataset'];

export const FLOW_ROLES = ['flow_admin', 'initiator', 'participant', 'viewer'] as const;
export type FlowRole = (typeof FLOW_ROLES)[number];

export const SHARED_RESOURCES = ['global_my_items', 'user_group_management', 'all_flows_integrations'] as const;
export type SharedResource = (typeof SHARED_RESOURCES)[number];

export const AUDIT_LOGS = ['main', 'history', 'script', 'exception', 'record_deletion'] as const;
export type AuditLogName = (typeof AUDIT_LOGS)[number];

export interface Principal {
  id: number;
  username: string;
  displayName: string;
  kind: PrincipalKind;
  status: PrincipalStatus;
  roles: AccountRole[];
}

/** The signed-in person using the console. */
export interface Operator {
  username: string;
  displayName: string;
  roles: AccountRole[];
}

/**
 * Whether secrets can be kept. When not: `reason` says what is missing and `fix` how to get it back, both in plain
 * words for the operator (Settings, and beside every button that needs a secret).
 */
export type KeychainStatus = { available: true; backend: string } | { available: false; reason: string; fix: string };

export interface AppStatus {
  /** True until the first Super Admin exists (created by hand or by loading the demo). */
  needsSetup: boolean;
  operator: Operator | null;
  /** Why the last session ended without a sign-out, e.g. idle lock; shown on the sign-in screen. */
  sessionNotice: string | null;
  /** The running impersonation session, if any: the console then shows and allows what that user may (R-S9). */
  impersonation: Impersonation | null;
  /** Unread notices for the operator, e.g. that someone impersonated them. */
  notices: Notice[];
  /** Whether main would let the operator start a session as somebody now (R-S1, R-S2, R-S4, R-S5). */
  mayImpersonate: boolean;
  keychain: KeychainStatus;
}

export interface Settings {
  idleLockMinutes: number;
  /** Longest an impersonation session may last (R-S10); at most 8 hours. */
  impersonationMinutes: number;
  /** R-K13: a service account unused for this many days is dormant. */
  dormancyDays: number;
  /** Keys older than this many days are flagged for rotation. */
  keyRotationDays: number;
  /**
   * A lockout by failed sign-ins ends by itself after this many minutes (0: never, an administrator unlocks).
   * A lock set any other way never ends by itself.
   */
  signInLockoutMinutes: number;
}

/** Each setting as its History records and the Audit log's changes name it. */
export const SETTING_LABELS: Record<keyof Settings, string> = {
  idleLockMinutes: 'Idle lock',
  impersonationMinutes: 'Impersonation maximum',
  dormancyDays: 'Dormant after (days)',
  keyRotationDays: 'Rotate keys after (days)',
  signInLockoutMinutes: 'Sign-in lockout',
};

/**
 * Settings that are gone, as the History records made while they existed name them: those records stay, and
 * read as they did. (Sessions always need a reason now, R-S10.)
 */
const RETIRED_SETTING_LABELS: Readonly<Record<string, string>> = {
  requireImpersonationReason: 'Reason required to impersonate',
};

/** A History record's setting field as its message names it, a retired setting's included; undefined for others. */
export const settingLabel = (field: string): string | undefined =>
  Object.hasOwn(SETTING_LABELS, field)
    ? SETTING_LABELS[field as keyof Settings]
    : Object.hasOwn(RETIRED_SETTING_LABELS, field)
      ? RETIRED_SETTING_LABELS[field]
      : undefined;

export interface AccessKey {
  /** The Access Key ID, shown; the secret is never shown again after creation (R-K12). */
  id: string;
  createdAt: string;
  expiresAt: string;
  disabled: boolean;
  expired: boolean;
  /** Older than the rotation age (setting). */
  dueForRotation: boolean;
  lastUsedAt: string | null;
}

export interface NewAccessKey {
  id: string;
  /** Shown once, in the creation dialog; kept only in the OS keychain. */
  secret: string;
  expiresAt: string;
}

export interface ServiceAccountSummary {
  username: string;
  displayName: string;
  status: PrincipalStatus;
  keys: number;
  lastUsedAt: string | null;
  /** R-K13: unused (no access key or portal key used, no integration run) for the dormancy setting's days. */
  dormant: boolean;
  keysDueForRotation: number;
}

export interface AssociatedResources {
  sharedResources: SharedResource[];
  impersonationFlows: { name: string; type: FlowType }[];
  /** R-K10: its own flow roles, one entry per way it holds one: directly, or through `group` (R-A1's among them). */
  memberOf: { name: string; type: FlowType; role: FlowRole; group?: string }[];
  /** The integration flows whose rule acts through the account: it creates items in `target`. */
  integrations: { flow: string; source: string; target: string }[];
}

export type KeyCheck = 'valid' | 'invalid' | 'expired' | 'disabled' | 'locked';

export interface Impersonation {
  id: number;
  /** Who the operator is acting as. */
  user: Operator;
  reason: string;
  ticket: string | null;
  startedAt: string;
  expiresAt: string;
}

export type ImpersonationEnd =
  'back_to_me' | 'expired' | 'signed_out' | 'idle_lock' | 'rights_lost' | 'quit' | 'crash_recovery';

export interface ImpersonationSessionRow {
  id: number;
  operator: string;
  target: string;
  reason: string;
  ticket: string | null;
  startedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: ImpersonationEnd | null;
  actions: number;
}

export interface ImpersonationCandidate {
  username: string;
  displayName: string;
  /** Why not, when the operator may not impersonate them (shown on request). */
  excluded?: string;
}

export interface Notice {
  id: number;
  message: string;
  createdAt: string;
}

/**
 * What the caller may do to one principal, as main decided it (src/main/directory/allowed.ts runs the very
 * checks the services refuse with), so the window offers only what main would accept.
 */
export interface PrincipalActions {
  /** The statuses the caller may set: never the current one, never locked (only failed sign-ins lock). */
  statuses: PrincipalStatus[];
  /** The account roles the caller may add (if not held) or remove (if held), each on its own or together. */
  roles: AccountRole[];
  delete: boolean;
  setPassword: boolean;
  /** May change the display name (never to an empty one). */
  rename: boolean;
}

export interface DirectoryPage {
  rows: Principal[];
  /** By username, for every row: what the caller may do to it. Kept apart from the rows, which are plain data. */
  allowed: Record<string, PrincipalActions>;
  total: number;
  /** Opaque keyset cursor for the next page; null on the last page. */
  next: string | null;
}

export interface FlowSummary {
  name: string;
  type: FlowType;
  /** Direct members plus groups. */
  members: number;
  /** Service accounts with impersonation access. */
  impersonation: string[];
}

export type FlowMember = { principal: string; service: boolean; role: FlowRole } | { group: string; role: FlowRole };

export interface FlowDetail {
  name: string;
  type: FlowType;
  members: FlowMember[];
  impersonation: string[];
  /** What its items hold, in order. */
  fields: FlowField[];
  /** Super Admins who made themselves Flow Admin here (R-K4) and are still only that: the role each held before. */
  selfAdded: { principal: string; was: FlowRole | null }[];
}

export const FIELD_TYPES = ['text', 'number', 'boolean', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FlowField {
  name: string;
  type: FieldType;
  /** Needed before an item leaves draft. */
  required: boolean;
}

/** A field list as History, the bundle preview and a flow's settings write it: `Amount (number, required), Vendor (text)`. */
export const describeFields = (fields: readonly FlowField[], none = 'none') =>
  fields.length ? fields.map((f) => `${f.name} (${f.type}${f.required ? ', required' : ''})`).join(', ') : none;

/** A date field holds `YYYY-MM-DD`; null clears a field. */
export type FieldValue = string | number | boolean | null;

export const ITEM_STATES = ['draft', 'in_progress', 'completed'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export interface Item {
  id: number;
  flow: string;
  title: string;
  state: ItemState;
  /** The effective user who created it (R-K5: the user a service account acted for). */
  createdBy: string;
  assignedTo: string | null;
  fields: Record<string, FieldValue>;
  createdAt: string;
  updatedAt: string;
}

/** An item state in words: `in progress`. */
export const itemStateLabel = (s: ItemState): string => s.replace('_', ' ');

/** One changed field of a History record (R-L1): `title`, `state`, `assignedTo`, or `fields.<name>`. */
export interface ItemChange {
  field: string;
  old: FieldValue;
  new: FieldValue;
}

const CHANGE_LABELS: Record<string, string> = { title: 'title', state: 'state', assignedTo: 'assigned to' };

/** How a History change names its field: `title`, `state`, `assigned to`, or the item field's own name. */
export const changeFieldLabel = (field: string): string => CHANGE_LABELS[field] ?? field.replace(/^fields\./, '');

/** How a History change shows a value: — for none, a state in words. */
export function changeValueLabel(field: string, v: FieldValue): string {
  if (v === null) return '—';
  if (field === 'state') return itemStateLabel(v as ItemState);
  return String(v);
}

/** What may be done to an item that exists; creating one is asked of its flow (FlowItemPage.mayCreate). */
export const ITEM_OPS = ['read', 'update', 'assign', 'submit', 'complete', 'reopen', 'delete'] as const;
export type ItemOp = (typeof ITEM_OPS)[number];

/**
 * An item as a page lists it: with what the caller may do to it now, as main's item rules answer (the very
 * check each items.* method refuses with), so the window offers only what main would accept.
 */
export interface ListedItem extends Item {
  allowed: ItemOp[];
}

/** Newest first; `next` is the cursor of the following page, null on the last. */
export interface ItemPage {
  items: ListedItem[];
  next: number | null;
}

/** A flow's items, with the field list its members fill in (they may lack directory.read, which flows.get needs). */
export interface FlowItemPage extends ItemPage {
  fields: FlowField[];
  /** Whether the caller may create an item in this flow now. */
  mayCreate: boolean;
}

/** A process, board or dataset whose items the effective user may read (flows.mine). */
export interface MemberFlow {
  name: string;
  type: FlowType;
}

export interface GroupSummary {
  name: string;
  /** System groups (Service Account) are kept by Deputy, not edited by hand. */
  system: boolean;
  members: string[];
}

export interface SharedResourceGrants {
  serviceAccount: string;
  displayName: string;
  active: boolean;
  resources: SharedResource[];
}

export interface AuditRecord {
  seq: number;
  /** ISO 8601, UTC. */
  ts: string;
  log: AuditLogName;
  operator: string | null;
  effectiveUser: string | null;
  impersonator: string | null;
  /** As shown: `jdoe (alice)` during impersonation (R-S8). */
  username: string;
  action: string;
  target: string | null;
  outcome: 'ok' | 'refused' | 'error';
  message: string;
  details: Record<string, unknown>;
  /** Which chain key the record is hashed with (empty: written while the keychain was unavailable). */
  keyId: string;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  rows: AuditRecord[];
  /** Keyset cursor: pass as `before` for the next (older) page; null on the last. */
  next: number | null;
}

export interface ForwardTarget {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
}

export interface ForwardingStatus {
  target: ForwardTarget | null;
  /** The last record handed to the collector. */
  forwardedUpTo: number;
  /** Records waiting to be forwarded (kept in the log until they are). */
  pending: number;
  /**
   * Why the last attempt of this console's forwarder failed (the collector down, refused, unreachable), until one gets
   * everything through; null then, and where no forwarder runs (the CLI).
   */
  lastFailure: { at: string; message: string } | null;
}

/**
 * "Send a test record": what can be known. `written` (TCP): the collector accepted the connection and the record was
 * written to it. `sent` (UDP): the datagram left, and no host answered that nothing listens; UDP cannot tell whether
 * it arrived. `failed`: it did not reach the collector, and `message` says why.
 */
export interface ForwardTest {
  target: ForwardTarget;
  /** In the record's payload and structured data, to find it at the collector. */
  id: string;
  outcome: 'written' | 'sent' | 'failed';
  message: string;
}

export type AuditExportFormat = 'jsonl' | 'csv';

export interface AuditExportManifest {
  format: AuditExportFormat;
  count: number;
  first: { seq: number; hash: string } | null;
  last: { seq: number; hash: string } | null;
  filter: { log?: string | undefined; from?: string | undefined; to?: string | undefined };
  createdAt: string;
  /** SHA-256 of the export file. */
  sha256: string;
  /** HMAC-SHA256 of the file under the chain key named by keyId; null when the keychain was unavailable. */
  hmac: string | null;
  keyId: string | null;
}

/** What the Record Deletion Log holds snapshots of, each restorable from its record (R-L1). */
export const DELETED_KINDS = [
  'user',
  'serviceAccount',
  'group',
  'flow',
  'grants',
  'item',
  'designObject',
  'portal',
] as const;
export type DeletedKind = (typeof DELETED_KINDS)[number];

/** The kind of snapshot a record carries when Restore can bring it back, else null. */
export function restorableKind(r: Pick<AuditRecord, 'log' | 'details' | 'outcome'>): DeletedKind | null {
  const kind = r.details.deleted;
  return r.log === 'record_deletion' && r.outcome === 'ok' && DELETED_KINDS.some((k) => k === kind)
    ? (kind as DeletedKind)
    : null;
}

export type AuditBreakKind = 'changed' | 'deleted' | 'reordered' | 'truncated' | 'missing_key';

export interface AuditVerifyReport {
  ok: boolean;
  /** Records checked (all of them when ok). */
  count: number;
  /** Records written while the OS keychain was unavailable: chained, but not keyed. */
  unkeyed: number;
  head: { seq: number; hash: string } | null;
  break?: { seq: number; kind: AuditBreakKind; message: string };
  /**
   * Set when this database is a copy of the anchored log (a backup, a copied file) while that log still exists: the
   * chain was checked on its own, its tail not against the anchor, which is that file's.
   */
  copyOf?: string;
}

/** `a process`, `an integration`, `an app`. */
export const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

/** `1 change`, `3 changes`. */
export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** How a principal is named in logs and lists: `Display Name (username)`, or the username alone. */
export function principalLabel(p: { username: string; displayName: string }): string {
  return p.displayName.trim() === '' ? p.username : `${p.displayName} (${p.username})`;
}

/** In an integration's mapping, the name of an item's title (text) on either side. */
export const TITLE_FIELD = 'title';

/** One field of an integration's mapping: the source item's `title` or field → the new item's `title` or field. */
export interface FieldMapping {
  from: string;
  to: string;
}

/**
 * An integration flow's rule: when an item in `source` completes, `serviceAccount` creates an item in `target` as
 * that item's initiator (R-K5: it needs impersonation access on the target, and the initiator must be an active
 * initiator there), with the mapped fields; `submit` also moves the new item to in progress.
 */
export interface IntegrationRule {
  /** The integration flow that holds the rule. */
  flow: string;
  source: string;
  target: string;
  serviceAccount: string;
  mapping: FieldMapping[];
  submit: boolean;
  enabled: boolean;
  lastRunAt: string | null;
}
