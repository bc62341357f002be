// A deterministic stream of audit entries for the audit-log bench (seeded mulberry32, so every run writes the same
// records): 5 logs, ~200 operators of very unequal activity, the core's action names, messages of template words
// plus free text drawn from a Zipf vocabulary, and some records written during impersonation.
import type { AuditEntry } from '../../src/main/kernel/ports';
import type { AuditLogName } from '../../src/shared/model';

function mulberry32(seed: number) {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws items with the given weights (cumulative table, binary search). */
function weighted<T>(items: readonly T[], weights: readonly number[], random: () => number): () => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

const zipfWeights = (n: number, s: number) => Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);

const FIRST = [
  'anna',
  'ben',
  'carla',
  'dmitri',
  'elif',
  'farid',
  'greta',
  'hiro',
  'ines',
  'jonas',
  'kemal',
  'lena',
  'marco',
  'nadia',
  'oscar',
  'priya',
  'quentin',
  'rosa',
  'sven',
  'tara',
  'umar',
  'vera',
  'wei',
  'xenia',
  'yusuf',
  'zoe',
];
const LAST = [
  'adams',
  'berg',
  'costa',
  'dubois',
  'eriksen',
  'fischer',
  'garcia',
  'horvat',
  'ivanova',
  'jensen',
  'kowalski',
  'lindqvist',
  'moreau',
  'novak',
  'okafor',
  'petrov',
  'quinn',
  'rossi',
  'schmidt',
  'tanaka',
  'ueda',
  'varga',
  'weber',
  'yilmaz',
];

/** Words people write in reasons and that the core puts in messages, most frequent first. */
const COMMON_WORDS = [
  'customer',
  'request',
  'ticket',
  'access',
  'support',
  'account',
  'review',
  'update',
  'quarterly',
  'invoice',
  'password',
  'reset',
  'migration',
  'report',
  'printer',
  'onboarding',
  'offboarding',
  'payroll',
  'vendor',
  'contract',
  'escalation',
  'incident',
  'backup',
  'license',
  'renewal',
  'audit',
  'holiday',
  'approval',
  'budget',
  'schedule',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'dun', 'pel', 'sa', 'tor', 'ix', 'bra', 'quel', 'fen', 'mar'];

