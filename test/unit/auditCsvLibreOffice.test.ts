// Issue 4 item 5: the audit export CSV opens cleanly in LibreOffice (quotes, newlines, formulas neutralised
// against CSV injection). The unit tests in auditExport.test.ts check the bytes; these let a real LibreOffice
// Calc (headless `soffice`, Debian package libreoffice-calc-nogui, installed by `node scripts/setup.mjs --test`)
// import the file and look at the cells it made.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportAudit, toRecord } from '../../src/main/audit/export';
import type { AuditRow } from '../../src/main/audit/chain';
import { tempCore, tempDir, type TestCore } from './helpers';

const SOFFICE_PACKAGE = 'libreoffice-calc-nogui';
/** The first start of soffice builds its profile; on a 2-core machine that can take 10+ s. */
const SOFFICE_TIMEOUT_MS = 60_000;

/**
 * CSV import filter options (LibreOffice help, "CSV Filter Options"; token numbers as there). What a user who
 * double-clicks the file gets from the import dialog's defaults (officecfg Office.Calc/Dialogs/CSVImport in
 * LibreOffice 7.4), except that the file is read as UTF-8 and split on commas only:
 * 1 separator 44 (,), 2 text delimiter 34 ("), 3 character set 76 (UTF-8), 4 first row 1, 5 column formats none
 * (Standard), 6 language 0 (the UI's), 7 "Quoted field as text" false, 8 "Detect special numbers" false,
 * 9, 10 and 12 export only, 11 "Trim spaces" false, 13 "Evaluate formulas" false (the dialog's default) or true (the box
 * ticked; also what the filter does when token 13 is left out, as in `44,34,76,1`).
 */
const csvFilter = (evaluateFormulas: boolean) =>
  `CSV:44,34,76,1,,0,false,false,false,false,false,0,${String(evaluateFormulas)}`;

/** Values an attacker or an unlucky admin can put into a record, to reach a spreadsheet through the export. */
const NASTY = {
  formulas: ['=HYPERLINK("http://evil","x")', '=1+1', '+1+1', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1'],
  text: [
    'He said "hi", then left',
    'a,b,,c',
    'line one\nline two',
    'crlf one\r\ncrlf two',
    '  leading and trailing  ',
    'Zoë → 日本 🙂',
    '"',
    '""',
  ],
};

async function coreWithNastyRecords(): Promise<TestCore> {
  const core = await tempCore();
  const { formulas, text } = NASTY;
  const all = [...formulas, ...text];
  for (const [i, value] of all.entries()) {
    const other = all[(i + 3) % all.length]!;
    core.app.audit.append({
      operator: i % 2 ? 'alice' : other,
      effectiveUser: value, // exported as `effective_user`, and as `username`
      impersonator: i % 3 ? null : 'Zoë (zoe)',
      action: 'test.csv',
      target: other,
      message: value,
      details: { note: value, [value]: other, emoji: '🙂' },
    });
  }
  return core;
}

/** The text a cell must show: the exported value, its formula neutralised with a leading apostrophe. */
function exportedText(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A spreadsheet cell holds line breaks, not CR LF pairs: LibreOffice reads CR LF, CR and LF in a quoted field as one break. */
const asShown = (text: string) => text.replace(/\r\n?/g, '\n');

interface Cell {
  text: string;
  /** office:value-type: string, float, date, … (null for an empty cell). */
  type: string | null;
  value: string | null;
  formula: string | null;
}

const attr = (attrs: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1] ?? null;

function decodeXml(s: string): string {
  return s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(\w+));/gi, (whole, hex?: string, dec?: string, name?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number(dec));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return named[name!] ?? whole;
  });
}

/** The text of one <text:p>: spaces, tabs and line breaks are elements in ODF; spans and links are unwrapped. */
function paragraphText(inner: string): string {
  return decodeXml(
    inner
      .replace(/<text:s\s+text:c="(\d+)"\s*\/>/g, (_, n: string) => ' '.repeat(Number(n)))
      .replace(/<text:s\s*\/>/g, ' ')
      .replace(/<text:tab\s*\/>/g, '\t')
      .replace(/<text:line-break\s*\/>/g, '\n')
      .replace(/<[^>]*>/g, ''),
  );
}

