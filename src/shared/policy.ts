// The vocabulary of authorization questions, shared by main (decide), the renderer (Access check) and the CLI.
/** What is done to a flow's items, as against to the flow itself. */
export const ITEM_ACTIONS = ['item.read', 'item.create', 'item.update', 'item.complete', 'item.delete'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];
export const isItemAction = (action: Action): action is ItemAction =>
  (ITEM_ACTIONS as readonly string[]).includes(action);

export const FLOW_ACTIONS = [
  ...ITEM_ACTIONS,
  'flow.settings',
  'flow.members',
  'flow.impersonation',
  'flow.addSelfAsAdmin',
] as const;
export type FlowAction = (typeof FLOW_ACTIONS)[number];

export const ACCOUNT_ACTIONS = [
  'directory.read',
  'directory.write',
  'serviceAccount.create',
  'serviceAccount.update',
  'serviceAccount.delete',
  'sharedResource.grant',
  'audit.read',
  'audit.export',
  'settings.update',
  'myItems.read',
  'flows.list',
  'policy.export',
  'policy.import',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export const USER_ACTIONS = ['session.start'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export const ACTIONS = [...FLOW_ACTIONS, ...ACCOUNT_ACTIONS, ...USER_ACTIONS] as const;
export type Action = FlowAction | AccountAction | UserAction;

/** What an action is done to: a flow, a user (impersonation target), or the account itself. */
export type Resource = { type: 'flow'; name: string } | { type: 'user'; username: string } | { type: 'account' };

export interface DecisionRequest {
  /** Who acts: a person (operator) or a service account. */
  actor: string;
  /** Whom the actor acts as: a service account impersonating a user, or an operator's impersonation session. */
  onBehalfOf?: string;
  action: Action;
  resource: Resource;
}

export interface Reason {
  /** The rule that decided (RULES.md id), or `catalog` for the role → permission table. */
  rule: string;
  /** The fact, for a person: "po-bot has no impersonation grant on flow Purchase Order". */
  fact: string;
  /**
   * For a fact about the user acted as (R-K6's "as jdoe: …"): the rule that decided that user's own answer, kept
   * beside the sentence rather than inside it.
   */
  via?: string;
}

/** A reason's rule as shown beside its fact: "R-K6 via catalog" when it passes on the acted-as user's answer. */
export const ruleLabel = (r: Reason): string => (r.via ? `${r.rule} via ${r.via}` : r.rule);

/**
 * The rule behind an item refusal, for the error's `rule` (the window's "why"): decide() lists the facts that held
 * before the one that failed (R-K5's grant and membership before R-K6's "as jdoe: …"), so the last named rule decided;
 * "catalog" names no rule.
 */
export const decidingRule = (d: Decision): string | undefined =>
  [...d.reasons].reverse().find((r) => r.rule !== 'catalog')?.rule ?? d.reasons[0]?.rule;

/** A decision's facts as one sentence for a person: no rule ids (they go in the error's `rule`, the "why"). */
export const factsOf = (d: Decision): string => d.reasons.map((r) => r.fact).join('; ');

/** A decision's facts each with its rule, for the audit log, where the rule ids help. */
export const factsWithRules = (d: Decision): string => d.reasons.map((r) => `${r.fact} (${ruleLabel(r)})`).join('; ');

export interface Decision {
  allowed: boolean;
  reasons: Reason[];
}

export function resourceTypeOf(action: Action): Resource['type'] {
  if ((FLOW_ACTIONS as readonly string[]).includes(action)) return 'flow';
  if ((USER_ACTIONS as readonly string[]).includes(action)) return 'user';
  return 'account';
}

/** `flow:Purchase Order`, `user:jdoe`, `account` — how the CLI and the UI write a resource. */
export function formatResource(r: Resource): string {
  return r.type === 'flow' ? `flow:${r.name}` : r.type === 'user' ? `user:${r.username}` : 'account';
}

export function parseResource(text: string): Resource | null {
  if (text === 'account') return { type: 'account' };
  const [type, ...rest] = text.split(':');
  const name = rest.join(':').trim();
  if (!name) return null;
  if (type === 'flow') return { type: 'flow', name };
  if (type === 'user') return { type: 'user', username: name };
  return null;
}
