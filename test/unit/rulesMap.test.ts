// Keeps docs/rules.md true: every rule id of ../shared/RULES.md has a row, every path and name a row gives exists,
// every test file a row lists names the rule, and every rule the map calls built has a test whose title or comment
// names it. The rules that are not (fully) built are listed here by hand, so that they stay visible and building one
// means updating the map too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const RULES_PATH = join(root, '../shared/RULES.md');
const MAP_PATH = join(root, 'docs/rules.md');

/** Rules nothing enforces yet (docs/rules.md status "not built yet"). */
const NOT_BUILT: string[] = [];
/** Rules enforced in part (status "partly built"); the map says what is missing and which issue builds it. */
const PARTLY_BUILT: string[] = [];

type Status = 'built' | 'partly built' | 'not built yet';

interface CodeRef {
  path: string;
  names: string[];
}

interface Row {
  id: string;
  line: number;
  status: Status | null;
  statusText: string;
  code: CodeRef[];
  tests: string[];
  problems: string[];
}

const ID = /^R-[A-Z]+\d+$/;
const looksLikePath = (token: string) => /^[\w.-]+(\/[\w.-]+)+\.\w+$/.test(token);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `R-K1` in text, but not inside `R-K10`. */
const idPattern = (id: string) => new RegExp(`(?<![\\w-])${escapeRegExp(id)}(?!\\d)`);
/** A name as a whole word of source text (`keys.create` included). */
const namePattern = (name: string) => new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`);
const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

function readRulesMd(): string {
  if (!existsSync(RULES_PATH)) {
    throw new Error(
      `../shared/RULES.md is missing (looked at ${RULES_PATH}). The rules map is checked against it: clone the ` +
        `shared folder beside the repository, as CI does.`,
    );
  }
  return readFileSync(RULES_PATH, 'utf8');
}

/** Rule ids in RULES.md: each rule is a list item that starts with its id. */
function ruleIds(): string[] {
  return [...readRulesMd().matchAll(/^- (R-[A-Z]+\d+)\b/gm)].map((m) => m[1]!);
}

function parseMap(text: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line.startsWith('|')) return;
    const cells = line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
    if (!ID.test(cells[0] ?? '')) return; // a header or separator row
    const problems: string[] = [];
    if (cells.length !== 5) problems.push(`has ${cells.length} cells, not 5 (rule, demand, status, code, tests)`);
    const [id = '', demand = '', statusText = '', codeCell = '', testCell = ''] = cells;
    if (!demand) problems.push('says nothing about what the rule asks for');
    const status = (/^(not built yet|partly built|built)\b/.exec(statusText)?.[1] ?? null) as Status | null;
    if (!status) problems.push(`status "${statusText}" is not built, partly built or not built yet`);

    const code: CodeRef[] = [];
    for (const token of backticked(codeCell)) {
      if (looksLikePath(token)) code.push({ path: token, names: [] });
      else if (code.length) code.at(-1)!.names.push(token);
      else problems.push(`code cell names \`${token}\` before any file`);
    }
    const tests = backticked(testCell);
    rows.push({ id, line: i + 1, status, statusText, code, tests, problems });
  });
  return rows;
}

function testFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return testFilesUnder(full);
    return /\.(test|spec)\.ts$/.test(name) ? [relative(root, full)] : [];
  });
}

/** The text of a test file's describe/it/test titles and its comments: where a test names the rule it checks. */
function titlesAndComments(source: string): string {
  const titles = [
    ...source.matchAll(/\b(?:describe|it|test)(?:\.\w+(?:\([^)]*\))?)*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g),
  ].map((m) => m[2]!);
  const comments = [...source.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)].map((m) => m[0]);
  return [...titles, ...comments].join('\n');
}

const mapText = existsSync(MAP_PATH) ? readFileSync(MAP_PATH, 'utf8') : '';
const rows = parseMap(mapText);
const at = (r: Row) => `docs/rules.md:${r.line} ${r.id}`;
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const isFile = (path: string) => existsSync(join(root, path)) && statSync(join(root, path)).isFile();
const thisFile = relative(root, import.meta.filename);