/** The cells of the only sheet in a flat ODS (.fods) file, repeated rows and cells expanded. */
function readFods(xml: string): Cell[][] {
  const sheets = [...xml.matchAll(/<table:table\s[^>]*>([\s\S]*?)<\/table:table>/g)];
  expect(sheets, 'sheets in the converted file').toHaveLength(1);
  const rows: Cell[][] = [];
  const rowRe = /<table:table-row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-row>)/g;
  const cellRe = /<table:(?:covered-)?table-cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g;
  for (const [, rowAttrs = '', rowBody = ''] of sheets[0]![1]!.matchAll(rowRe)) {
    const cells: Cell[] = [];
    for (const [, a = '', body = ''] of rowBody.matchAll(cellRe)) {
      const paragraphs = [...body.matchAll(/<text:p\b[^>]*?(?:\/>|>([\s\S]*?)<\/text:p>)/g)];
      const cell: Cell = {
        text: paragraphs.map((p) => paragraphText(p[1] ?? '')).join('\n'),
        type: attr(a, 'office:value-type'),
        value: attr(a, 'office:value'),
        formula: attr(a, 'table:formula'),
      };
      const repeat = Math.min(Number(attr(a, 'table:number-columns-repeated') ?? 1), 100);
      for (let i = 0; i < repeat; i++) cells.push(cell);
    }
    const repeat = Math.min(Number(attr(rowAttrs, 'table:number-rows-repeated') ?? 1), 100);
    for (let i = 0; i < repeat; i++) rows.push(cells);
  }
  // Trailing empty rows and cells are layout, not data.
  const isEmpty = (c: Cell) => c.text === '' && c.type === null;
  for (const row of rows) while (row.length && isEmpty(row.at(-1)!)) row.pop();
  while (rows.length && rows.at(-1)!.length === 0) rows.pop();
  return rows;
}

