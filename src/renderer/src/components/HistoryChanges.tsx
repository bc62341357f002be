// A History record's changes (R-L1) as a person reads them: field | old → new, named as the record's message
// names them (shared labels), instead of the raw JSON of its details. Both shapes History records take: a list of
// changes (items, portals, integrations) and one changed field (settings, people, service accounts).
import { changeFieldLabel, changeValueLabel, settingLabel, type AuditRecord } from '../../../shared/model';

export interface RecordChange {
  field: string;
  old: unknown;
  new: unknown;
}

const isChange = (c: unknown): c is RecordChange =>
  typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>).field === 'string' && 'new' in c;

/** The changes a History record holds; null for any other record, or details of another shape. */
export function historyChanges(r: Pick<AuditRecord, 'log' | 'details'>): RecordChange[] | null {
  if (r.log !== 'history') return null;
  const { changes } = r.details;
  if (Array.isArray(changes)) return changes.every(isChange) ? changes : null;
  return isChange(r.details) ? [{ field: r.details.field, old: r.details.old, new: r.details.new }] : null;
}

/** The details a History diff does not show already (an item's id, a key id…). */
export function otherDetails(r: Pick<AuditRecord, 'details'>): [string, unknown][] {
  const shown = new Set(Array.isArray(r.details.changes) ? ['changes'] : ['field', 'old', 'new']);
  return Object.entries(r.details).filter(([key]) => !shown.has(key));
}

/**
 * A field as the record's message names it (a setting's label, an item's `assigned to`), else in words
 * (`forward.target` → `forward target`); an item's own field (`fields.Amount`) keeps its name.
 */
export function fieldLabel(field: string): string {
  if (field.startsWith('fields.')) return changeFieldLabel(field);
  const setting = settingLabel(field);
  if (setting) return setting;
  const label = changeFieldLabel(field);
  if (label !== field) return label;
  return field
    .replace(/[._]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/** A value in words: — for none, lists joined, an object as `key: value` pairs. */
export function valueLabel(field: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return changeValueLabel(field, v);
  if (Array.isArray(v)) return v.length ? v.map((x) => valueLabel(field, x)).join(', ') : '(none)';
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${fieldLabel(k)}: ${valueLabel(k, x)}`)
    .join(', ');
}

export function HistoryChanges({ changes }: { changes: readonly RecordChange[] }) {
  return (
    <table aria-label="Changes" className="changes">
      <thead>
        <tr>
          <th>Field</th>
          <th>Old → new</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c, i) => (
          <tr key={`${c.field}-${i}`}>
            <td>{fieldLabel(c.field)}</td>
            <td>
              <span className="old">{valueLabel(c.field, c.old)}</span> →{' '}
              <span className="new">{valueLabel(c.field, c.new)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
