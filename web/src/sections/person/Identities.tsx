import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import type { Person } from '../../api/types';
import { Field } from '../../components/Field';
import { ErrorNotice, fieldError } from '../../components/Notices';
import { useAction } from '../../hooks/useAction';
import { useReturnFocus } from '../../hooks/useReturnFocus';

const KINDS = [
  { key: 'emails', label: 'Emails', hint: 'One per line.' },
  { key: 'phones', label: 'Phones', hint: 'One per line, international format (+44 …).' },
  { key: 'externalIds', label: 'User ids', hint: 'Your own ids for this person (what identify sends), one per line.' },
] as const;
type Kind = (typeof KINDS)[number]['key'];

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Emails, phones and ids. Editing replaces each list; anonymous ids come from tracking only. */
export function Identities({ person, editable, onSaved }: { person: Person; editable: boolean; onSaved(p: Person): void }) {
  const [editing, setEditing] = useState(false);
  const opener = useReturnFocus(editing);
  const [draft, setDraft] = useState<Record<Kind, string>>({ emails: '', phones: '', externalIds: '' });
  const save = useAction(async () => {
    onSaved(await people.update(person.id, { emails: lines(draft.emails), phones: lines(draft.phones), externalIds: lines(draft.externalIds) }));
    setEditing(false);
  });

  function start() {
    setDraft({ emails: person.emails.join('\n'), phones: person.phones.join('\n'), externalIds: person.externalIds.join('\n') });
    save.clear();
    setEditing(true);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    void save.run();
  }
  // The API names the entry at fault (`emails.1`); show it under that list.
  const errorFor = (kind: Kind) => fieldError(save.error, kind, ...Array.from({ length: 50 }, (_, i) => `${kind}.${i}`));

  return (
    <section className="card" aria-labelledby="identities-heading">
      <h2 id="identities-heading">Identities</h2>
      {editing ? (
        <form onSubmit={submit} aria-label="Edit identities">
          {KINDS.map((k) => (
            <Field key={k.key} label={k.label} hint={k.hint} error={errorFor(k.key)}>
              {(control) => (
                <textarea {...control} rows={Math.max(2, draft[k.key].split('\n').length)} spellCheck={false} value={draft[k.key]} onChange={(e) => setDraft({ ...draft, [k.key]: e.currentTarget.value })} />
              )}
            </Field>
          ))}
          <ErrorNotice error={save.error} unlessField={KINDS.flatMap((k) => [k.key, ...Array.from({ length: 50 }, (_, i) => `${k.key}.${i}`)])} />
          <div className="buttons">
            <button type="submit" className="primary" disabled={save.busy}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <dl className="facts">
            {[...KINDS, { key: 'anonymousIds', label: 'Anonymous ids' } as const].map((k) => (
              <div key={k.key} className="fact-group">
                <dt>{k.label}</dt>
                {person[k.key].length === 0 ? (
                  <dd className="muted">none</dd>
                ) : (
                  person[k.key].map((value) => (
                    <dd key={value} className="identity">
                      {value}
                    </dd>
                  ))
                )}
              </div>
            ))}
          </dl>
          {editable ? (
            <button ref={opener} type="button" onClick={start}>
              Edit identities
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
