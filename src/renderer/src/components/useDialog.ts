// The one way a modal dialog behaves: focus moves in when it opens, Tab and Shift+Tab stay inside it, Escape
// closes it, and focus goes back to what opened it. Every dialog of the console spreads what this returns.
import { useEffect, useId, useRef, type RefObject } from 'react';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** Open dialogs, innermost last: only the innermost answers Escape and holds the focus. */
const open: HTMLElement[] = [];

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

/** Where focus goes first: the element marked `data-initial-focus`, else the first focusable one, else the dialog. */
function initialFocus(root: HTMLElement): HTMLElement {
  return root.querySelector<HTMLElement>('[data-initial-focus]') ?? focusables(root)[0] ?? root;
}

export interface DialogProps<T extends HTMLElement> {
  ref: RefObject<T | null>;
  'aria-modal': true;
  'aria-labelledby': string;
  tabIndex: -1;
}

/**
 * Behaviour and ARIA wiring of a modal dialog. `onClose` is what Escape does (the dialog's Cancel or Done);
 * `titleId` goes on the dialog's heading, which names it. The caller adds role="dialog" or "alertdialog".
 */
export function useDialog<T extends HTMLElement>(onClose: () => void): { props: DialogProps<T>; titleId: string } {
  const ref = useRef<T | null>(null);
  const titleId = useId();
  // The latest onClose without re-running the effect (which would move focus) on every render.
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    open.push(root);
    initialFocus(root).focus();
    const innermost = () => open[open.length - 1] === root;

    function onKeyDown(e: KeyboardEvent) {
      if (!innermost() || !root) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = focusables(root);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        e.preventDefault();
        return;
      }
      const active = document.activeElement;
      if (e.shiftKey && (active === first || !root.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !root.contains(active))) {
        e.preventDefault();
        first.focus();
      }
    }
    // A click on the page behind, or a program moving focus, must not leave the dialog either.
    function onFocusIn(e: FocusEvent) {
      if (innermost() && e.target instanceof Node && !root?.contains(e.target))
        initialFocus(root as HTMLElement).focus();
    }
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn);
      open.splice(open.indexOf(root), 1);
      // Back to the opener when it is still on the page (a deleted row's button is not).
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return { props: { ref, 'aria-modal': true, 'aria-labelledby': titleId, tabIndex: -1 }, titleId };
}