/** Opens CSV files in a real headless LibreOffice Calc and returns each as the flat ODS XML it saved. */
function openInLibreOffice(csvFiles: string[], evaluateFormulas: boolean): string[] {
  const dir = tempDir();
  const out = join(dir, 'out');
  mkdirSync(out);
  const r = spawnSync(
    'soffice',
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      '--convert-to',
      'fods',
      `--infilter=${csvFilter(evaluateFormulas)}`,
      '--outdir',
      out,
      ...csvFiles,
    ],
    { encoding: 'utf8', timeout: SOFFICE_TIMEOUT_MS },
  );
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      `soffice (LibreOffice Calc) is not installed: install the Debian package ${SOFFICE_PACKAGE} ` +
        `(node scripts/setup.mjs --test does, and npm test runs it)`,
    );
  }
  if (r.error) throw r.error;
  return csvFiles.map((csv) => {
    const fods = join(out, basename(csv).replace(/\.csv$/, '.fods'));
    if (r.status !== 0 || !existsSync(fods)) {
      throw new Error(`soffice did not convert ${csv} (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
    return readFileSync(fods, 'utf8');
  });
}

async function exportedCsv(core: TestCore): Promise<{ file: string; expected: string[][] }> {
  let text = '';
  await exportAudit(core.app, 'csv', {}, (chunk) => (text += chunk));
  const file = join(tempDir(), 'deputy-audit.csv');
  writeFileSync(file, text);
  const rows = (core.app.db.prepare(`SELECT * FROM audit_log ORDER BY seq`).all() as AuditRow[]).map(toRecord);
  const header = Object.keys(rows[0]!);
  const expected = [header, ...rows.map((r) => Object.values(r).map(exportedText))];
  return { file, expected };
}

const NUMBER_LIKE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Every cell that does not show what the export holds, as `row N column: expected … got …`. */
function differences(expected: string[][], sheet: Cell[][]): string[] {
  const header = expected[0]!;
  const out: string[] = [];
  const rows = Math.max(expected.length, sheet.length);
  for (let r = 0; r < rows; r++) {
    const want = expected[r] ?? [];
    const got = sheet[r] ?? [];
    for (let c = 0; c < Math.max(want.length, got.length); c++) {
      const w = asShown(want[c] ?? '');
      const g = got[c];
      if ((g?.text ?? '') === w && !g?.formula) continue;
      // Calc reads quoted number-like text as that number unless "Quoted field as text" is ticked (off by
      // default), e.g. the first record's all-zero prev_hash or a key id of digits only. Its value is kept;
      // the JSONL export is the exact one (README). Anything else must show exactly.
      if (g?.type === 'float' && !g.formula && NUMBER_LIKE.test(w) && Number(g.value) === Number(w)) continue;
      out.push(
        `row ${r + 1} ${header[c] ?? `column ${c + 1}`}: expected ${JSON.stringify(w)}, LibreOffice shows ` +
          `${JSON.stringify(g?.text ?? '')}${g?.type ? ` (${g.type}${g.value ? ` ${g.value}` : ''})` : ''}` +
          `${g?.formula ? ` from formula ${g.formula}` : ''}`,
      );
    }
  }
  return out;
}

describe('audit export CSV opened in a real LibreOffice Calc (issue 4 item 5)', () => {
  it(
    'audit export CSV: with the import dialog defaults every cell shows what was exported (quotes, commas, newlines, spaces, non-ASCII; number-like text as its number)',
    async () => {
      const core = await coreWithNastyRecords();
      const { file, expected } = await exportedCsv(core);
      const [fods] = openInLibreOffice([file], false);
      expect(fods).not.toMatch(/table:formula=/);
      const sheet = readFods(fods!);
      expect(sheet, 'header + one row per record').toHaveLength(1 + core.auditCount());
      expect.soft(differences(expected, sheet)).toEqual([]);
      // Spot checks, written out, so that a bug shared by the export and this test's expectations still shows.
      const messages = sheet.slice(1).map((row) => row[10]?.text);
      expect
        .soft(messages)
        .toEqual(
          expect.arrayContaining([
            `'=HYPERLINK("http://evil","x")`,
            `'=1+1`,
            `'+1+1`,
            `'-2+3`,
            `'@SUM(A1)`,
            `'\t=1+1`,
            `'\n=1+1`,
            'He said "hi", then left',
            'a,b,,c',
            'line one\nline two',
            'crlf one\ncrlf two',
            '  leading and trailing  ',
            'Zoë → 日本 🙂',
            '"',
            '""',
          ]),
        );
    },
    SOFFICE_TIMEOUT_MS,
  );

  it(
    'audit export CSV: with "Evaluate formulas" ticked, no formula-looking value becomes a formula or is evaluated',
    async () => {
      const core = await coreWithNastyRecords();
      const { file, expected } = await exportedCsv(core);
      const [fods] = openInLibreOffice([file], true);
      expect(fods).not.toMatch(/table:formula=/);
      const sheet = readFods(fods!);
      expect(sheet).toHaveLength(expected.length);
      const formulaLooking: string[] = [];
      for (const [r, row] of expected.entries()) {
        for (const [c, value] of row.entries()) {
          if (!value.startsWith("'")) continue;
          formulaLooking.push(value);
          const cell = sheet[r]?.[c];
          expect(cell?.formula, `row ${r + 1} ${expected[0]![c]}`).toBeNull();
          expect({ type: cell?.type, text: cell?.text }, `row ${r + 1} ${expected[0]![c]}`).toEqual({
            type: 'string',
            text: asShown(value),
          });
        }
      }
      // Every nasty formula reached the sheet in several columns (message, effective_user, username, …).
      for (const f of NASTY.formulas) expect(formulaLooking).toContain(`'${f}`);
    },
    SOFFICE_TIMEOUT_MS,
  );

  it(
    'audit export CSV control: the same conversion turns an un-neutralised "=1+1" into a formula worth 2, so the checks above can fail',
    () => {
      const file = join(tempDir(), 'control.csv');
      writeFileSync(file, `"seq","message"\r\n"1","=1+1"\r\n"2","'=1+1"\r\n`);
      const [evaluated] = openInLibreOffice([file], true);
      const cells = readFods(evaluated!);
      expect(cells[1]![1]).toEqual({ text: '2', type: 'float', value: '2', formula: 'of:=1+1' });
      expect(cells[2]![1]).toEqual({ text: `'=1+1`, type: 'string', value: null, formula: null });
      // With the dialog's default (Evaluate formulas off) LibreOffice 7.4 keeps even the bare one as text.
      const [asText] = openInLibreOffice([file], false);
      expect(readFods(asText!)[1]![1]).toEqual({ text: '=1+1', type: 'string', value: null, formula: null });
    },
    SOFFICE_TIMEOUT_MS * 2,
  );
});
