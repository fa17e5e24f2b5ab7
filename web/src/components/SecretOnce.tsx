import { useId } from 'react';
import { CopyButton } from './CopyButton';

/** A secret (API key, invitation link) the server shows once: readable, copyable, then gone. */
export function SecretOnce({ label, value, note, onDone }: { label: string; value: string; note: string; onDone(): void }) {
  const id = useId();
  return (
    <div className="secret">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
        <CopyButton text={value} fallbackTarget={id} />
      </div>
      <p className="hint">{note}</p>
      <button type="button" className="link-button" onClick={onDone}>
        I have saved it — hide
      </button>
    </div>
  );
}
