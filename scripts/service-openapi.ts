// Writes docs/service-api.openapi.json, the service API as OpenAPI 3.1, from the contract (npm run docs:openapi):
// one path per program method with its zod input and output schemas, the access key, the user acted for, and
// every error status the server answers with. docs/service-api.md is the guide; this is the reference.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  CAN_I_MAX_CHECKS,
  contract,
  PROGRAM_METHODS,
  PROGRAM_OUTPUTS,
  type Input,
  type Output,
  type ProgramMethod,
} from '../src/shared/contract';
import type { FlowDetail, FlowField, FlowRole, GroupSummary, Item, ListedItem } from '../src/shared/model';
import { ERROR_CODES, type ErrorCode, type Result } from '../src/shared/result';
import { API_PREFIX, ERROR_STATUS, MAX_SERVICE_BODY, ON_BEHALF_OF } from '../src/main/web/serviceApi';

export const OPENAPI_FILE = fileURLToPath(new URL('../docs/service-api.openapi.json', import.meta.url));

/** The status serviceApi.ts answers a body over MAX_SERVICE_BODY with (code invalid_input). */
export const TOO_LARGE = 413;

/** The user the examples act for, unless an example names its own. */
export const EXAMPLE_USER = 'jdoe';

/** When the demo's items and the examples' item were made and changed: the test core's clock, which stands still. */
const AT = '2026-11-23T09:00:00.000Z';

/**
 * The item the items examples make and change, as the demo answers it: item 5 of Purchase Order (the demo's own
 * items are 1 to 4).
 */
function exampleItem(change: Partial<Item> = {}): Item {
  return {
    id: 5,
    flow: 'Purchase Order',
    title: 'Two laptops for the new starters',
    state: 'draft',
    createdBy: EXAMPLE_USER,
    assignedTo: null,
    fields: {},
    createdAt: AT,
    updatedAt: AT,
    ...change,
  };
}

/** The demo's items of jdoe's (src/main/setup/demoItems.ts), as the demo answers them. */
const DEMO_ITEM = {
  /** jdoe's Purchase Request, completed by pmehta, which ran the integration Purchase Request to Order. */
  laptopRequest: {
    id: 1,
    flow: 'Purchase Request',
    title: 'Laptop for new hire',
    state: 'completed',
    createdBy: EXAMPLE_USER,
    assignedTo: 'pmehta',
    fields: { Amount: 1450, Vendor: 'Northwind', 'Needed by': '2027-01-15' },
    createdAt: AT,
    updatedAt: AT,
  },
  /** The Purchase Order that integration made of it through po-bot: jdoe's draft. */
  laptopOrder: {
    id: 2,
    flow: 'Purchase Order',
    title: 'Laptop for new hire',
    state: 'draft',
    createdBy: EXAMPLE_USER,
    assignedTo: null,
    fields: { Amount: 1450, Supplier: 'Northwind', 'Delivery date': '2027-01-15' },
    createdAt: AT,
    updatedAt: AT,
  },
  /** jdoe's Purchase Request in progress, assigned to pmehta. */
  standingDesk: {
    id: 3,
    flow: 'Purchase Request',
    title: 'Standing desk',
    state: 'in_progress',
    createdBy: EXAMPLE_USER,
    assignedTo: 'pmehta',
    fields: { Amount: 450, Vendor: 'Ergo Ltd' },
    createdAt: AT,
    updatedAt: AT,
  },
} satisfies Record<string, Item>;

/** What jdoe, an initiator, may do to their own draft; to an item no longer a draft, only read it. */
const OWN_DRAFT: ListedItem['allowed'] = ['read', 'update', 'assign', 'submit'];

/** The demo's fields of Purchase Order; the flows.setFields example makes Amount required. */
const AMOUNT: FlowField = { name: 'Amount', type: 'number', required: false };
const PURCHASE_ORDER_FIELDS: FlowField[] = [
  AMOUNT,
  { name: 'Supplier', type: 'text', required: false },
  { name: 'Delivery date', type: 'date', required: false },
];
const AMOUNT_REQUIRED_FIELDS: FlowField[] = PURCHASE_ORDER_FIELDS.map((f) =>
  f === AMOUNT ? { ...f, required: true } : f,
);

