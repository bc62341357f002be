// Items as rows, each with only the actions main listed for it (`allowed`): the window never works out itself
// who may do what to an item.
import { itemStateLabel, type ItemOp, type ListedItem } from '../../../../shared/model';

export type RowAction = Exclude<ItemOp, 'read'> | 'open';

/** The buttons of a row, in the order of an item's life; Open is offered when Edit is not. */
const BUTTONS: { action: RowAction; label: string; needs: ItemOp }[] = [
  { action: 'open', label: 'Open', needs: 'read' },
  { action: 'update', label: 'Edit', needs: 'update' },
  { action: 'submit', label: 'Submit', needs: 'submit' },
  { action: 'assign', label: 'Assign', needs: 'assign' },
  { action: 'complete', label: 'Complete', needs: 'complete' },
  { action: 'reopen', label: 'Reopen', needs: 'reopen' },
  { action: 'delete', label: 'Delete', needs: 'delete' },
];

const offered = (item: ListedItem) =>
  BUTTONS.filter((b) => item.allowed.includes(b.needs) && !(b.action === 'open' && item.allowed.includes('update')));

const time = (iso: string) => iso.replace('T', ' ').slice(0, 16);

export function ItemTable(props: {
  label: string;
  items: readonly ListedItem[];
  empty: string;
  onAction(action: RowAction, item: ListedItem): void;
}) {
  return (
    <div className="table-scroll">
      <table aria-label={props.label}>
        <thead>
          <tr>
            <th>#</th>
            <th>Title</th>
            <th>Flow</th>
            <th>State</th>
            <th>Created by</th>
            <th>Assigned to</th>
            <th>Updated (UTC)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <tr key={item.id}>
              <td className="mono">{item.id}</td>
              <td>{item.title}</td>
              <td>{item.flow}</td>
              <td>
                <span className={`badge state-${item.state}`}>{itemStateLabel(item.state)}</span>
              </td>
              <td className="mono">{item.createdBy}</td>
              <td className="mono">{item.assignedTo ?? '—'}</td>
              <td className="mono">{time(item.updatedAt)}</td>
              <td className="actions">
                {offered(item).map((b) => (
                  <button key={b.action} onClick={() => props.onAction(b.action, item)}>
                    {b.label}
                  </button>
                ))}
              </td>
            </tr>
          ))}
          {props.items.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                {props.empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
