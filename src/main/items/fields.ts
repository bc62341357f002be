// An item's fields against its flow's field list: what a change may hold, and what an item needs before it
// leaves draft. Each error names the field (`fields.<name>`), so the form can point at it.
import { DeputyError } from '../kernel/errors';
import type { FieldType, FieldValue, FlowField } from '../../shared/model';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(`${v}T00:00:00Z`);
  // Date rolls 2026-02-30 over to March; a real date reads back the same.
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const FITS: Record<FieldType, (v: Exclude<FieldValue, null>) => boolean> = {
  text: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  date: (v) => typeof v === 'string' && isDate(v),
};

const EXPECTED: Record<FieldType, string> = {
  text: 'text',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date written YYYY-MM-DD',
};

/** The fields after `patch` (null clears a field); refuses a field the flow does not have, or a value of the wrong type. */
export function applyFieldPatch(
  flow: string,
  list: readonly FlowField[],
  current: Readonly<Record<string, FieldValue>>,
  patch: Readonly<Record<string, FieldValue>>,
): Record<string, FieldValue> {
  const next: Record<string, FieldValue> = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    const field = list.find((f) => f.name === name);
    if (!field) throw new DeputyError('invalid_input', `${flow} has no field named ${name}.`, `fields.${name}`);
    if (value === null) {
      delete next[name];
      continue;
    }
    if (!FITS[field.type](value)) {
      throw new DeputyError(
        'invalid_input',
        `${name} is ${EXPECTED[field.type]}, not ${JSON.stringify(value)}.`,
        `fields.${name}`,
      );
    }
    next[name] = value;
  }
  return next;
}

/** Refuses an item that lacks a required field: checked when it leaves draft, and on every change after. */
export function requireFields(list: readonly FlowField[], fields: Readonly<Record<string, FieldValue>>): void {
  const missing = list.find((f) => f.required && (fields[f.name] === undefined || fields[f.name] === ''));
  if (missing) {
    throw new DeputyError(
      'invalid_input',
      `${missing.name} is required before the item leaves draft.`,
      `fields.${missing.name}`,
    );
  }
}
