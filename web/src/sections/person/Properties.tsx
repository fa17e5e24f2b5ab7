import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import type { Person } from '../../api/types';
import { Field } from '../../components/Field';
import { EmptyState, ErrorNotice } from '../../components/Notices';
import { formatValue } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useReturnFocus } from '../../hooks/useReturnFocus';
import { textToValue, valueToText } from './property-values';

interface Row {
  key: string;
  text: string;
  /** The key it had when loaded; null for a new row. */
  original: string | null;
  removed: boolean;
}

/** The rows (by index) whose name an earlier kept row already has: saving them would overwrite it. */
function duplicateNames(rows: Row[]): Set<number> {
  const seen = new Set<string>();
  const duplicates = new Set<number>();
  rows.forEach((row, i) => {
    const key = row.key.trim();
    if (row.removed || !key) return;
    if (seen.has(key)) duplicates.add(i);
    seen.add(key);
  });
  return duplicates;
}

/** Free-form properties. Saving sends only what changed: merged values and removed keys. */
export function Properties({ person, editable, onSaved }: { person: Person; editable: boolean; onSaved(p: Person): void }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  // Shown once a save was tried, then kept current as the names are edited.
  const [checked, setChecked] = useState(false);
  const opener = useReturnFocus(rows !== null);
  const entries = Object.entries(person.properties);
  const save = useAction(async (draft: Row[]) => {
    const properties: Record<string, unknown> = {};
    const unsetProperties: string[] = [];
    for (const row of draft) {
      const key = row.key.trim();
      if (row.removed || (row.original !== null && key !== row.original)) {
        if (row.original !== null) unsetProperties.push(row.original);
      }
      if (row.removed || !key) continue;
      const value = textToValue(row.text);
      if (row.original !== key || JSON.stringify(person.properties[key]) !== JSON.stringify(value)) properties[key] = value;
    }
    onSaved(await people.update(person.id, { properties, unsetProperties }));
    setRows(null);
  });

  function start() {
    setRows(entries.map(([key, value]) => ({ key, text: valueToText(value), original: key, removed: false })));
    setChecked(false);
    save.clear();
  }
  function update(i: number, change: Partial<Row>) {
    setRows((current) => current!.map((r, j) => (j === i ? { ...r, ...change } : r)));
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!rows) return;
    setChecked(true);
    if (duplicateNames(rows).size === 0) void save.run(rows);
  }
  const duplicates = rows && checked ? duplicateNames(rows) : new Set<number>();

  return (
    <section className="card" aria-labelledby="properties-heading">
      <h2 id="properties-heading">Properties</h2>
      {rows ? (
        <form onSubmit={submit} aria-label="Edit properties">
          <p className="hint">Numbers, true/false and JSON are kept as typed values; anything else as text.</p>
          {rows.map((row, i) => (
            <fieldset key={i} className={row.removed ? 'property-row removed' : 'property-row'}>
              <legend className="visually-hidden">Property {i + 1}</legend>
              <Field label="Name" error={duplicates.has(i) ? `Another property is already named “${row.key.trim()}”. Use another name, or remove one of them.` : undefined}>
                {(control) => <input {...control} maxLength={64} disabled={row.removed} value={row.key} onChange={(e) => update(i, { key: e.currentTarget.value })} />}
              </Field>
              <Field label="Value">
                {(control) => <input {...control} disabled={row.removed} value={row.text} onChange={(e) => update(i, { text: e.currentTarget.value })} />}
              </Field>
              <button type="button" onClick={() => update(i, { removed: !row.removed })}>
                {row.removed ? 'Keep' : 'Remove'}
                <span className="visually-hidden"> {row.key || `property ${i + 1}`}</span>
              </button>
            </fieldset>
          ))}
          <button type="button" onClick={() => setRows([...rows, { key: '', text: '', original: null, removed: false }])}>
            Add a property
          </button>
          <ErrorNotice error={save.error} />
          <div className="buttons">
            <button type="submit" className="primary" disabled={save.busy}>
              Save properties
            </button>
            <button type="button" onClick={() => setRows(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {entries.length === 0 ? (
            <EmptyState title="No properties.">
              <p>Properties come from identify traits, imports, or are added here.</p>
            </EmptyState>
          ) : (
            <dl className="facts properties">
              {entries.map(([key, value]) => (
                <div key={key} className="fact-group">
                  <dt>{key}</dt>
                  <dd>{formatValue(value)}</dd>
                </div>
              ))}
            </dl>
          )}
          {editable ? (
            <button ref={opener} type="button" onClick={start}>
              Edit properties
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
