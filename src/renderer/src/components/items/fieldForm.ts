// An item's fields as a form holds them (inputs hold text, or a tick) and back as the contract takes them.
import type { FieldValue, FlowField } from '../../../../shared/model';

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

/** What each input shows for the item's current fields. */
export function formValues(list: readonly FlowField[], fields: Readonly<Record<string, FieldValue>>): FormValues {
  return Object.fromEntries(
    list.map((f) => {
      const v = fields[f.name] ?? null;
      return [f.name, f.type === 'boolean' ? v === true : v === null ? '' : String(v)];
    }),
  );
}

/** An input's value as the item holds it: an empty input clears the field (null). */
export function fieldValue(field: FlowField, v: FormValue): FieldValue {
  if (typeof v === 'boolean') return v;
  if (v.trim() === '') return null;
  // A number the browser could not read stays text, so main names the field and says what it expects.
  if (field.type === 'number') return Number.isFinite(Number(v)) ? Number(v) : v;
  return v;
}

/** The fields whose value differs from `before`: only those are sent, so History holds only what changed. */
export function fieldPatch(
  list: readonly FlowField[],
  before: Readonly<Record<string, FieldValue>>,
  values: FormValues,
): Record<string, FieldValue> {
  const patch: Record<string, FieldValue> = {};
  for (const f of list) {
    const v = values[f.name];
    if (v === undefined) continue;
    const next = fieldValue(f, v);
    if (
      next !== (before[f.name] ?? null) &&
      !(f.type === 'boolean' && next === false && (before[f.name] ?? null) === null)
    ) {
      patch[f.name] = next;
    }
  }
  return patch;
}
