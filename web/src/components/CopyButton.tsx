import { useState } from 'react';

/** Copies `text`; says so in a live region. Falls back to selecting the text to copy by hand. */
export function CopyButton({ text, label = 'Copy', fallbackTarget }: { text: string; label?: string; fallbackTarget?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // Clipboard refused (no permission, not a secure context): select it for Ctrl+C instead.
      const target = fallbackTarget ? document.getElementById(fallbackTarget) : null;
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
        target.focus();
        target.select();
      }
      setState('manual');
    }
  }
  return (
    <span className="copy">
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' ? 'Copied.' : state === 'manual' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
      </span>
    </span>
  );
}