/** Purchase Order as the demo holds it, with the changes the flows examples make. */
function examplePurchaseOrder(change: { fields?: FlowField[]; kchen?: FlowRole } = {}): FlowDetail {
  const person = (principal: string, role: FlowRole) => ({ principal, service: false, role });
  return {
    name: 'Purchase Order',
    type: 'process',
    members: [
      { group: 'Procurement', role: 'participant' },
      person('bbuyer', 'flow_admin'),
      person('jdoe', 'initiator'),
      ...(change.kchen ? [person('kchen', change.kchen)] : []),
      { principal: 'po-bot', service: true, role: 'viewer' },
    ],
    impersonation: ['po-bot'],
    fields: change.fields ?? PURCHASE_ORDER_FIELDS,
    selfAdded: [],
  };
}

/** The demo's groups, with the one the groups examples make (and delete) when `contractors` says who is in it. */
function exampleGroups(contractors?: string[]): GroupSummary[] {
  return [
    ...(contractors ? [{ name: 'Contractors', system: false, members: contractors }] : []),
    { name: 'Finance', system: false, members: ['ffinance'] },
    { name: 'Procurement', system: false, members: ['bbuyer', 'pmehta'] },
    { name: 'Service Account', system: true, members: ['hr-sync', 'po-bot', 'supplier-portal'] },
  ];
}

/** The grant an R-K7 or R-K9 example's service account holds (the test gives it to po-bot first). */
const THROUGH_USER_GROUP_MANAGEMENT =
  'The service account needs the user_group_management shared resource, and the user must be a Super Admin, IAM ' +
  'Admin or User Admin; the change must be one that user may make by hand (R-K7). Refused otherwise (403, naming ' +
  'the rule; recorded).';
const THROUGH_ALL_FLOWS =
  'The service account needs the all_flows_integrations shared resource (R-K9), or its own impersonation access ' +
  'to the flow (R-K5), and the user must be a Flow Admin of the flow: exactly what the user may do by hand (R-K6). ' +
  'Refused otherwise (403, naming the rule; recorded).';

