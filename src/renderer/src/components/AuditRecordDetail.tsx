// One audit record, opened from the Audit log tab: its fields under the labels the table and the export share
// (shared/auditFields.ts), a History record's changes as old → new, the raw record (the export's line) one click
// away, and Restore for a Record Deletion Log record, confirmed in place.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { ErrorNote } from './Form';
import { HistoryChanges, fieldLabel, historyChanges, otherDetails, valueLabel } from './HistoryChanges';
import { auditFieldLabel, exportedRecord, type AuditFieldName } from '../../../shared/auditFields';
import { restorableKind, type AuditRecord } from '../../../shared/model';
import type { ApiError } from '../../../shared/result';

/** The fields shown as label: value, in the export's order; hashes stay in the chain line and the raw record. */
const SHOWN: readonly AuditFieldName[] = [
  'ts',
  'log',
  'username',
  'operator',
  'effective_user',
  'impersonator',
  'action',
  'target',
  'outcome',
  'message',
];

/** A detail's value in a line; a deletion snapshot can be long, and the raw record has it whole. */
const MAX_VALUE = 300;
const clip = (text: string) => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (see the raw record)` : text);

export function AuditRecordDetail({
  record,
  onClose,
  onChanged,
}: {
  record: AuditRecord;
  onClose(): void;
  /** Something was restored: the list has a new record. */
  onChanged(): void;
}) {
  const exported = exportedRecord(record);
  const changes = historyChanges(record);
  const details = changes ? otherDetails(record) : Object.entries(record.details);
  const [raw, setRaw] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from the keyboard or the mouse, the reader is taken to the record, and Restore is the next Tab away.
  useEffect(() => heading.current?.focus(), []);

  // Main says whether Restore would be allowed to this operator: the window does not re-encode who may.
  const [mayRestore, setMayRestore] = useState<{ allowed: boolean; why: string | null } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [restored, setRestored] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!restorableKind(record)) return;
    let current = true;
    void api['audit.mayRestore']({ seq: record.seq }).then((r) => {
      if (current) setMayRestore(r.ok ? r.value : { allowed: false, why: r.error.message });
    });
    return () => {
      current = false;
    };
  }, [record]);

  async function restore() {
    const r = await api['audit.restore']({ seq: record.seq });
    setConfirming(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    // A record restores once: the button goes, and the list shows the restore's own record.
    setMayRestore({ allowed: false, why: null });
    setRestored(r.value.restored);
    onChanged();
  }

  return (
    <aside
      className="card detail"
      aria-label={`Record ${record.seq}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <h2 tabIndex={-1} ref={heading}>
        Record {record.seq}
      </h2>
      <dl className="record-fields">
        {SHOWN.map((name) => (
          <div key={name}>
            <dt>{auditFieldLabel(name)}</dt>
            <dd className={name === 'message' ? undefined : 'mono'}>{valueLabel(name, exported[name])}</dd>
          </div>
        ))}
      </dl>
      {changes && <HistoryChanges changes={changes} />}
      {details.length > 0 && (
        <dl className="record-fields" aria-label="Details">
          {details.map(([key, value]) => (
            <div key={key}>
              <dt>{fieldLabel(key)}</dt>
              <dd>{clip(valueLabel(key, value))}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted">
        Chain position: follows {record.prevHash.slice(0, 12)}…, hash {record.hash.slice(0, 12)}…
      </p>
      <button type="button" aria-expanded={raw} onClick={() => setRaw(!raw)}>
        {raw ? 'Hide the raw record' : 'Show the raw record'}
      </button>
      {/* Rendered only when asked for: the labelled view is what the page holds. */}
      {raw && (
        <pre className="mono" aria-label="Raw record">
          {JSON.stringify(exported, null, 2)}
        </pre>
      )}
      {mayRestore && !mayRestore.allowed && mayRestore.why && <p className="muted">Restore: {mayRestore.why}</p>}
      {restored && (
        <p className="notice ok" role="status">
          Restored {record.target}.
        </p>
      )}
      {mayRestore?.allowed &&
        (confirming ? (
          <div role="group" aria-label="Confirm restore" className="confirm">
            <span>Restore {record.target}?</span>
            <button type="button" className="primary" onClick={() => void restore()}>
              Restore
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Restore {record.target}
          </button>
        ))}
      <ErrorNote error={error} />
      <button type="button" onClick={onClose}>
        Close
      </button>
    </aside>
  );
}
