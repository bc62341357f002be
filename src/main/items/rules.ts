// Who may do what to an item, and when: one pure function over decide()'s answer for the flow action, the
// effective user, the item and what they want to do. decide() answers the flow-role part (R-K5, R-K6, R-S9: a
// service account or an impersonating operator gets exactly the user's rights); this adds what depends on the
// item itself: initiators edit their own drafts only, participants act on items assigned to them, viewers
// read, Flow Admins everything, and only a Flow Admin reopens a completed item. The state machine is draft →
// in progress → completed, and completed → in progress by reopening.
import { decidingRule, factsOf, factsWithRules, type Decision, type FlowAction } from '../../shared/policy';
import { itemStateLabel, type Item, type ItemOp as ExistingItemOp, type ItemState } from '../../shared/model';

/** The operations on an item that exists (listed with it as `allowed`), and creating one. */
export type ItemOp = ExistingItemOp | 'create';

export type ItemFacts = Pick<Item, 'id' | 'state' | 'createdBy' | 'assignedTo'>;

const ownDraft = (user: string, item: ItemFacts | null) =>
  item !== null && item.state === 'draft' && item.createdBy === user;

/**
 * The flow action decide() must allow. Editing, assigning or submitting one's own draft is still creating it
 * (item.create, which initiators hold); doing so to anyone else's item is updating it (item.update).
 */
export function flowActionFor(op: ItemOp, user: string, item: ItemFacts | null): FlowAction {
  switch (op) {
    case 'read':
      return 'item.read';
    case 'create':
      return 'item.create';
    case 'delete':
      return 'item.delete';
    case 'complete':
    case 'reopen':
      return 'item.complete';
    case 'update':
    case 'assign':
    case 'submit':
      return ownDraft(user, item) ? 'item.create' : 'item.update';
  }
}

/** The state an item moves to, for the operations that move it. */
export const NEXT_STATE: Partial<Record<ItemOp, ItemState>> = {
  submit: 'in_progress',
  complete: 'completed',
  reopen: 'in_progress',
};
/** The state each moving operation starts from. */
const FROM_STATE: Partial<Record<ItemOp, ItemState>> = {
  submit: 'draft',
  complete: 'in_progress',
  reopen: 'completed',
};

export const stateLabel = itemStateLabel;
export const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

export interface ItemQuestion {
  op: ItemOp;
  /** The effective user: the operator, the user they impersonate, or the user a service account acts for. */
  user: string;
  /** Null for create. */
  item: ItemFacts | null;
  /** decide()'s answer for `flowActionFor(op, user, item)` on the item's flow. */
  decision: Decision;
  /** Whether decide() lets the effective user change the flow's settings: a Flow Admin's right. */
  flowAdmin: boolean;
}

export interface ItemRefusal {
  code: 'forbidden' | 'conflict';
  /** What stands in the way, for a person: no rule ids (they go in `rule`, the window's "why"). */
  why: string;
  /** The rule that decided, when decide() refused: the last rule its reasons name (decidingRule). */
  rule?: string;
  /** For the audit record, when decide() refused: `why` with every reason's rule beside it (R-L3). */
  recorded?: string;
}

export function itemRefusal(q: ItemQuestion): ItemRefusal | null {
  const { op, user, item, decision, flowAdmin } = q;
  if (!decision.allowed) {
    const initiatorHint =
      item && item.createdBy === user && (op === 'update' || op === 'assign' || op === 'submit')
        ? `; initiators edit only their own drafts, and item ${item.id} is ${stateLabel(item.state)}`
        : '';
    const rule = decidingRule(decision);
    return {
      code: 'forbidden',
      why: `${factsOf(decision)}${initiatorHint}`,
      ...(rule ? { rule } : {}),
      recorded: `${factsWithRules(decision)}${initiatorHint}`,
    };
  }
  if (item === null || op === 'read' || op === 'create') return null;

  if (!flowAdmin) {
    const forbidden = (text: string): ItemRefusal => ({ code: 'forbidden', why: text });
    if (op === 'reopen') return forbidden(`only a Flow Admin reopens a completed item, and ${user} is not one`);
    if (op === 'submit' && !ownDraft(user, item)) {
      return forbidden(
        `only its initiator or a Flow Admin submits a draft, and item ${item.id} is ${item.createdBy}'s`,
      );
    }
    if (!ownDraft(user, item) && item.assignedTo !== user) {
      return forbidden(
        `participants act only on items assigned to them, and item ${item.id} is assigned to ${item.assignedTo ?? 'nobody'}`,
      );
    }
  }

  const from = FROM_STATE[op];
  if (from !== undefined && item.state !== from) {
    return {
      code: 'conflict',
      why: `item ${item.id} is ${stateLabel(item.state)}; only ${withArticle(stateLabel(from))} item can be ${op === 'submit' ? 'submitted' : op === 'complete' ? 'completed' : 'reopened'}`,
    };
  }
  if ((op === 'update' || op === 'assign') && item.state === 'completed') {
    return { code: 'conflict', why: `item ${item.id} is completed; a Flow Admin reopens it before it changes` };
  }
  return null;
}