/** What the document says of each program method: the typecheck fails until a new one is described here. */
const ABOUT: {
  [M in ProgramMethod]: {
    summary: string;
    description: string;
    /** A valid input, true of the demo organisation, sent by test/unit/serviceOpenapi.test.ts. */
    example: Input<M>;
    /** What the demo answers to it through po-bot, for jdoe or `user` (the test checks it). */
    answer: Output<M>;
    /**
     * The user the example acts for, when not EXAMPLE_USER: what jdoe (an initiator) may not do, the example does
     * for a participant or the Flow Admin of the flow, so every example shows a real answer.
     */
    user?: string;
  };
} = {
  'access.canI': {
    summary: 'May the user, through this service account, do each of these?',
    description:
      `One boolean per check, in order, as decide() answers for the service account acting for the user named ` +
      `in ${ON_BEHALF_OF} (R-K5…R-K9): the user's own rights, and only where the service account may act for ` +
      `them. At most ${CAN_I_MAX_CHECKS} checks a call. Nothing is recorded: ask access.decide for a decision ` +
      `that goes to the audit log.`,
    example: {
      checks: [
        { action: 'item.create', resource: 'flow:Purchase Order' },
        { action: 'flow.members', resource: 'flow:Purchase Order' },
      ],
    },
    answer: [true, false],
  },
  'access.decide': {
    summary: 'The decision point: may the user, through this service account, do this? Recorded.',
    description:
      'For platforms that keep their own items: the decision with its reasons, each naming the rule that ' +
      'decided, and one audit record of it, allowed (outcome ok) or denied (outcome refused), as ' +
      '`user (service-account)`. A denial is an answer (200, allowed false), not an error.',
    example: { action: 'item.create', resource: 'flow:Purchase Order' },
    answer: {
      allowed: true,
      reasons: [
        { rule: 'R-K5', fact: 'po-bot has impersonation access to flow Purchase Order' },
        { rule: 'R-K5', fact: 'jdoe is an active member of flow Purchase Order' },
        {
          rule: 'R-K6',
          fact: 'as jdoe: jdoe is initiator of flow Purchase Order, which grants item.create',
          via: 'catalog',
        },
      ],
    },
  },
  // The items examples follow one item through its life, in PROGRAM_METHODS order: the items.create example makes
  // item 5 (the demo's items are 1 to 4), and each one after it acts on that item. The times are the test core's
  // clock.
  'items.create': {
    summary: 'Create an item in a flow, as a draft created by the user.',
    description:
      'The user needs item.create in the flow (an initiator or Flow Admin), and the service account impersonation ' +
      'access to it (R-K5, R-K6). `fields` fills in the flow’s fields by name (a date as `YYYY-MM-DD`); required ' +
      'ones may wait until the item is submitted. Recorded as `user (service-account)`.',
    example: { flow: 'Purchase Order', title: 'Laptop for the new starter' },
    answer: exampleItem({ title: 'Laptop for the new starter' }),
  },
  'items.get': {
    summary: 'Read one item.',
    description: 'The user needs item.read in the item’s flow (any flow role).',
    example: { id: 5 },
    answer: exampleItem({ title: 'Laptop for the new starter' }),
  },
  'items.update': {
    summary: 'Change an item’s title or fields.',
    description:
      'Initiators edit only their own drafts; participants the items assigned to them; a Flow Admin any item. A ' +
      'completed item is reopened before it changes (409 otherwise). `fields` changes only the fields it names; ' +
      'null clears one.',
    example: { id: 5, title: 'Two laptops for the new starters' },
    answer: exampleItem(),
  },
  'items.assign': {
    summary: 'Assign an item to someone who may complete it, or to nobody (`to`: null).',
    description:
      'The assignee must be a participant or Flow Admin of the flow (400, `field` assignTo, otherwise). Who may ' +
      'assign is who may update the item.',
    example: { id: 5, to: 'pmehta' },
    answer: exampleItem({ assignedTo: 'pmehta' }),
  },
  'items.submit': {
    summary: 'Submit a draft: draft → in progress, optionally assigned in the same change.',
    description:
      'Its initiator or a Flow Admin submits a draft, once every required field is filled in. Any other state ' +
      'answers 409.',
    example: { id: 5 },
    answer: exampleItem({ state: 'in_progress', assignedTo: 'pmehta' }),
  },
  'items.complete': {
    summary: 'Complete an item in progress.',
    description:
      'The user needs item.complete: a participant completes the items assigned to them, a Flow Admin any. The ' +
      'example acts for pmehta (a participant of Purchase Order through the Procurement group), to whom the ' +
      'item is assigned.',
    example: { id: 5 },
    answer: exampleItem({ state: 'completed', assignedTo: 'pmehta' }),
    user: 'pmehta',
  },
  'items.reopen': {
    summary: 'Reopen a completed item: completed → in progress.',
    description:
      'Only a Flow Admin reopens a completed item; anyone else is refused (403). The example acts for bbuyer, ' +
      'the Flow Admin of Purchase Order.',
    example: { id: 5 },
    answer: exampleItem({ state: 'in_progress', assignedTo: 'pmehta' }),
    user: 'bbuyer',
  },
  'items.list': {
    summary: 'A flow’s items, newest first, with the fields they hold.',
    description:
      'The user needs item.read in the flow. Pages of `limit` items; pass `next` back as `cursor` for the ' +
      'following page (null on the last). Each item lists what the user may do to it now (`allowed`), and ' +
      '`mayCreate` says whether they may add one: jdoe, an initiator, only reads an item they no longer hold as a ' +
      'draft, and edits, assigns and submits their own draft (the demo’s Purchase Order, made by its integration).',
    example: { flow: 'Purchase Order' },
    answer: {
      items: [
        { ...exampleItem({ state: 'in_progress', assignedTo: 'pmehta' }), allowed: ['read'] },
        { ...DEMO_ITEM.laptopOrder, allowed: OWN_DRAFT },
      ],
      next: null,
      fields: PURCHASE_ORDER_FIELDS,
      mayCreate: true,
    },
  },
  'myItems.list': {
    summary: 'The user’s My Items: the items they created, or those assigned to them.',
    description:
      'A service account reads a user’s My Items only with the global_my_items shared resource (R-K8), across ' +
      'the flows the user may read. Each item lists what the user may do to it now (`allowed`): acting on it ' +
      'still needs its flow (R-K5).',
    example: { which: 'created' },
    answer: {
      items: [
        { ...exampleItem({ state: 'in_progress', assignedTo: 'pmehta' }), allowed: ['read'] },
        { ...DEMO_ITEM.standingDesk, allowed: ['read'] },
        { ...DEMO_ITEM.laptopOrder, allowed: OWN_DRAFT },
        { ...DEMO_ITEM.laptopRequest, allowed: ['read'] },
      ],
      next: null,
    },
  },
  'items.delete': {
    summary: 'Delete an item.',
    description:
      'The user needs item.delete: only a Flow Admin. The example acts for bbuyer, the Flow Admin of Purchase ' +
      'Order. The answer is null.',
    example: { id: 5 },
    answer: null,
    user: 'bbuyer',
  },
  // R-K9, then R-K7: each example acts on the demo as the examples before it left it.
  'flows.list': {
    summary: 'Every flow, of every type or of one (`type`), with its member count and impersonation access.',
    description:
      'The service account needs the all_flows_integrations shared resource (R-K9); the user may be anyone active: ' +
      'listing is the shared resource’s own right, not the user’s. A per-flow impersonation grant is not enough.',
    example: { type: 'process' },
    answer: [
      { name: 'Purchase Order', type: 'process', members: 4, impersonation: ['po-bot'] },
      { name: 'Purchase Request', type: 'process', members: 5, impersonation: ['po-bot'] },
    ],
  },
  'flows.get': {
    summary: 'One flow: its members and their roles, its impersonation access and its fields.',
    description: 'As flows.list: all_flows_integrations (R-K9), acting for any active user.',
    example: { name: 'Purchase Order' },
    answer: examplePurchaseOrder(),
  },
  'flows.setFields': {
    summary: 'Set the fields a flow’s items hold (the whole list, in order).',
    description:
      `${THROUGH_ALL_FLOWS} The example acts for bbuyer, the Flow Admin of Purchase Order, and makes its Amount ` +
      'required.',
    example: { flow: 'Purchase Order', fields: AMOUNT_REQUIRED_FIELDS },
    answer: examplePurchaseOrder({ fields: AMOUNT_REQUIRED_FIELDS }),
    user: 'bbuyer',
  },
  'flows.setMember': {
    summary: 'Give a person or a group a role in a flow, or take it away (`role`: null).',
    description: `${THROUGH_ALL_FLOWS} The example acts for bbuyer, the Flow Admin of Purchase Order.`,
    example: { flow: 'Purchase Order', member: { principal: 'kchen' }, role: 'viewer' },
    answer: examplePurchaseOrder({ fields: AMOUNT_REQUIRED_FIELDS, kchen: 'viewer' }),
    user: 'bbuyer',
  },
  'flows.delete': {
    summary: 'Delete a flow, with its members, impersonation access and items (restorable from the log).',
    description:
      `${THROUGH_ALL_FLOWS} The example deletes the app Procurement Desk, which no per-flow grant reaches ` +
      '(R-K3), for bbuyer, its Flow Admin. The answer is null.',
    example: { name: 'Procurement Desk' },
    answer: null,
    user: 'bbuyer',
  },
  'directory.list': {
    summary: 'The directory, filtered and paged, with what the user may do to each person.',
    description:
      `${THROUGH_USER_GROUP_MANAGEMENT} \`allowed\` says, by username, which statuses and roles the user may set ` +
      'and whether they may delete the person. The example acts for ursula, a User Admin.',
    example: { search: 'olive' },
    answer: {
      rows: [{ id: 11, username: 'olive', displayName: 'Olive Former', kind: 'human', status: 'inactive', roles: [] }],
      allowed: {
        olive: { statuses: ['active'], roles: ['user_admin'], delete: true, setPassword: true, rename: true },
      },
      total: 1,
      next: null,
    },
    user: 'ursula',
  },
  'directory.setStatus': {
    summary: 'Activate, deactivate or unlock (`active`) a person.',
    description:
      `${THROUGH_USER_GROUP_MANAGEMENT} Nobody changes their own status, nor deactivates the last active Super ` +
      'Admin (409). The example acts for ursula, a User Admin.',
    example: { username: 'olive', status: 'active' },
    answer: { id: 11, username: 'olive', displayName: 'Olive Former', kind: 'human', status: 'active', roles: [] },
    user: 'ursula',
  },
  'directory.setRoles': {
    summary: 'Set a person’s account roles to exactly `roles`.',
    description:
      `${THROUGH_USER_GROUP_MANAGEMENT} Only a role whose rights are all the user’s own may be given or taken away, ` +
      'rights compared, not role names (R-K7, R-S2): an IAM Admin grants User Admin, a User Admin never Super ' +
      'Admin, a Super Admin any role; the refusal names the rights beyond. The example acts for ivan, an IAM Admin ' +
      'who holds impersonator.',
    example: { username: 'kchen', roles: ['impersonator'] },
    answer: { id: 12, username: 'kchen', displayName: '', kind: 'human', status: 'active', roles: ['impersonator'] },
    user: 'ivan',
  },
  'directory.setDisplayName': {
    summary: 'Change a person’s display name (it cannot be empty).',
    description:
      `${THROUGH_USER_GROUP_MANAGEMENT} Not someone whose roles grant a right the user’s do not (R-K7), nor a ` +
      'service account (R-K1). The example acts for ivan, an IAM Admin who holds impersonator, and gives kchen, ' +
      'whose empty display name kept them out of the Impersonate dialog (R-S3), a name.',
    example: { username: 'kchen', displayName: 'Kim Chen' },
    answer: {
      id: 12,
      username: 'kchen',
      displayName: 'Kim Chen',
      kind: 'human',
      status: 'active',
      roles: ['impersonator'],
    },
    user: 'ivan',
  },
  'directory.delete': {
    summary: 'Delete a person or a guest (restorable from the Record Deletion Log).',
    description:
      `${THROUGH_USER_GROUP_MANAGEMENT} Not someone whose roles grant a right the user’s do not, nor the user ` +
      'themself, nor a service account. The example acts for ursula. The answer is null.',
    example: { username: 'lou' },
    answer: null,
    user: 'ursula',
  },
  'groups.list': {
    summary: 'Every group with its members.',
    description: `${THROUGH_USER_GROUP_MANAGEMENT} The example acts for ursula, a User Admin.`,
    example: {},
    answer: exampleGroups(),
    user: 'ursula',
  },
  'groups.create': {
    summary: 'Create a group; the answer is every group.',
    description: `${THROUGH_USER_GROUP_MANAGEMENT} The example acts for ursula, a User Admin.`,
    example: { name: 'Contractors' },
    answer: exampleGroups([]),
    user: 'ursula',
  },
  'groups.setMember': {
    summary: 'Add a person to a group, or remove them (`member`: false); the answer is every group.',
    description:
      `${THROUGH_USER_GROUP_MANAGEMENT} The system group Service Account is kept by Deputy (409, R-A1). The ` +
      'example acts for ursula, a User Admin.',
    example: { group: 'Contractors', username: 'kchen', member: true },
    answer: exampleGroups(['kchen']),
    user: 'ursula',
  },
  'groups.delete': {
    summary: 'Delete a group (restorable from the Record Deletion Log); the answer is every group left.',
    description: `${THROUGH_USER_GROUP_MANAGEMENT} The example acts for ursula, a User Admin.`,
    example: { name: 'Contractors' },
    answer: exampleGroups(),
    user: 'ursula',
  },
};

