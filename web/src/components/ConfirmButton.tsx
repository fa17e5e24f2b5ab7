import { useLayoutEffect, useRef, useState } from 'react';
import { focusHeadingIn, useReturnFocus } from '../hooks/useReturnFocus';

/**
 * A destructive action in two steps: the button, then an explicit confirmation beside it. Cancel or
 * Escape closes the confirmation and focus returns to the button; when the item goes away after
 * confirming (a deleted note), focus moves to its card's heading.
 */
export function ConfirmButton({ label, confirmLabel, question, busy, onConfirm }: { label: string; confirmLabel: string; question: string; busy?: boolean; onConfirm(): void }) {
  const [asking, setAsking] = useState(false);
  const trigger = useReturnFocus(asking);
  const group = useRef<HTMLSpanElement>(null);

  // On unmount, before the buttons leave the page: if they held focus, the card's heading takes it once they are gone.
  useLayoutEffect(
    () => () => {
      const holder = trigger.current ?? group.current;
      if (!holder?.contains(document.activeElement)) return;
      const card = holder.closest('section, main');
      queueMicrotask(() => focusHeadingIn(card));
    },
    [trigger],
  );

  if (!asking) {
    return (
      // aria-disabled, not disabled, while busy: a disabled button cannot keep focus.
      <button ref={trigger} type="button" className="danger" aria-disabled={busy || undefined} onClick={() => busy || setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span
      ref={group}
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        setAsking(false);
      }}
    >
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="danger"
        autoFocus
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
