// An item change as History holds it (R-L1): exactly the fields that changed, old → new, and a message a
// person reads in the Audit log ("Item 12 Laptop: state draft → in progress; assigned to — → bbuyer").
import { changeFieldLabel, changeValueLabel, type FieldValue, type Item, type ItemChange } from '../../shared/model';

export type ItemValues = Pick<Item, 'title' | 'state' | 'assignedTo' | 'fields'>;

/** Its labels are shared (model.ts), so the Audit log's diff names each change as this message does. */
export type Change = ItemChange;

/** What differs between `before` (null: the item is new) and `after`, in a stable order. */
export function itemChanges(before: ItemValues | null, after: ItemValues): Change[] {
  const changes: Change[] = [];
  const push = (field: string, o: FieldValue | undefined, n: FieldValue | undefined) => {
    if ((o ?? null) !== (n ?? null)) changes.push({ field, old: o ?? null, new: n ?? null });
  };
  push('title', before?.title, after.title);
  push('state', before?.state, after.state);
  push('assignedTo', before?.assignedTo, after.assignedTo);
  const names = new Set([...Object.keys(before?.fields ?? {}), ...Object.keys(after.fields)]);
  for (const name of [...names].sort()) push(`fields.${name}`, before?.fields[name], after.fields[name]);
  return changes;
}

export function changeMessage(id: number, title: string, changes: readonly Change[], verb?: string): string {
  const parts = changes.map(
    (c) => `${changeFieldLabel(c.field)} ${changeValueLabel(c.field, c.old)} → ${changeValueLabel(c.field, c.new)}`,
  );
  return `Item ${id} ${title}${verb ? ` ${verb}` : ''}: ${parts.join('; ')}`;
}
