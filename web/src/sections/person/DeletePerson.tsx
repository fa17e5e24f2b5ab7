import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import type { Person } from '../../api/types';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Notices';
import { useAction } from '../../hooks/useAction';
import { navigate } from '../../router';

const CONFIRMATION = 'delete';

/** Delete (erase) the person: the server destroys their keys at once, then purges their rows. Typed confirmation. */
export function DeletePerson({ person }: { person: Person }) {
  const [typed, setTyped] = useState('');
  const remove = useAction(async () => {
    await people.delete(person.id);
    navigate('/people', { replace: true });
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (typed.trim().toLowerCase() === CONFIRMATION) void remove.run();
  }
  return (
    <section className="card danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete this person</h2>
      <p>Their keys are destroyed at once, so nothing of theirs can be read again — notes, properties and activity included — and their rows are then purged. This cannot be undone.</p>
      <form onSubmit={submit}>
        <Field label={`Type “${CONFIRMATION}” to confirm`}>
          {(control) => <input {...control} autoComplete="off" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />}
        </Field>
        <ErrorNotice error={remove.error} />
        <button type="submit" className="danger" disabled={typed.trim().toLowerCase() !== CONFIRMATION || remove.busy}>
          Delete person
        </button>
      </form>
    </section>
  );
}
