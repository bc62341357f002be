// The in-page confirmation of an action that cannot be taken back: it names what will be lost, Cancel is
// focused first (Enter on a stray keypress keeps everything), and only Confirm acts.
import { useCallback, useState, type ReactNode } from 'react';
import { useDialog } from './useDialog';

export interface Confirmation {
  /** The question, which names the dialog: "Delete access key DPK…?". */
  title: string;
  /** What will be lost, in words an administrator checks before confirming. */
  body: ReactNode;
  /** The confirm button's label: the action's verb ("Delete key", "Revoke"). */
  confirm: string;
  run(): unknown;
}

export function ConfirmDialog({
  title,
  body,
  confirm,
  onConfirm,
  onCancel,
}: Omit<Confirmation, 'run'> & {
  onConfirm(): void;
  onCancel(): void;
}) {
  const { props, titleId } = useDialog<HTMLDivElement>(onCancel);
  return (
    <div className="overlay" role="presentation">
      <div {...props} className="card dialog confirm" role="alertdialog" aria-describedby={`${titleId}-body`}>
        <h2 id={titleId}>{title}</h2>
        <div id={`${titleId}-body`}>{body}</div>
        <div className="row">
          <button className="danger" onClick={onConfirm}>
            {confirm}
          </button>
          <button data-initial-focus onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * `ask(confirmation)` opens the dialog; render `dialog` where the screen's other content is. Confirm closes
 * the dialog and then runs the action, so a refusal shows in the screen's own error note.
 */
export function useConfirm(): { ask(c: Confirmation): void; dialog: ReactNode } {
  const [pending, setPending] = useState<Confirmation | null>(null);
  const ask = useCallback((c: Confirmation) => setPending(c), []);
  const dialog = pending && (
    <ConfirmDialog
      title={pending.title}
      body={pending.body}
      confirm={pending.confirm}
      onCancel={() => setPending(null)}
      onConfirm={() => {
        setPending(null);
        void pending.run();
      }}
    />
  );
  return { ask, dialog };
}
