// Audit log (read-only for auditors): filter, page back through time, open a record, verify the chain.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { DayChart } from '../components/DayChart';
import { api } from '../api';
import { ErrorNote, FieldError } from '../components/Form';
import { download } from '../components/download';
import { AuditRecordDetail } from '../components/AuditRecordDetail';
import { auditFieldLabel } from '../../../shared/auditFields';
import { recordTime } from '../../../shared/auditTime';
import { AUDIT_LOGS, plural, type AuditLogName, type AuditRecord, type AuditVerifyReport } from '../../../shared/model';
import type { ApiError } from '../../../shared/result';

export interface AuditFilter {
  log: AuditLogName | '';
  operator: string;
  effectiveUser: string;
  impersonator: string;
  action: string;
  text: string;
  outcome: 'ok' | 'refused' | 'error' | '';
  /** UTC bounds as typed: a date (a To date covers its day), a date and time, or ISO 8601; from inclusive. */
  from: string;
  to: string;
  /** An impersonation session's id: everything it did, start to end. */
  session: string;
}
type Filter = AuditFilter;

const ROW_HEIGHT = 37;

export const EMPTY_AUDIT_FILTER: Filter = {
  log: '',
  operator: '',
  effectiveUser: '',
  impersonator: '',
  action: '',
  text: '',
  outcome: '',
  from: '',
  to: '',
  session: '',
};

/** The filter as the contract takes it: blank fields left out. */
function query(f: Filter) {
  const t = (v: string) => v.trim() || undefined;
  return {
    log: f.log || undefined,
    operator: t(f.operator),
    effectiveUser: t(f.effectiveUser),
    impersonator: t(f.impersonator),
    action: t(f.action),
    text: t(f.text),
    outcome: f.outcome || undefined,
    from: t(f.from),
    to: t(f.to),
    // Not a number: sent as typed, and main says what a session number is (beside the field).
    session: f.session.trim() ? (/^\d+$/.test(f.session.trim()) ? Number(f.session) : f.session.trim()) : undefined,
  };
}

