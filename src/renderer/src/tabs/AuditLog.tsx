// Audit log (read-only for auditors): filter, page back through time, open a record, verify the chain.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { DayChart } from '../components/DayChart';
import { api } from '../api';
import { ErrorNote } from '../components/Form';
import { download } from '../components/download';
import { HistoryChanges, historyChanges } from '../components/HistoryChanges';
import {
  AUDIT_LOGS,
  restorableKind,
  type AuditLogName,
  type AuditRecord,
  type AuditVerifyReport,
} from '../../../shared/model';

export interface AuditFilter {
  log: AuditLogName | '';
  operator: string;
  effectiveUser: string;
  impersonator: string;
  action: string;
  text: string;
  outcome: 'ok' | 'refused' | 'error' | '';
  /** ISO 8601 UTC bounds: from inclusive, to exclusive. */
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
    session: f.session.trim() ? Number(f.session) : undefined,
  };
}

export function AuditLog({ initial = EMPTY_AUDIT_FILTER }: { initial?: Filter }) {
  const [filter, setFilter] = useState<Filter>(initial);
  const [rows, setRows] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [open, setOpen] = useState<AuditRecord | null>(null);
  // Main says whether Restore would be allowed to this operator: the window does not re-encode who may.
  const [mayRestore, setMayRestore] = useState<{ seq: number; allowed: boolean; why: string | null } | null>(null);
  useEffect(() => {
    if (!open || !restorableKind(open)) return;
    let current = true;
    void api['audit.mayRestore']({ seq: open.seq }).then((r) => {
      if (current)
        setMayRestore(r.ok ? { seq: open.seq, ...r.value } : { seq: open.seq, allowed: false, why: r.error.message });
    });
    return () => {
      current = false;
    };
  }, [open]);
  const restore = open && mayRestore?.seq === open.seq ? mayRestore : null;
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const scroller = useRef<HTMLDivElement>(null);
  const load = useCallback(
    async (before?: number) => {
      const r = await api['audit.list']({ ...query(filter), limit: 100, ...(before ? { before } : {}) });
      if (!r.ok) return setError(r.error.message);
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
  useEffect(() => {
    void api['audit.countsPerDay'](query(filter)).then((r) => r.ok && setDays(r.value));
  }, [filter]);

  const text = (key: keyof Filter, label: string) => (
    <label className="filter">
      <span>{label}</span>
      <input aria-label={label} value={filter[key]} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })} />
    </label>
  );

  async function exportAs(format: 'jsonl' | 'csv') {
    const { log, from, to } = query(filter);
    const r = await api['audit.export']({ format, log, from, to });
    if (!r.ok) return setError(r.error.message);
    download(r.value.filename, r.value.content);
    download(`${r.value.filename}.manifest.json`, `${JSON.stringify(r.value.manifest, null, 2)}\n`);
  }

  async function verify() {
    const r = await api['audit.verify']({});
    if (r.ok) setReport(r.value);
    else setError(r.error.message);
  }

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
        {text('action', 'Action')}
        {text('from', 'From (UTC)')}
        {text('to', 'To (UTC)')}
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
            onChange={(e) => setFilter({ ...filter, text: e.target.value })}
          />
        </label>
        <button onClick={() => void verify()}>Verify chain</button>
        <button onClick={() => void exportAs('jsonl')}>Export JSONL</button>
        <button onClick={() => void exportAs('csv')}>Export CSV</button>
      </div>
      {report && (
        <p className={report.ok ? 'notice ok' : 'error'} role="status">
          {report.ok
            ? `Chain intact: ${report.count} records${report.unkeyed ? ` (${report.unkeyed} written while the OS keychain was unavailable: chained, not keyed)` : ''}.`
            : `Broken at record ${report.break?.seq} (${report.break?.kind}): ${report.break?.message}`}
        </p>
      )}
      <ErrorNote message={error} />
      <DayChart days={days} />
      <div className="audit-grid">
        <div className="audit-scroll" ref={scroller}>
          <table aria-label="Audit records" className="audit-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Time (UTC)</th>
                <th>Log</th>
                <th>Username</th>
                <th>Action</th>
                <th>Message</th>
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
                    <td className="mono">{r.seq}</td>
                    <td className="mono">{r.ts.replace('T', ' ').slice(0, 19)}</td>
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
                    No records match these filters.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {open && (
          <aside className="card detail" aria-label={`Record ${open.seq}`}>
            <h2>Record {open.seq}</h2>
            <p className="muted">
              Chain position: follows {open.prevHash.slice(0, 12)}…, hash {open.hash.slice(0, 12)}…
            </p>
            <RecordBody record={open} />
            {restore && !restore.allowed && <p className="muted">Restore: {restore.why}</p>}
            {restore?.allowed && (
              <button
                onClick={() =>
                  void api['audit.restore']({ seq: open.seq }).then((r) => {
                    setError(r.ok ? null : r.error.message);
                    if (r.ok) void load();
                  })
                }
              >
                Restore {open.target}
              </button>
            )}
            <button onClick={() => setOpen(null)}>Close</button>
          </aside>
        )}
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

/** A History record's changes as a diff, and the rest of it as JSON; any other record as JSON. */
function RecordBody({ record }: { record: AuditRecord }) {
  const changes = historyChanges(record);
  if (!changes) return <pre className="mono">{JSON.stringify(record, null, 2)}</pre>;
  const details = Object.fromEntries(Object.entries(record.details).filter(([key]) => key !== 'changes'));
  return (
    <>
      <HistoryChanges changes={changes} />
      <pre className="mono">{JSON.stringify({ ...record, details }, null, 2)}</pre>
    </>
  );
}
