// A portal's findings (R-A1–R-A3), like decide(): the facts in, the report out, no I/O. Per use case and object:
// the level required, the level the service account holds and how, and a verdict; then the account's own entries on
// objects none of its portals needs (R-A2, least privilege); then the warnings, among them one per group or Default
// giving the account objects it does not need.
import {
  BLOCKING_WARNINGS,
  DEFAULT_GRANTEE_LABEL,
  KIND_LABELS,
  LEVEL_LABELS,
  REACH_EXAMPLES,
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
import { defaultFix, grantFix, lowerFix, removeOwnFix } from './fixes';
import { granteesOf, reachSources, sourceGrants, type GranteeIndex } from './grantees';
import { heldBy, type PortalFacts } from './held';
import { needsOf, rowsOf, type Needs } from './needs';

const describeHeld = (held: HeldEntry[]): string =>
  held.length ? held.map((h) => `${LEVEL_LABELS[h.level]} ${describeVia(h.how)}`).join(', ') : 'no entry';

/**
 * R-A1: the account a portal names must be a service account (a member of the system group Service Account), and an
 * active one: an inactive account's key authenticates nothing, so publishing one would hand out a key that never works.
 */
function accountWarning(facts: PortalFacts, portal: Portal): PortalWarning[] {
  const account = portal.serviceAccount;
  const p = facts.principals.get(account);
  if (p?.kind === 'service' && p.status === 'active') return [];
  const [kind, message]: [PortalWarning['kind'], string] =
    p?.kind === 'service'
      ? [
          'account_inactive',
          `Service account ${account} is inactive: the portal's key authenticates nothing until it is reactivated (Directory).`,
        ]
      : [
          'account_not_service',
          p
            ? `${account} is not a service account; a portal authenticates through exactly one service account.`
            : `${account} no longer exists; give the portal a service account.`,
        ];
  return [{ id: 'R-A1|account', rule: 'R-A1', kind, message, fix: null }];
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

/** R-A3: Default (All Other Users) with Viewer or more on a record type the portal uses. */
function defaultWarnings(facts: PortalFacts, needs: Needs, portal: Portal): PortalWarning[] {
  const names = new Set(portal.uses.flatMap((u) => u.objects));
  const warnings: PortalWarning[] = [];
  for (const name of [...names].sort()) {
    const o = facts.objects.get(name);
    if (o?.kind !== 'record_type') continue;
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
 * Where the account holds nothing whatever it is granted: a Deny reaching it (its own, a group's, Default's) wins.
 * Small: a few Deny entries per account.
 */
function deniedTo(index: GranteeIndex, account: string, groups: readonly string[]): Set<string> {
  const denied = new Set(index.of({ type: 'user', name: account }).denied);
  for (const g of groups) for (const name of index.of({ type: 'group', name: g }).denied) denied.add(name);
  for (const name of index.of({ type: 'default' }).denied) denied.add(name);
  return denied;
}

/**
 * R-A2, least privilege: the account's own entries on objects none of its portals needs (needs over all its portals,
 * as for "more than needed": what a sibling portal needs is the shared-account warning's concern). Read from the
 * account's entries in the grantee index, never from every object. Where a Deny reaches the account its entry gives
 * nothing, so there is nothing to flag.
 */
function unneededGrants(facts: PortalFacts, needs: Needs, portal: Portal, denied: Set<string>): UnneededGrant[] {
  const account = portal.serviceAccount;
  const flagged: UnneededGrant[] = [];
  for (const { object: name, level } of granteesOf(facts).of({ type: 'user', name: account }).grants) {
    if (needs.of(account, name) || denied.has(name)) continue;
    const kind = facts.objects.get(name)!.kind;
    flagged.push({
      id: `unneeded|${name}`,
      object: name,
      kind,
      level,
      message: `${account} has its own ${LEVEL_LABELS[level]} entry on ${KIND_LABELS[kind]} ${name}, which no use case of its portals needs (least privilege).`,
      fix: removeOwnFix(account, name, level),
    });
  }
  return flagged;
}

/**
 * R-A2 (and R-A3 for Default): what each of the account's groups, the Service Account system group included, and
 * Default (All Other Users) give it on objects none of its portals needs. Taking that away is a decision about every
 * member of the group, or every user, not this portal's: one warning per source, with how many objects and a few
 * names, and no fix. Counted from the source's entries in the grantee index (or, for one portal's facts, SQLite's
 * count), less the few objects excluded (needed, or denied to the account): no object is visited one by one.
 */
function reachWarnings(facts: PortalFacts, needs: Needs, portal: Portal, denied: Set<string>): PortalWarning[] {
  const account = portal.serviceAccount;
  const excluded = new Set([...needs.objectsOf(account), ...denied]);
  const warnings: PortalWarning[] = [];
  for (const source of reachSources(facts.groupsOf.get(account) ?? [])) {
    const grants = sourceGrants(facts, source);
    let skipped = 0;
    for (const name of excluded) if (grants.grants(name)) skipped++;
    const count = grants.count - skipped;
    if (count === 0) continue;
    // At most `skipped` of the first names are excluded, so these hold every example there is.
    const examples = grants
      .first(REACH_EXAMPLES + skipped)
      .filter((name) => !excluded.has(name))
      .slice(0, REACH_EXAMPLES);
    const objects = `${count} object${count === 1 ? '' : 's'} none of ${account}'s portals needs (${examples.join(', ')}${count > examples.length ? ', …' : ''})`;
    const message =
      source.type === 'group'
        ? `Group ${source.name} gives ${account} ${objects}: every member of the group reaches them, so taking them away is a decision about the group, not this portal (least privilege).`
        : `${DEFAULT_GRANTEE_LABEL} gives ${account} ${objects}: service accounts count as users (R-A3), so every user and service account reaches them; taking them away is a decision about everyone, not this portal (least privilege).`;
    warnings.push({
      id: `reach|${source.type === 'group' ? `group:${source.name}` : 'default'}`,
      rule: 'R-A2',
      kind: 'unneeded_reach',
      message,
      fix: null,
      reach: { source, count, examples },
    });
  }
  return warnings;
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
  const account = portal.serviceAccount;
  // A gone account holds nothing (the R-A1 warning says so): nothing beyond its needs to flag.
  const exists = facts.principals.has(account);
  const denied = exists ? deniedTo(granteesOf(facts), account, facts.groupsOf.get(account) ?? []) : new Set<string>();
  const unneeded = exists ? unneededGrants(facts, needs, portal, denied) : [];
  const warnings = [
    ...accountWarning(facts, portal),
    ...defaultWarnings(facts, needs, portal),
    ...(exists ? reachWarnings(facts, needs, portal, denied) : []),
    ...sharedWarnings(facts, portal),
  ];
  // R-A2: missing grants are errors; anything beyond them is flagged, so neither unneeded grants nor the reach
  // warnings block publishing.
  const blocked =
    findings.some((f) => f.verdict === 'missing') || warnings.some((w) => BLOCKING_WARNINGS.includes(w.kind));
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
