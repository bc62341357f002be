// A portal's findings (R-A1–R-A3), like decide(): the facts in, the report out, no I/O. Per use case and object:
// the level required, the level the service account holds and how, and a verdict; then every other object the
// account holds a grant on (R-A2: beyond least privilege); then the warnings.
import {
  DEFAULT_GRANTEE_LABEL,
  KIND_LABELS,
  LEVEL_LABELS,
  USE_CASE_TABLE,
  describeVia,
  rank,
  requirementLabel,
  type GrantLevel,
  type HeldEntry,
  type Portal,
  type PortalFinding,
  type PortalReport,
  type PortalWarning,
  type RecordTypeAccess,
  type UnneededGrant,
  type Verdict,
} from '../../shared/portals';
import { defaultFix, grantFix, lowerFix, removeFix } from './fixes';
import { heldBy, type PortalFacts } from './held';
import { needsOf, rowsOf, type Needs } from './needs';

const describeHeld = (held: HeldEntry[]): string =>
  held.length ? held.map((h) => `${LEVEL_LABELS[h.level]} ${describeVia(h.how)}`).join(', ') : 'no entry';

/** R-A1: the account a portal names must be a service account (a member of the system group Service Account). */
function accountWarning(facts: PortalFacts, portal: Portal): PortalWarning[] {
  const p = facts.principals.get(portal.serviceAccount);
  if (p?.kind === 'service') return [];
  return [
    {
      id: 'R-A1|account',
      rule: 'R-A1',
      kind: 'account_not_service',
      message: p
        ? `${portal.serviceAccount} is not a service account; a portal authenticates through exactly one service account.`
        : `${portal.serviceAccount} no longer exists; give the portal a service account.`,
      fix: null,
    },
  ];
}

/** One service account serving two portals: each portal can reach what the other's use cases need. */
function sharedWarnings(facts: PortalFacts, portal: Portal): PortalWarning[] {
  return facts.portals
    .filter((p) => p.name !== portal.name && p.serviceAccount === portal.serviceAccount)
    .map((other) => ({
      id: `shared|${other.name}`,
      rule: 'R-A1',
      kind: 'shared_account',
      message: `${portal.serviceAccount} also serves portal ${other.name}, so each portal gets the other's rights; give each portal its own service account (least privilege).`,
      fix: null,
    }));
}

/**
 * R-A3: Default (All Other Users) with Viewer or more on any record type, used by the portal or not: it reaches the
 * portal's service account like every other.
 */
function defaultWarnings(facts: PortalFacts, needs: Needs): PortalWarning[] {
  const warnings: PortalWarning[] = [];
  for (const name of [...facts.objects.keys()].sort()) {
    const o = facts.objects.get(name)!;
    if (o.kind !== 'record_type') continue;
    const entry = o.permissions.find((e) => e.grantee.type === 'default');
    if (!entry || entry.level === 'deny' || rank(entry.level) < rank('viewer')) continue;
    warnings.push({
      id: `R-A3|${name}`,
      rule: 'R-A3',
      kind: 'default_viewer',
      message: `${DEFAULT_GRANTEE_LABEL} has ${LEVEL_LABELS[entry.level]} on record type ${name}: service accounts count as users, so every service account (and every signed-in user) can read it.`,
      fix: defaultFix(facts, needs, o),
    });
  }
  return warnings;
}

/**
 * R-A2, least privilege: every object the account holds a grant on (directly, through a group, or through Default
 * (All Other Users)) that no use case of its portals needs. Needs are the account's, over all its portals, as for
 * "more than needed": what a sibling portal needs is the shared-account warning's concern. A Deny reaching the
 * account leaves it nothing there, so nothing to flag.
 */