/** When a program meets each error code. */
const WHEN: Record<ErrorCode, string> = {
  invalid_input:
    'The body is not JSON, or not the method’s input (`field` names the first field at fault, e.g. ' +
    `\`checks.0.resource\`); or the ${ON_BEHALF_OF} header is missing or empty (\`field\`: \`${ON_BEHALF_OF}\`).`,
  unauthenticated:
    'No Authorization header, or not `Basic base64(keyId:secret)` (`field`: `authorization`); or the access key ' +
    'was refused: “The access key was refused.”, the same whether it was wrong, expired, disabled, deleted, ' +
    'locked (10 failed checks within a minute) or its service account inactive.',
  forbidden:
    'The user, as far as the service account may act for them, may not do this (the message says why, naming the ' +
    'rules: R-K5, R-K6 for a flow’s items, R-K9 for flows, R-K7 for users and groups, R-K8 for My Items; recorded, ' +
    'refused). access.canI and access.decide answer denials in their value.',
  not_found:
    `No user is named by ${ON_BEHALF_OF} (\`field\`: \`onBehalfOf\`; recorded as accessKey.actFor, refused); ` +
    'or no item has the id (`field`: `id`), or no flow, user or group the name. (Outside the documented paths, every path ' +
    'answers 404 with `field`: `method`.)',
  conflict:
    'The item is not in the state the change needs: only a draft is submitted, an item in progress completed, a ' +
    'completed one reopened, and a completed item is reopened before it changes. Or the change changes nothing ' +
    '(a member who already has the role, a group that exists), would leave no active Super Admin, is the user’s ' +
    'own status, roles or deletion, or edits the system group Service Account.',
  keychain_unavailable:
    'The OS keychain on the Deputy host is unavailable, so no key can be checked; try again when it is back.',
  storage: 'The database cannot be read or written (disk full, file locked); try again later.',
  internal: 'An unexpected failure; the message gives a reference (E-…) to its record in the Exception Log.',
};