describe('docs/rules.md, the rules map', () => {
  it('exists and has well-formed rows', () => {
    expect(existsSync(MAP_PATH), `${MAP_PATH} is missing`).toBe(true);
    expect(rows.length, 'no rule rows found in docs/rules.md').toBeGreaterThan(0);
    expect(rows.flatMap((r) => r.problems.map((p) => `${at(r)} ${p}`))).toEqual([]);
  });

  it('has exactly one row for every rule id in ../shared/RULES.md, and none for ids it does not have', () => {
    const ids = ruleIds();
    expect(ids.length, `no rule ids found in ${RULES_PATH}`).toBeGreaterThan(0);
    const mapped = rows.map((r) => r.id);
    expect(
      ids.filter((id) => !mapped.includes(id)),
      'rule ids of RULES.md with no row in docs/rules.md',
    ).toEqual([]);
    expect(
      mapped.filter((id) => !ids.includes(id)),
      'rows in docs/rules.md for ids RULES.md does not have',
    ).toEqual([]);
    expect(
      mapped.filter((id, i) => mapped.indexOf(id) !== i),
      'rule ids with more than one row',
    ).toEqual([]);
  });

  it('names only code files that exist, and names in them that exist', () => {
    const problems = rows.flatMap((r) =>
      r.code.flatMap(({ path, names }) => {
        if (!isFile(path)) return [`${at(r)}: ${path} does not exist`];
        const source = read(path);
        return names.filter((n) => !namePattern(n).test(source)).map((n) => `${at(r)}: ${path} has no ${n}`);
      }),
    );
    expect(problems).toEqual([]);
  });

  it('lists only test files that exist and name the rule id', () => {
    const problems = rows.flatMap((r) =>
      r.tests.flatMap((path) => {
        if (!/^test\/.+\.(test|spec)\.ts$/.test(path)) return [`${at(r)}: ${path} is not a test file under test/`];
        if (!isFile(path)) return [`${at(r)}: ${path} does not exist`];
        return idPattern(r.id).test(read(path)) ? [] : [`${at(r)}: ${path} does not contain ${r.id}`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('gives every built or partly built rule code, tests, and a test under test/ whose title or comment names it', () => {
    const named = testFilesUnder(join(root, 'test'))
      .filter((f) => f !== thisFile)
      .map((f) => titlesAndComments(read(f)))
      .join('\n');
    const problems = rows
      .filter((r) => r.status === 'built' || r.status === 'partly built')
      .flatMap((r) => [
        ...(r.code.length ? [] : [`${at(r)} is ${r.status} but names no code`]),
        ...(r.tests.length ? [] : [`${at(r)} is ${r.status} but lists no test`]),
        ...(idPattern(r.id).test(named) ? [] : [`${at(r)} is ${r.status} but no test title or comment names it`]),
      ]);
    expect(problems).toEqual([]);
  });

  it('says which issue builds each rule that is not built yet or partly built, and points at nothing for unbuilt ones', () => {
    const problems = rows.flatMap((r) => [
      ...(r.status !== 'built' && !/\bissue \d+/.test(r.statusText) ? [`${at(r)} names no issue`] : []),
      ...(r.status === 'not built yet' && (r.code.length || r.tests.length)
        ? [`${at(r)} is not built yet but points at code or tests`]
        : []),
    ]);
    expect(problems).toEqual([]);
  });

  it(`not built yet: ${NOT_BUILT.join(', ')} (the map and this list must agree)`, () => {
    expect(
      rows
        .filter((r) => r.status === 'not built yet')
        .map((r) => r.id)
        .sort(),
    ).toEqual([...NOT_BUILT].sort());
  });

  it(`partly built: ${PARTLY_BUILT.join(', ')} (the map and this list must agree)`, () => {
    expect(
      rows
        .filter((r) => r.status === 'partly built')
        .map((r) => r.id)
        .sort(),
    ).toEqual([...PARTLY_BUILT].sort());
  });
});
