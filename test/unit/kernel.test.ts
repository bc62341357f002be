// The core's seams: the kernel (src/main/kernel) imports nothing above it, src/main (with the src/shared
// it imports) has no import cycle but the named ones, and each core owns its impersonation expiry timers,
// which read its clock (R-S10).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { demoCore, signIn, type TestCore } from './helpers';

const root = join(import.meta.dirname, '../..');
const MINUTE = 60_000;
const DAY = 86_400_000;

// ---- The import graph of src/main and src/shared, from the source text ----

/** A path from the repository root, with forward slashes: `src/main/kernel/context.ts`. */
const rel = (abs: string) => relative(root, abs).split(sep).join('/');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [rel(path)] : [];
  });
}

interface ImportSite {
  specifier: string;
  /** Erased at build time (`import type`, `export type … from`, `import('…').T`): no load order, only a dependency. */
  typeOnly: boolean;
}

/** Static imports and re-exports, `import x = require()`, dynamic `import()`, and `import('…')` types. */
function importsOf(file: string): ImportSite[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: ImportSite[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      // A computed specifier cannot be followed: it is reported as unresolved rather than missed.
      const specifier = arg && ts.isStringLiteralLike(arg) ? arg.text : `<computed> ${node.getText(source)}`;
      found.push({ specifier, typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

type Target = { kind: 'file'; path: string } | { kind: 'builtin' | 'package' | 'unresolved' };

function resolveImport(from: string, specifier: string): Target {
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return { kind: 'builtin' };
  if (!specifier.startsWith('.')) {
    return /^(@[\w.-]+\/)?[\w.-]+(\/.*)?$/.test(specifier) ? { kind: 'package' } : { kind: 'unresolved' };
  }
  const base = resolve(root, dirname(from), specifier);
  const candidates = [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  const found = candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
  return found ? { kind: 'file', path: rel(found) } : { kind: 'unresolved' };
}

interface Edge {
  from: string;
  to: string;
  specifier: string;
  typeOnly: boolean;
}

const files = [...tsFiles(join(root, 'src/main')), ...tsFiles(join(root, 'src/shared'))];
const sites = files.flatMap((from) =>
  importsOf(from).map((site) => ({ from, ...site, target: resolveImport(from, site.specifier) })),
);
const edges: Edge[] = sites.flatMap(({ from, specifier, typeOnly, target }) =>
  target.kind === 'file' ? [{ from, to: target.path, specifier, typeOnly }] : [],
);

const isKernel = (path: string) => path.startsWith('src/main/kernel/');
const isShared = (path: string) => path.startsWith('src/shared/');

function graphOf(list: readonly Edge[]): Map<string, string[]> {
  const graph = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of list) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  return graph;
}

/** Tarjan: the strongly connected components with a cycle in them (more than one file, or a self-import). */
function cyclicComponents(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

/** One cycle through the component's first file, written `a.ts → b.ts → a.ts`, for the failure message. */
function cycleIn(component: string[], graph: Map<string, string[]>): string {
  const [start] = component;
  const inside = new Set(component);
  const cameFrom = new Map<string, string>();
  const queue = [start!];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start].join(' → ');
      }
      if (inside.has(w) && !cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return component.join(', ');
}

/**
 * The cycles src/main and src/shared still have, each by name, as the import edges that close them. Any
 * other cycle fails.
 * Each edge here must be type-only (erased at build time, so nothing is loaded in a loop).
 */
const KNOWN_CYCLES: { name: string; closes: (e: Edge) => boolean }[] = [
  {
    // Every released migration takes its Migration type from the runner that imports them all; released
    // migrations are frozen (README), so the type stays where they find it.
    name: 'store/migrations/NNN-*.ts ⇄ store/migrations/index.ts (import type { Migration })',
    closes: (e) =>
      /^src\/main\/store\/migrations\/\d{3}-[\w-]+\.ts$/.test(e.from) && e.to === 'src/main/store/migrations/index.ts',
  },
  {
    // The bundle schema reuses the contract's username and name schemas; the contract names the bundle's types.
    name: 'shared/contract.ts ⇄ shared/bundle.ts (import type { Bundle, ImportPlan })',
    closes: (e) => e.from === 'src/shared/contract.ts' && e.to === 'src/shared/bundle.ts',
  },
];

describe('the kernel imports nothing above it, and src/main and src/shared have no import cycle', () => {
  it('finds the files and their imports', () => {
    expect(files).toContain('src/main/kernel/context.ts');
    expect(edges).toContainEqual({
      from: 'src/main/kernel/context.ts',
      to: 'src/main/kernel/ports.ts',
      specifier: './ports',
      typeOnly: true,
    });
    expect(edges.length).toBeGreaterThan(files.length);
  });

  it('resolves every import: relative ones to files, the rest to node builtins or packages', () => {
    const unresolved = sites.filter((s) => s.target.kind === 'unresolved').map((s) => `${s.from}: ${s.specifier}`);
    expect(unresolved).toEqual([]);
  });

  it('kernel files import only kernel files, src/shared, node builtins and packages', () => {
    const above = edges
      .filter((e) => isKernel(e.from) && !isKernel(e.to) && !isShared(e.to))
      .map((e) => `${e.from} imports ${e.specifier} (${e.to})`);
    expect(above).toEqual([]);
  });

  it('nothing the kernel reaches, through src/shared or otherwise, is above it', () => {
    const graph = graphOf(edges);
    const reached = new Set(files.filter(isKernel));
    for (const file of reached) for (const next of graph.get(file) ?? []) reached.add(next);
    expect([...reached].filter((f) => !isKernel(f) && !isShared(f))).toEqual([]);
  });

  it('no import cycle passes through the kernel', () => {
    const graph = graphOf(edges);
    const throughKernel = cyclicComponents(graph)
      .filter((c) => c.some(isKernel))
      .map((c) => cycleIn(c, graph));
    expect(throughKernel).toEqual([]);
  });

  it('no import cycle but the named ones, and those only through type imports', () => {
    const known = edges.filter((e) => KNOWN_CYCLES.some((k) => k.closes(e)));
    expect(known.filter((e) => !e.typeOnly).map((e) => `${e.from} → ${e.to}`)).toEqual([]);
    for (const { name, closes } of KNOWN_CYCLES) expect(edges.some(closes), `still needed: ${name}`).toBe(true);
    const graph = graphOf(edges.filter((e) => !known.includes(e)));
    expect(cyclicComponents(graph).map((c) => cycleIn(c, graph))).toEqual([]);
  });
});

// ---- Impersonation expiry timers: one set per core, on the core's clock ----

const endOf = (core: TestCore, id: number) =>
  core.app.db.prepare(`SELECT end_reason, ended_at FROM impersonation_sessions WHERE id = ?`).get(id) as {
    end_reason: string | null;
    ended_at: string | null;
  };

describe('R-S10: each core owns its impersonation expiry timers', () => {
  it.each([
    ['closing the first core', (first: TestCore) => first.close()],
    [
      'ending the first core’s session (Back to me)',
      async (first: TestCore) => {
        await first.must('ian', 'impersonation.end', {});
      },
    ],
  ])('%s leaves the second core’s timer to end its own session as expired', async (_what, endFirst) => {
    const [first, second] = [await demoCore(), await demoCore()];
    second.clock.advance(3 * DAY); // two databases, two clocks
    for (const core of [first, second]) await signIn(core, 'ian');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const a = await first.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'REQ-1', minutes: 10 });
      const b = await second.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'REQ-2', minutes: 10 });
      expect(b.id).toBe(a.id); // each database numbers its sessions from 1: one shared map would mix them up
      await endFirst(first);
      second.clock.advance(10 * MINUTE);
      // No call reaches the second core, so only its timer can end the session.
      expect(endOf(second, b.id)).toEqual({ end_reason: null, ended_at: null });
      vi.advanceTimersByTime(10 * MINUTE + 1000);
      expect(endOf(second, b.id)).toEqual({ end_reason: 'expired', ended_at: second.clock.now.toISOString() });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('R-S10: a session expires by its core’s clock, not by Date.now()', () => {
  it.each([
    ['a day behind', -DAY],
    ['a day ahead of', DAY],
  ])('with the system time %s the core’s clock', async (_what, offset) => {
    const core = await demoCore();
    await signIn(core, 'ian');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: core.clock.now.getTime() + offset });
    try {
      const s = await core.must('ian', 'impersonation.start', { username: 'jdoe', reason: 'REQ-1', minutes: 10 });
      expect(s.expiresAt).toBe(new Date(core.clock.now.getTime() + 10 * MINUTE).toISOString());
      core.clock.advance(9 * MINUTE);
      vi.advanceTimersByTime(9 * MINUTE);
      expect(endOf(core, s.id).end_reason).toBeNull();
      // The check on every call compares with the core's clock too.
      expect((await core.must('ian', 'app.status', {})).impersonation?.id).toBe(s.id);
      core.clock.advance(MINUTE);
      vi.advanceTimersByTime(MINUTE + 1000);
      expect(endOf(core, s.id)).toEqual({ end_reason: 'expired', ended_at: core.clock.now.toISOString() });
    } finally {
      vi.useRealTimers();
    }
  });
});