/** The error codes answered with each status, from serviceApi.ts's own table, plus the body limit's 413. */
export function errorStatuses(): Map<number, ErrorCode[]> {
  const statuses = new Map<number, ErrorCode[]>();
  for (const code of ERROR_CODES) {
    const status = ERROR_STATUS[code];
    statuses.set(status, [...(statuses.get(status) ?? []), code]);
  }
  statuses.set(TOO_LARGE, ['invalid_input']);
  return new Map([...statuses].sort(([a], [b]) => a - b));
}

const apiError = (codes: readonly [ErrorCode, ...ErrorCode[]]) =>
  z.strictObject({
    code: z.enum(codes),
    message: z
      .string()
      .describe('Written for a person: show it as is. It names neither the field (see field) nor the rule (see rule).'),
    field: z.string().optional().describe('The input field or header at fault, as a dotted path, when there is one.'),
    rule: z.string().optional().describe('The rule that decided a refusal (e.g. R-K5), when one did.'),
  });

/** The body of a success: `{ ok: true, value }`, the value as PROGRAM_OUTPUTS says. */
export function successResult(method: ProgramMethod) {
  return z.strictObject({ ok: z.literal(true), value: PROGRAM_OUTPUTS[method] });
}

/** The body of an error answered with this status: `{ ok: false, error }`, its code one of that status's. */
export function errorResult(status: number): z.ZodType<Result<never>> {
  const codes = errorStatuses().get(status);
  if (!codes?.length) throw new Error(`The service API answers no error with status ${status}.`);
  return z.strictObject({ ok: z.literal(false), error: apiError(codes as [ErrorCode, ...ErrorCode[]]) });
}