function unneededGrants(facts: PortalFacts, needs: Needs, portal: Portal): UnneededGrant[] {
  const account = portal.serviceAccount;
  // A gone account holds nothing; the R-A1 warning says so.
  if (!facts.principals.has(account)) return [];
  const flagged: UnneededGrant[] = [];
  for (const name of [...facts.objects.keys()].sort()) {
    if (needs.of(account, name)) continue;
    const object = facts.objects.get(name)!;
    const { actual, held } = heldBy(facts, account, object);
    if (actual === null || actual === 'deny') continue;
    flagged.push({
      id: `unneeded|${name}`,
      object: name,
      kind: object.kind,
      actual,
      held,
      message: `${account} holds ${LEVEL_LABELS[actual]} on ${KIND_LABELS[object.kind]} ${name} (${describeHeld(held)}), which no use case of its portals needs (least privilege).`,
      fix: removeFix(facts, needs, account, object),
    });
  }
  return flagged;
}

function verdictOf(level: GrantLevel | null, min: GrantLevel, max: GrantLevel): Verdict {
  if (level === null || rank(level) < rank(min)) return 'missing';
  return rank(level) > rank(max) ? 'more_than_needed' : 'exact';
}

function findingsOf(facts: PortalFacts, needs: Needs, portal: Portal): PortalFinding[] {
  const account = portal.serviceAccount;
  return rowsOf(facts, portal).map((row) => {
    const object = facts.objects.get(row.object)!;
    const need = needs.of(account, row.object) ?? row;
    const { actual, held } = heldBy(facts, account, object);
    const level = actual === 'deny' ? null : actual;
    const verdict = verdictOf(level, row.min, need.max);
    const has = `${level ? LEVEL_LABELS[level] : 'nothing'}`;
    const what = `${KIND_LABELS[object.kind]} ${object.name}`;
    const uses = USE_CASE_TABLE[row.useCase].label;
    const required = { min: row.min, max: row.max };
    const message =
      verdict === 'missing'
        ? actual === 'deny'
          ? `${account} is denied on ${what} (${describeHeld(held.filter((h) => h.level === 'deny'))}); a Deny wins over every grant, so ${uses} cannot work until it is lifted.`
          : `${account} needs ${requirementLabel(required)} on ${what} to ${uses}, and has ${level ? `${has} (${describeHeld(held)})` : has}.`
        : verdict === 'exact'
          ? `${account} has ${has} on ${what} (${describeHeld(held)}): what ${uses} needs.`
          : `${account} has ${has} on ${what} (${describeHeld(held)}); its portals need at most ${LEVEL_LABELS[need.max]} there.`;
    const fix =
      verdict === 'missing'
        ? grantFix(facts, needs, account, object)
        : verdict === 'more_than_needed'
          ? lowerFix(facts, needs, account, object)
          : null;
    return {
      id: `${row.useCase}|${row.object}`,
      useCase: row.useCase,
      object: row.object,
      kind: object.kind,
      required,
      actual,
      held,
      verdict,
      message,
      fix,
    };
  });
}

/** The report of one portal of `facts`; `needs` may be passed when reporting on many portals of the same facts. */
export function portalReport(facts: PortalFacts, portal: Portal, needs: Needs = needsOf(facts)): PortalReport {
  const findings = findingsOf(facts, needs, portal);
  const unneeded = unneededGrants(facts, needs, portal);
  const warnings = [
    ...accountWarning(facts, portal),
    ...defaultWarnings(facts, needs),
    ...sharedWarnings(facts, portal),
  ];
  // R-A2: missing grants are errors; anything beyond them is flagged, so unneeded grants never block publishing.
  const blocked =
    findings.some((f) => f.verdict === 'missing') || warnings.some((w) => w.kind === 'account_not_service');
  return { portal, findings, unneeded, warnings, blocked };
}

/** Every portal's report, over one computation of what each account needs. */
export function allReports(facts: PortalFacts): PortalReport[] {
  const needs = needsOf(facts);
  return facts.portals.map((p) => portalReport(facts, p, needs));
}

/** "View record type permissions for the service account": every record type it reaches, and how. */
export function recordTypeAccess(facts: PortalFacts, account: string): RecordTypeAccess[] {
  const reached: RecordTypeAccess[] = [];
  for (const o of [...facts.objects.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (o.kind !== 'record_type') continue;
    const { actual, held } = heldBy(facts, account, o);
    if (actual !== null && actual !== 'deny') reached.push({ object: o.name, actual, held });
  }
  return reached;
}