/** The free-text vocabulary: the common words, then 3,000 made-up ones (names of things, projects, hosts). */
export function vocabulary(): string[] {
  const random = mulberry32(7);
  const words = new Set(COMMON_WORDS);
  while (words.size < COMMON_WORDS.length + 3_000) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

interface ActionKind {
  action: string;
  weight: number;
  message: (g: Draw) => string;
  target?: (g: Draw) => string;
  outcomes?: readonly [number, number, number];
}

interface Draw {
  user(): string;
  flow(): string;
  text(min: number, max: number): string;
  int(n: number): number;
}

const ACTIONS: Record<AuditLogName, ActionKind[]> = {
  main: [
    {
      action: 'auth.signIn',
      weight: 20,
      message: (g) => `Signed in from 10.${g.int(256)}.${g.int(256)}.${g.int(256)}`,
    },
    { action: 'auth.signOut', weight: 12, message: () => 'Signed out' },
    {
      action: 'session.start',
      weight: 8,
      target: (g) => `user:${g.user()}`,
      message: (g) => `Started a session as ${g.user()}: ${g.text(3, 12)}`,
      outcomes: [85, 14, 1],
    },
    { action: 'session.idleLock', weight: 6, message: () => 'Locked after 15 minutes idle' },
    {
      action: 'flow.members',
      weight: 14,
      target: (g) => `flow:${g.flow()}`,
      message: (g) => `Added ${g.user()} to flow ${g.flow()} as editor; ${g.text(2, 8)}`,
    },
    {
      action: 'group.members',
      weight: 6,
      target: (g) => `group:${g.flow()}`,
      message: (g) => `Changed members of group ${g.flow()}: ${g.text(2, 6)}`,
    },
    {
      action: 'principal.status',
      weight: 5,
      target: (g) => `user:${g.user()}`,
      message: (g) => `Set ${g.user()} inactive: ${g.text(3, 10)}`,
    },
    {
      action: 'deny',
      weight: 6,
      target: () => 'account',
      message: (g) => `Refused ${g.text(2, 5)}: no role grants it`,
      outcomes: [0, 100, 0],
    },
    { action: 'audit.export', weight: 1, target: () => 'jsonl', message: (g) => `Exported ${g.int(100_000)} records` },
  ],
  history: [
    {
      action: 'serviceAccount.update',
      weight: 10,
      target: (g) => `sa:svc-${g.flow()}`,
      message: (g) => `Updated service account svc-${g.flow()}: ${g.text(3, 10)}`,
    },
    {
      action: 'flow.impersonation',
      weight: 8,
      target: (g) => `flow:${g.flow()}`,
      message: (g) => `Allowed svc-${g.flow()} to act in flow ${g.flow()}: ${g.text(3, 10)}`,
    },
    {
      action: 'accessKey.create',
      weight: 4,
      message: (g) => `Created an access key for svc-${g.flow()}, expires in ${g.int(365)} days`,
    },
    { action: 'sharedResource.grant', weight: 4, message: (g) => `Granted shared drive to svc-${g.flow()}` },
    { action: 'settings.update', weight: 1, message: (g) => `Changed settings: ${g.text(2, 6)}` },
  ],
  script: [
    {
      action: 'session.start',
      weight: 10,
      target: (g) => `user:${g.user()}`,
      message: (g) => `Script svc-${g.flow()} acted as ${g.user()} in flow ${g.flow()}: ${g.text(4, 14)}`,
      outcomes: [90, 8, 2],
    },
    { action: 'accessKey.check', weight: 6, message: (g) => `Access key checked for svc-${g.flow()}` },
  ],
  exception: [
    {
      action: 'error',
      weight: 1,
      message: (g) => `Unexpected error in ${g.text(1, 2)}: SQLITE_BUSY after 5000 ms; ${g.text(3, 12)}`,
      outcomes: [0, 0, 100],
    },
  ],
  record_deletion: [
    {
      action: 'serviceAccount.delete',
      weight: 3,
      target: (g) => `sa:svc-${g.flow()}`,
      message: (g) => `Deleted service account svc-${g.flow()}: ${g.text(3, 10)}`,
    },
    {
      action: 'accessKey.delete',
      weight: 2,
      message: (g) => `Deleted an access key of svc-${g.flow()}: ${g.text(2, 6)}`,
    },
  ],
};

export interface AuditMix {
  operators: string[];
  words: string[];
  /** The next entry of the stream. */
  next(): AuditEntry;
}

export function auditMix(seed = 20261123): AuditMix {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const people: string[] = [];
  for (const f of FIRST) for (const l of LAST) people.push(`${f}.${l}`);
  const users = Array.from({ length: 10_000 }, (_, i) => `${people[i % people.length]}${Math.floor(i / 600) || ''}`);
  const operators = Array.from({ length: 200 }, (_, i) => people[(i * 7) % people.length]!);
  const flows = Array.from({ length: 1_000 }, (_, i) => `${LAST[i % LAST.length]}-${i}`);
  const words = vocabulary();

  const operator = weighted(operators, zipfWeights(operators.length, 0.9), random);
  const word = weighted(words, zipfWeights(words.length, 1), random);
  const draw: Draw = {
    user: () => users[int(users.length)]!,
    flow: () => flows[int(flows.length)]!,
    int,
    text(min, max) {
      const n = min + int(max - min + 1);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(word());
      return out.join(' ');
    },
  };
  const logs: AuditLogName[] = ['main', 'history', 'script', 'exception', 'record_deletion'];
  const log = weighted(logs, [70, 15, 9, 4, 2], random);
  const kinds = Object.fromEntries(
    logs.map((l) => [
      l,
      weighted(
        ACTIONS[l],
        ACTIONS[l].map((a) => a.weight),
        random,
      ),
    ]),
  ) as Record<AuditLogName, () => ActionKind>;
  const outcomes = ['ok', 'refused', 'error'] as const;

  return {
    operators,
    words,
    next(): AuditEntry {
      const l = log();
      const kind = kinds[l]();
      const [ok, refused] = kind.outcomes ?? [94, 5, 1];
      const o = random() * 100;
      const outcome = outcomes[o < ok ? 0 : o < ok + refused ? 1 : 2];
      const op = random() < 0.02 ? null : operator();
      // ~7 % of records are written during an impersonation session: done as another user, by the operator.
      const impersonating = op !== null && random() < 0.07;
      return {
        log: l,
        operator: op,
        effectiveUser: impersonating ? draw.user() : undefined,
        impersonator: impersonating ? op : null,
        action: kind.action,
        target: kind.target?.(draw) ?? null,
        outcome,
        message: kind.message(draw),
        details: random() < 0.6 ? { requestId: int(1e9), client: random() < 0.8 ? 'app' : 'cli' } : undefined,
      };
    },
  };
}