export function AuditLog({ initial = EMPTY_AUDIT_FILTER }: { initial?: Filter }) {
  const [filter, setFilter] = useState<Filter>(initial);
  const [rows, setRows] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [open, setOpen] = useState<AuditRecord | null>(null);
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [exported, setExported] = useState<{ filename: string; count: number; manifest: string } | null>(null);

  const scroller = useRef<HTMLDivElement>(null);
  // Answers can arrive out of order while the auditor types; only the newest filter's may fill the table.
  const asked = useRef(0);
  const load = useCallback(
    async (before?: number) => {
      const ask = ++asked.current;
      // The contract's input type is the parsed one; a session number as typed is for main to refuse, in words.
      const input = { ...query(filter), limit: 100, ...(before ? { before } : {}) } as Parameters<
        (typeof api)['audit.list']
      >[0];
      const r = await api['audit.list'](input);
      if (ask !== asked.current) return;
      if (!r.ok) {
        // No stale rows: a filter main refused shows nothing, not the last list.
        setRows([]);
        setNext(null);
        return setError(r.error);
      }
      setError(null);
      setRows((old) => (before ? [...old, ...r.value.rows] : r.value.rows));
      setNext(r.value.next);
      // A new first page starts at the top: the newest matching record, not wherever the last list was scrolled to.
      if (!before) scroller.current?.scrollTo({ top: 0 });
    },
    [filter],
  );
  useEffect(() => void load(), [load]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? 0;
  const loading = useRef(false);
  // Keyset pages load as the auditor scrolls towards the oldest record shown.
  useEffect(() => {
    if (next === null || loading.current || lastShown < rows.length - 30) return;
    loading.current = true;
    void load(next).finally(() => (loading.current = false));
  }, [lastShown, rows.length, next, load]);

  const [days, setDays] = useState<{ day: string; count: number }[]>([]);
  // Bumped when this tab wrote records itself (an export, a restore), so the chart counts them too.
  const [written, setWritten] = useState(0);
  useEffect(() => {
    let current = true;
    void api['audit.countsPerDay'](query(filter) as Parameters<(typeof api)['audit.countsPerDay']>[0]).then(
      (r) => current && setDays(r.ok ? r.value : []),
    );
    return () => {
      current = false;
    };
  }, [filter, written]);

  const text = (key: keyof Filter, label: string, hint?: string) => (
    <label className="filter">
      <span>{label}</span>
      <input
        aria-label={label}
        value={filter[key]}
        placeholder={hint}
        aria-invalid={error?.field === key || undefined}
        onChange={(e) => setFilter({ ...filter, [key]: e.target.value })}
      />
      <FieldError name={key} error={error} />
    </label>
  );
  /** A From or To box, typed into or filled from the date picker beside it. */
  const time = (key: 'from' | 'to', label: string) => (
    <label className="filter time">
      <span>{label}</span>
      <span className="row">
        <input
          aria-label={label}
          value={filter[key]}
          placeholder="2026-12-01 or 2026-12-01 09:30"
          aria-invalid={error?.field === key || undefined}
          onChange={(e) => setFilter({ ...filter, [key]: e.target.value })}
        />
        <input
          type="date"
          aria-label={`${label}: pick a date`}
          value={/^\d{4}-\d\d-\d\d$/.test(filter[key].trim()) ? filter[key].trim() : ''}
          onChange={(e) => setFilter({ ...filter, [key]: e.target.value })}
        />
      </span>
      <FieldError name={key} error={error} />
    </label>
  );

  async function exportAs(format: 'jsonl' | 'csv') {
    const { log, from, to } = query(filter);
    const r = await api['audit.export']({ format, log, from, to });
    if (r.ok) {
      download(r.value.filename, r.value.content);
      // A browser lets a page start one download by itself; the manifest is the auditor's second click.
      setExported({
        filename: r.value.filename,
        count: r.value.manifest.count,
        manifest: `${JSON.stringify(r.value.manifest, null, 2)}\n`,
      });
    }
    // An export, done or refused, is itself recorded: the auditor sees that record without reloading. The list's
    // answer clears the error note, so a refusal is shown after it.
    await afterWrite();
    if (!r.ok) setError(r.error);
  }

  async function verify() {
    const r = await api['audit.verify']({});
    if (r.ok) setReport(r.value);
    else setError(r.error);
  }

  /**
   * The list, the chart and a shown chain summary again, after this tab wrote a record. Verify runs again only when
   * its summary is on screen (a count one record short would mislead); unasked, it would walk the whole log.
   */
  async function afterWrite() {
    setWritten((n) => n + 1);
    if (report) void verify();
    await load();
  }

  /** Back to the row a record was opened from, so the keyboard carries on where it was. */
  function close() {
    const seq = open?.seq;
    setOpen(null);
    if (seq !== undefined) scroller.current?.querySelector<HTMLButtonElement>(`button[data-seq="${seq}"]`)?.focus();
  }

  const fieldError = error?.field !== undefined && FILTER_FIELDS.has(error.field);
  return (
    <div className="audit">
      <div className="toolbar">
        <label className="filter">
          <span>Log</span>
          <select
            aria-label="Log"
            value={filter.log}
            onChange={(e) => setFilter({ ...filter, log: e.target.value as AuditLogName | '' })}
          >
            <option value="">All</option>
            {AUDIT_LOGS.map((l) => (
              <option key={l} value={l}>
                {l.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        {text('operator', 'Operator')}
        {text('effectiveUser', 'Effective user')}
        {text('impersonator', 'Impersonator')}
        {text('action', 'Action', 'starts with, e.g. impersonation')}
        {time('from', 'From (UTC)')}
        {time('to', 'To (UTC)')}
        {text('session', 'Session #')}
        <label className="filter">
          <span>Outcome</span>
          <select
            aria-label="Outcome"
            value={filter.outcome}
            onChange={(e) => setFilter({ ...filter, outcome: e.target.value as Filter['outcome'] })}
          >
            <option value="">Any</option>
            <option value="ok">ok</option>
            <option value="refused">refused</option>
            <option value="error">error</option>
          </select>
        </label>
        <label className="filter grow">
          <span>Message contains</span>
          <input
            aria-label="Message contains"
            value={filter.text}
            aria-invalid={error?.field === 'text' || undefined}
            onChange={(e) => setFilter({ ...filter, text: e.target.value })}
          />
          <FieldError name="text" error={error} />
        </label>
        <button onClick={() => void verify()}>Verify chain</button>
        <button onClick={() => void exportAs('jsonl')}>Export JSONL</button>
        <button onClick={() => void exportAs('csv')}>Export CSV</button>
      </div>
      {report && (
        <p className={report.ok ? 'notice ok' : 'error'} role="status">
          {report.ok
            ? `Chain intact: ${plural(report.count, 'record')}${report.unkeyed ? ` (${report.unkeyed} written while the OS keychain was unavailable: chained, not keyed)` : ''}.`
            : `Broken at record ${report.break?.seq} (${report.break?.kind}): ${report.break?.message}`}
        </p>
      )}
      {report?.copyOf && (
        <p className="error" role="note">
          This console runs on a copy of the log at {report.copyOf}, which the keychain&apos;s anchor belongs to: the
          chain was checked on its own, not its tail against the anchor.
        </p>
      )}
      {exported && (
        <div className="notice ok export-done" role="status" aria-label="Export">
          <p>
            Exported {exported.count} records to {exported.filename}. Save its manifest beside it as{' '}
            <span className="mono">{exported.filename}.manifest.json</span>:{' '}
            <span className="mono">deputy audit verify-export {exported.filename}</span> checks the file with it.
          </p>
          <button onClick={() => download(`${exported.filename}.manifest.json`, exported.manifest)}>
            Download the manifest
          </button>
          <button onClick={() => setExported(null)}>Dismiss</button>
        </div>
      )}
      {!fieldError && <ErrorNote error={error} />}
      <DayChart days={days} />
      <div className={open ? 'audit-grid with-detail' : 'audit-grid'}>
        <div className="audit-scroll" ref={scroller}>
          <table aria-label="Audit records" className="audit-table">
            <thead>
              <tr>
                {COLUMNS.map((name) => (
                  <th key={name}>{auditFieldLabel(name)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {/* Only the rows in view are in the page: the log may hold millions. */}
              {items.length > 0 && (
                <tr aria-hidden="true">
                  <td colSpan={6} style={{ height: items[0]?.start ?? 0 }} className="spacer" />
                </tr>
              )}
              {items.map((item) => {
                const r = rows[item.index];
                if (!r) return null;
                const logName = r.log.replace('_', ' ');
                return (
                  <tr
                    key={r.seq}
                    className={open?.seq === r.seq ? 'selected' : r.outcome !== 'ok' ? `outcome-${r.outcome}` : ''}
                    onClick={() => setOpen(r)}
                  >
                    <td className="mono">
                      {/* The row's way in from the keyboard: Tab to it, Enter opens the record. */}
                      <button
                        type="button"
                        className="row-open"
                        data-seq={r.seq}
                        aria-label={`Open record ${r.seq}`}
                        aria-expanded={open?.seq === r.seq}
                      >
                        {r.seq}
                      </button>
                    </td>
                    <td className="mono">{recordTime(r.ts)}</td>
                    <td title={logName}>{logName}</td>
                    <td className="mono" title={r.username}>
                      {r.username}
                    </td>
                    <td className="mono" title={r.action}>
                      {r.action}
                    </td>
                    <td title={r.message}>{r.message}</td>
                  </tr>
                );
              })}
              {items.length > 0 && (
                <tr aria-hidden="true">
                  <td
                    colSpan={6}
                    style={{ height: virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) }}
                    className="spacer"
                  />
                </tr>
              )}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    {error ? 'No records: the filter above needs a change.' : 'No records match these filters.'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {open && <AuditRecordDetail key={open.seq} record={open} onClose={close} onChanged={() => void afterWrite()} />}
      </div>
      <footer className="pager">
        <span>{rows.length} shown</span>
        <button disabled={next === null} onClick={() => void load(next ?? undefined)}>
          Older
        </button>
      </footer>
    </div>
  );
}

/** The table's columns, named as the export names them (shared/auditFields.ts). */
const COLUMNS = ['seq', 'ts', 'log', 'username', 'action', 'message'] as const;

/** The filter boxes an error can be shown beside. */
const FILTER_FIELDS = new Set(['operator', 'effectiveUser', 'impersonator', 'action', 'from', 'to', 'session', 'text']);