/** A JSON Schema for the document: draft 2020-12, its dialect declared once at the top. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const generated: Record<string, unknown> = { ...z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) };
  delete generated.$schema;
  if ('$defs' in generated) throw new Error('A schema with $defs would need its refs rewritten for OpenAPI.');
  return generated;
}

const json = (schema: Record<string, unknown>, example?: unknown) => ({
  'application/json': { schema, ...(example === undefined ? {} : { example }) },
});

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'The access key is missing or was refused',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'The body is too large',
  500: 'Unexpected failure',
  503: 'Unavailable',
};

/** Examples of what the server answers, each checked against a real one by the test. */
const ERROR_EXAMPLES: Record<number, Result<never>> = {
  400: {
    ok: false,
    error: {
      code: 'invalid_input',
      message: `Name the user to act for in the ${ON_BEHALF_OF} header.`,
      field: ON_BEHALF_OF,
    },
  },
  401: { ok: false, error: { code: 'unauthenticated', message: 'The access key was refused.' } },
  404: {
    ok: false,
    error: { code: 'not_found', message: 'There is no user named nobody to act for.', field: 'onBehalfOf' },
  },
  413: {
    ok: false,
    error: { code: 'invalid_input', message: `The request body is larger than ${MAX_SERVICE_BODY} bytes.` },
  },
};

