// A History record's changes (R-L1) as a person reads them: field | old → new, named as the record's message
// names them (shared labels), instead of the raw JSON of its details.
import { changeFieldLabel, changeValueLabel, type AuditRecord, type ItemChange } from '../../../shared/model';

const isValue = (v: unknown): boolean =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const isChange = (c: unknown): c is ItemChange => {
  if (typeof c !== 'object' || c === null) return false;
  const { field, old, new: next } = c as Record<string, unknown>;
  return typeof field === 'string' && isValue(old) && isValue(next);
};

/** The changes a History record holds; null for any other record, or details of another shape. */
export function historyChanges(r: Pick<AuditRecord, 'log' | 'details'>): ItemChange[] | null {
  const changes = r.details.changes;
  return r.log === 'history' && Array.isArray(changes) && changes.every(isChange) ? changes : null;
}

export function HistoryChanges({ changes }: { changes: readonly ItemChange[] }) {
  return (
    <table aria-label="Changes" className="changes">
      <thead>
        <tr>
          <th>Field</th>
          <th>Old → new</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <td>{changeFieldLabel(c.field)}</td>
            <td>
              <span className="old">{changeValueLabel(c.field, c.old)}</span> →{' '}
              <span className="new">{changeValueLabel(c.field, c.new)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
