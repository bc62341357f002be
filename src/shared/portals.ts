// Portals and the design objects they reach (Appian seed; RULES.md R-A1–R-A3): the vocabulary shared by main, the
// renderer and the CLI, and the R-A2 table as one piece of data.

export const DESIGN_OBJECT_KINDS = [
  'record_type',
  'process_model',
  'document_folder',
  'data_store',
  'web_api',
] as const;
export type DesignObjectKind = (typeof DESIGN_OBJECT_KINDS)[number];

export const KIND_LABELS: Record<DesignObjectKind, string> = {
  record_type: 'record type',
  process_model: 'process model',
  document_folder: 'document folder',
  data_store: 'data store',
  web_api: 'web API',
};

/**
 * The levels that grant something, lowest first. Initiator sits below Viewer because, as in Appian's process model
 * security, a Viewer may start the process and also read its properties, while an Initiator may only start it.
 * Deny is not in the order: it is not a level one holds but a veto that wins over every grant.
 */
export const GRANT_LEVELS = ['initiator', 'viewer', 'editor', 'administrator'] as const;
export type GrantLevel = (typeof GRANT_LEVELS)[number];
export const PERMISSION_LEVELS = [...GRANT_LEVELS, 'deny'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

export const rank = (level: GrantLevel): number => GRANT_LEVELS.indexOf(level);
export const maxLevel = (a: GrantLevel, b: GrantLevel): GrantLevel => (rank(a) >= rank(b) ? a : b);
export const minLevel = (a: GrantLevel, b: GrantLevel): GrantLevel => (rank(a) <= rank(b) ? a : b);

export const LEVEL_LABELS: Record<PermissionLevel, string> = {
  initiator: 'Initiator',
  viewer: 'Viewer',
  editor: 'Editor',
  administrator: 'Administrator',
  deny: 'Deny',
};

/** Initiator exists only on process models (starting one is its whole meaning); other kinds refuse it. */
export const levelsOf = (kind: DesignObjectKind): readonly PermissionLevel[] =>
  kind === 'process_model' ? PERMISSION_LEVELS : PERMISSION_LEVELS.filter((l) => l !== 'initiator');

/** Who an entry of a permission list names. `default` is Appian's `Default (All Other Users)`: everyone. */
export type Grantee = { type: 'user'; name: string } | { type: 'group'; name: string } | { type: 'default' };

export const DEFAULT_GRANTEE_LABEL = 'Default (All Other Users)';

export const granteeLabel = (g: Grantee): string =>
  g.type === 'default' ? DEFAULT_GRANTEE_LABEL : g.type === 'group' ? `group ${g.name}` : g.name;

export const sameGrantee = (a: Grantee, b: Grantee): boolean =>
  a.type === b.type && (a.type === 'default' || a.name === (b as { name: string }).name);

export interface PermissionEntry {
  grantee: Grantee;
  level: PermissionLevel;
}

export interface DesignObject {
  name: string;
  kind: DesignObjectKind;
  permissions: PermissionEntry[];
}

export const USE_CASES = [
  'query_records',
  'change_records',
  'start_process',
  'upload_documents',
  'display_documents',
  'external_database',
  'cdt',
  'custom_integration',
] as const;
export type UseCase = (typeof USE_CASES)[number];

/** What one use case needs on each object of one kind that it uses: a level from `min` up to `max`. */
export interface Requirement {
  kind: DesignObjectKind;
  min: GrantLevel;
  max: GrantLevel;
}

/**
 * R-A2: each portal use case → the grants its service account needs. One row per use case; a requirement accepts a
 * range when the seed does ("Initiator or Viewer permissions to the process model").
 */
export const USE_CASE_TABLE: Record<UseCase, { label: string; needs: readonly Requirement[] }> = {
  query_records: { label: 'query records', needs: [{ kind: 'record_type', min: 'viewer', max: 'viewer' }] },
  change_records: {
    label: 'add, update or delete records',
    needs: [
      { kind: 'record_type', min: 'viewer', max: 'viewer' },
      { kind: 'process_model', min: 'initiator', max: 'initiator' },
    ],
  },
  start_process: { label: 'start a process', needs: [{ kind: 'process_model', min: 'initiator', max: 'viewer' }] },
  upload_documents: { label: 'upload documents', needs: [{ kind: 'document_folder', min: 'editor', max: 'editor' }] },
  display_documents: {
    label: 'display or download documents',
    needs: [{ kind: 'document_folder', min: 'viewer', max: 'viewer' }],
  },
  external_database: { label: 'external database', needs: [{ kind: 'data_store', min: 'viewer', max: 'viewer' }] },
  cdt: {
    label: 'CDT',
    needs: [
      { kind: 'web_api', min: 'viewer', max: 'viewer' },
      { kind: 'data_store', min: 'viewer', max: 'viewer' },
    ],
  },
  custom_integration: { label: 'custom integration', needs: [{ kind: 'web_api', min: 'viewer', max: 'viewer' }] },
};

export const requirementLabel = (r: { min: GrantLevel; max: GrantLevel }): string =>
  r.min === r.max ? LEVEL_LABELS[r.min] : `${LEVEL_LABELS[r.min]} (or up to ${LEVEL_LABELS[r.max]})`;

/** One use case of a portal and the objects it uses (e.g. the folder uploads go to). */
export interface PortalUse {
  useCase: UseCase;
  objects: string[];
}

export interface Portal {
  name: string;
  /** R-A1: exactly one, a service account. */
  serviceAccount: string;
  uses: PortalUse[];
}

/** How the service account holds a level: directly, through a group, or through Default (All Other Users). */
export type Via = { via: 'direct' } | { via: 'group'; group: string } | { via: 'default' };

export interface HeldEntry {
  level: PermissionLevel;
  how: Via;
}

/** One permission entry changed by a fix; `to: null` removes the entry. */
export interface EntryChange {
  object: string;
  grantee: Grantee;
  from: PermissionLevel | null;
  to: PermissionLevel | null;
}

export interface Fix {
  label: string;
  changes: EntryChange[];
}

export type Verdict = 'missing' | 'exact' | 'more_than_needed';

/** One row of a portal's report: a use case on one object. */
export interface PortalFinding {
  /** Stable while the facts hold: what portals.fix names. */
  id: string;
  useCase: UseCase;
  object: string;
  kind: DesignObjectKind;
  required: { min: GrantLevel; max: GrantLevel };
  /** What the account holds in the end: a level, `deny`, or nothing. */
  actual: GrantLevel | 'deny' | null;
  /** Every entry that reaches the account on this object. */
  held: HeldEntry[];
  verdict: Verdict;
  message: string;
  fix: Fix | null;
}

/**
 * R-A2, least privilege: the service account's own entry on an object none of its portals' use cases needs. (Above
 * the need on a needed object is a `more_than_needed` finding; what a group or Default gives it beyond its needs is
 * one `unneeded_reach` warning per source.) Flagged, never blocking.
 */
export interface UnneededGrant {
  /** `unneeded|<object>`: what portals.fix names. */
  id: string;
  object: string;
  kind: DesignObjectKind;
  /** The level of the account's own entry there. */
  level: GrantLevel;
  message: string;
  /** Takes the account's own entry off: it reaches no one else, so nobody else needs keeping whole. */
  fix: Fix;
}

export type PortalWarningKind =
  'default_viewer' | 'shared_account' | 'account_not_service' | 'account_inactive' | 'unneeded_reach';

/** The warnings that block publishing, as missing grants do: the portal's account cannot authenticate (R-A1). */
export const BLOCKING_WARNINGS: readonly PortalWarningKind[] = ['account_not_service', 'account_inactive'];

/**
 * What one group's or Default's entries give the service account on objects none of its portals needs (R-A2; R-A3
 * for Default): a decision about everyone they reach, so counted, with a few names, and no fix.
 */
/** A grantee that is not one account: a group, or Default (All Other Users). */
export type ReachSource = Exclude<Grantee, { type: 'user' }>;

export interface Reach {
  source: ReachSource;
  count: number;
  /** Up to five of those objects, by name. */
  examples: string[];
}

export const REACH_EXAMPLES = 5;

export interface PortalWarning {
  id: string;
  rule: 'R-A1' | 'R-A2' | 'R-A3';
  kind: PortalWarningKind;
  message: string;
  fix: Fix | null;
  /** Only on `unneeded_reach`. */
  reach?: Reach;
}

export interface PortalReport {
  portal: Portal;
  findings: PortalFinding[];
  /** R-A2: the account's own entries on objects no use case of its portals needs, by object name. */
  unneeded: UnneededGrant[];
  warnings: PortalWarning[];
  /** Any missing grant (or an account that cannot serve): publishing is blocked. Unneeded grants and reach never block. */
  blocked: boolean;
}

/** "View record type permissions for the service account": one record type it reaches, and how. */
export interface RecordTypeAccess {
  object: string;
  actual: GrantLevel;
  held: HeldEntry[];
}

export const describeVia = (h: Via): string =>
  h.via === 'direct' ? 'directly' : h.via === 'group' ? `through group ${h.group}` : `through ${DEFAULT_GRANTEE_LABEL}`;

/**
 * A portal's API key (R-A5): `unpublished` until its first publish; `published` with one live key; `unavailable`
 * after a rotation deleted that key, until it is republished. The secret is never here, only in the OS keychain.
 */
export type PortalKeyState = 'unpublished' | 'published' | 'unavailable';

/** One row of the Web API authentication view. */
export interface PortalKey {
  portal: string;
  state: PortalKeyState;
  /** The live key's id; null when unpublished or unavailable. */
  keyId: string | null;
  /** When the live key was created. */
  createdAt: string | null;
  lastUsedAt: string | null;
  rotatedAt: string | null;
  /**
   * A rotated key whose secret is still in the keychain: the rotation's removal of it was cut short (a crash, the
   * keychain failing). No live key names it, so it authenticates nothing; the next publish or start removes it.
   */
  retiredKeyId: string | null;
}

/** What publishing answers: the secret, shown this once. */
export interface PublishedPortalKey {
  portal: string;
  keyId: string;
  secret: string;
}

/** A portal key's id: DPP and 20 hex digits (access keys are DPK…). */
export const PORTAL_KEY_ID = /^DPP[0-9A-F]{20}$/;

/** "May this portal do <use case> on <object>?", answered from its service account's permissions. */
export interface PortalDecision {
  portal: string;
  useCase: UseCase;
  object: string;
  allowed: boolean;
  /** What the use case needs on the object; null when the portal does not use the object for it. */
  required: { min: GrantLevel; max: GrantLevel } | null;
  actual: GrantLevel | 'deny' | null;
  /** For a person, without a rule id. */
  reason: string;
  /** The rule that decided (`R-A1`), when one did: the "why" beside the reason. */
  rule?: string;
}
