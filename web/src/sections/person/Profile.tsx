import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import type { Person } from '../../api/types';
import { Field } from '../../components/Field';
import { ErrorNotice, fieldError } from '../../components/Notices';
import { formatTime } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useReturnFocus } from '../../hooks/useReturnFocus';
import { personLabel } from '../../person-label';

/** Name and company; editing them is a rectification (audited by field name, never value). */
export function Profile({ person, editable, onSaved }: { person: Person; editable: boolean; onSaved(p: Person): void }) {
  const [editing, setEditing] = useState(false);
  const opener = useReturnFocus(editing);
  const [name, setName] = useState(person.name ?? '');
  const [company, setCompany] = useState(person.company ?? '');
  const save = useAction(async () => {
    onSaved(await people.update(person.id, { name: name.trim() || null, company: company.trim() || null }));
    setEditing(false);
  });

  function start() {
    setName(person.name ?? '');
    setCompany(person.company ?? '');
    save.clear();
    setEditing(true);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    void save.run();
  }

  return (
    <section className="card" aria-labelledby="profile-heading">
      <h1 id="profile-heading">{personLabel(person)}</h1>
      {editing ? (
        <form onSubmit={submit} aria-label="Edit profile">
          <Field label="Name" hint="Leave empty to clear." error={fieldError(save.error, 'name')}>
            {(control) => <input {...control} autoFocus autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Company" hint="Leave empty to clear." error={fieldError(save.error, 'company')}>
            {(control) => <input {...control} autoComplete="off" maxLength={200} value={company} onChange={(e) => setCompany(e.currentTarget.value)} />}
          </Field>
          <ErrorNotice error={save.error} unlessField={['name', 'company']} />
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
            <dt>Name</dt>
            <dd>{person.name ?? <span className="muted">not known</span>}</dd>
            <dt>Company</dt>
            <dd>{person.company ?? <span className="muted">not known</span>}</dd>
            <dt>Added</dt>
            <dd>{formatTime(person.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{formatTime(person.updatedAt)}</dd>
          </dl>
          {editable ? (
            <button ref={opener} type="button" onClick={start}>
              Edit name and company
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
