// Keeps SQL on a table in that table's repository (src/main/store/repositories.ts): reads every module under src/main
// (migrations aside: they make the tables) and fails on SQL naming a table outside the modules the map gives it.
// Only string and template literals are read, so comments and identifiers never count.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPOSITORIES, type Repository, type Table } from '../../src/main/store/repositories';

const MAIN = join(import.meta.dirname, '../../src/main');
const MIGRATIONS = 'store/migrations/';

const TABLES = Object.keys(REPOSITORIES) as Table[];
const repositoryOf = (table: Table): Repository => REPOSITORIES[table];

interface Mention {
  line: number;
  table: Table;
  /** INSERT INTO, UPDATE, DELETE FROM, or a table statement; a table given through `${…}` counts as one too. */
  write: boolean;
}

const KEYWORD = /\b(from|join|into|update|table)\s+([a-z_][a-z0-9_]*)\b/gi;
/** A keyword right before `${`: the table's name is an expression, e.g. `SELECT 1 FROM ${table}`. */
const DYNAMIC = /\b(from|join|into|update|table)\s+\$\{/i;
const isTable = (name: string): name is Table => (TABLES as string[]).includes(name);

/**
 * The tables SQL in `source` names, with their lines. A table given as `${expression}` is resolved the simple way:
 * every string literal in the module that is exactly a table's name counts as naming it; with none, `table` is null.
 */
function sqlMentions(fileName: string, source: string): (Omit<Mention, 'table'> & { table: Table | null })[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line + 1;
  const found: (Omit<Mention, 'table'> & { table: Table | null })[] = [];
  const dynamic: number[] = [];
  const names: { pos: number; table: Table }[] = [];

  // Raw source text of each literal (and of each literal part of a template), so that positions are lines.
  const scan = (start: number, end: number) => {
    const text = source.slice(start, end);
    for (const m of text.matchAll(KEYWORD)) {
      const table = m[2]!.toLowerCase();
      if (!isTable(table)) continue;
      const keyword = m[1]!.toLowerCase();
      const deleteFrom = keyword === 'from' && /\bdelete\s+$/i.test(text.slice(0, m.index));
      found.push({
        line: lineOf(start + m.index),
        table,
        write: (keyword !== 'from' && keyword !== 'join') || deleteFrom,
      });
    }
    if (DYNAMIC.test(text)) dynamic.push(start + text.search(DYNAMIC));
  };
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      scan(node.getStart(file), node.end);
      if (isTable(node.text)) names.push({ pos: node.getStart(file), table: node.text });
    } else if (ts.isTemplateExpression(node)) {
      scan(node.head.getStart(file), node.head.end);
      for (const span of node.templateSpans) scan(span.literal.getStart(file), span.literal.end);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);

  for (const pos of dynamic) {
    if (names.length === 0) found.push({ line: lineOf(pos), table: null, write: true });
    for (const n of names) found.push({ line: lineOf(n.pos), table: n.table, write: true });
  }
  return found;
}

function modules(dir = MAIN): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') ? [relative(MAIN, path).split(sep).join('/')] : [];
  });
}

interface Violation {
  module: string;
  line: number;
  table: Table | null;
  why: string;
}

function violations(): Violation[] {
  const out: Violation[] = [];
  for (const module of modules()) {
    if (module.startsWith(MIGRATIONS)) continue;
    for (const m of sqlMentions(module, readFileSync(join(MAIN, module), 'utf8'))) {
      if (m.table === null) {
        out.push({ module, line: m.line, table: null, why: 'names a table through `${…}` that this test cannot tell' });
        continue;
      }
      const repo = repositoryOf(m.table);
      if (repo.modules.includes(module)) continue;
      const reader = (repo.readBy ?? []).includes(module);
      if (reader && !m.write) continue;
      const owners = repo.modules.join(', ');
      out.push({
        module,
        line: m.line,
        table: m.table,
        why: reader
          ? `writes ${m.table}, which it may only read: move the write to ${owners}`
          : `names ${m.table}, whose SQL lives in ${owners}`,
      });
    }
  }
  return out;
}

const describeViolation = (v: Violation) => `src/main/${v.module}:${v.line} ${v.why}`;

describe('repositories', () => {
  it('the map covers every table the migrations create, and names modules that exist', () => {
    const created = new Set<string>();
    for (const module of modules().filter((m) => m.startsWith(MIGRATIONS))) {
      const text = readFileSync(join(MAIN, module), 'utf8');
      for (const m of text.matchAll(
        /\bCREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/gi,
      )) {
        created.add(m[1]!.toLowerCase());
      }
    }
    expect([...created].sort()).toEqual([...TABLES].sort());
    const all = new Set(modules());
    const named = TABLES.flatMap((t) => [...repositoryOf(t).modules, ...(repositoryOf(t).readBy ?? [])]);
    expect(named.filter((m) => !all.has(m))).toEqual([]);
  });

  it('SQL names a table only in its repository', () => {
    expect(violations().map(describeViolation)).toEqual([]);
  });

  it('finds tables in string and template literals, in any case, and nowhere else', () => {
    const source = [
      `// SELECT * FROM principals: a comment is not SQL`,
      `const a = db.prepare('select id from Principals where id = ?');`,
      `const b = db.prepare(\`SELECT g.name FROM group_members m`,
      `  JOIN groups g ON g.id = m.group_id\`);`,
      `const c = \`INSERT OR IGNORE INTO flow_members VALUES (\${x})\`;`,
      `const d = "DELETE FROM notices WHERE id = ?";`,
      `const e = 'SELECT * FROM audit_log INDEXED BY audit_log_operator';`,
      `const f = 'UPDATE settings SET value = 1'; const principals_table = 'FROM principals_x';`,
    ].join('\n');
    expect(sqlMentions('x.ts', source)).toEqual([
      { line: 2, table: 'principals', write: false },
      { line: 3, table: 'group_members', write: false },
      { line: 4, table: 'groups', write: false },
      { line: 5, table: 'flow_members', write: true },
      { line: 6, table: 'notices', write: true },
      { line: 7, table: 'audit_log', write: false },
      { line: 8, table: 'settings', write: true },
    ]);
  });

  it('resolves a table given through `${…}` by the table names the module spells out', () => {
    const resolved = [
      `function exists(table: 'groups' | 'flows', name: string) {`,
      `  return db.prepare(\`SELECT 1 FROM \${table} WHERE name = ?\`).get(name);`,
      `}`,
      `exists('flows', 'x');`,
    ].join('\n');
    expect(sqlMentions('x.ts', resolved)).toEqual([
      { line: 1, table: 'groups', write: true },
      { line: 1, table: 'flows', write: true },
      { line: 4, table: 'flows', write: true },
    ]);
    expect(sqlMentions('x.ts', 'const q = `SELECT 1 FROM ${name}`;')).toEqual([{ line: 1, table: null, write: true }]);
  });
});