function errorResponse(status: number, codes: ErrorCode[]) {
  const description =
    status === TOO_LARGE
      ? `The body is larger than ${MAX_SERVICE_BODY} bytes; nothing is read beyond that (\`invalid_input\`).`
      : codes.map((code) => `\`${code}\`: ${WHEN[code]}`).join('\n\n');
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}. ${description}`,
    ...(status === 401
      ? { headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Basic realm="deputy"' } } } }
      : {}),
    content: json(jsonSchema(errorResult(status), 'output'), ERROR_EXAMPLES[status]),
  };
}

/** The header naming the user acted for; an example acting for someone else has it inline, with its own example. */
const onBehalfOfParameter = {
  name: ON_BEHALF_OF,
  in: 'header',
  required: true,
  description:
    'The username of the user the service account acts for: their rights apply, as far as the service ' +
    "account may act for them, and records read `user (service-account)`. The service account's own username: it " +
    'acts as itself, with the flow roles it holds as a member (R-K10), and records read its name alone.',
  schema: { type: 'string', minLength: 1 },
  example: EXAMPLE_USER,
};

function operation(method: ProgramMethod, errors: Map<number, ErrorCode[]>) {
  const about = ABOUT[method];
  // The type says the example's shape; the contract also checks what types cannot (a resource's syntax).
  const parsed = contract[method].input.safeParse(about.example);
  if (!parsed.success) throw new Error(`The example of ${method} is not a valid input: ${parsed.error.message}`);
  return {
    post: {
      operationId: method,
      summary: about.summary,
      description: about.description,
      parameters: [
        about.user === undefined
          ? { $ref: '#/components/parameters/onBehalfOf' }
          : { ...onBehalfOfParameter, example: about.user },
      ],
      requestBody: {
        required: true,
        content: json(jsonSchema(contract[method].input, 'input'), about.example),
      },
      responses: {
        200: {
          description: 'The answer, in `value`.',
          content: json(jsonSchema(successResult(method), 'output'), { ok: true, value: about.answer }),
        },
        ...Object.fromEntries([...errors.keys()].map((s) => [s, { $ref: `#/components/responses/Error${s}` }])),
      },
    },
  };
}

/** The service API's OpenAPI document, as committed in docs/service-api.openapi.json. */
export function serviceOpenapi() {
  const errors = errorStatuses();
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Deputy service API',
      version: API_PREFIX.replaceAll('/', ''),
      description:
        'Programs call the contract’s program methods as a service account acting on behalf of a user, under the ' +
        'same rules (R-K5…R-K9) and audit as the console. Generated from src/shared/contract.ts by ' +
        '`npm run docs:openapi`; the guide is docs/service-api.md. Every method is a POST (any other HTTP method ' +
        'answers 405).',
    },
    servers: [
      {
        url: 'http://127.0.0.1:{port}',
        description: 'deputy serve --service-port PORT: loopback, in clear',
        variables: { port: { default: '8443' } },
      },
      {
        url: 'https://{host}:{port}',
        description: 'deputy serve --service-port PORT --service-host HOST --tls-cert FILE --tls-key FILE',
        variables: { host: { default: 'deputy.example.internal' }, port: { default: '8443' } },
      },
    ],
    security: [{ accessKey: [] }],
    paths: Object.fromEntries(PROGRAM_METHODS.map((m) => [`${API_PREFIX}${m}`, operation(m, errors)])),
    components: {
      securitySchemes: {
        accessKey: {
          type: 'http',
          scheme: 'basic',
          description:
            'A service account’s access key: the Access Key ID as user name, the secret as password, i.e. ' +
            '`Authorization: Basic base64(keyId:secret)`. A refused key is never told apart (wrong, expired, ' +
            'disabled, deleted or locked).',
        },
      },
      parameters: {
        onBehalfOf: onBehalfOfParameter,
      },
      responses: Object.fromEntries([...errors].map(([s, codes]) => [`Error${s}`, errorResponse(s, codes)])),
    },
  };
}

export const serviceOpenapiJson = (): string => `${JSON.stringify(serviceOpenapi(), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(OPENAPI_FILE, serviceOpenapiJson());
