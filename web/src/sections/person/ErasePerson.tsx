import { type FormEvent, useState } from 'react';
import { privacy } from '../../api/privacy';
import type { Person, PrivacyRequest } from '../../api/types';
import { Field } from '../../components/Field';
import { ErrorNotice } from '../../components/Notices';
import { useAction } from '../../hooks/useAction';

const CONFIRMATION = 'erase';

/**
 * Erase the person (right to erasure): the server destroys their keys at once, then a job purges
 * their rows. After a typed confirmation; optionally their identities also join the suppression
 * list, so nothing about them is collected again.
 */
export function ErasePerson({ person, onErased }: { person: Person; onErased(request: PrivacyRequest): void }) {
  const [typed, setTyped] = useState('');
  const [suppress, setSuppress] = useState(false);
  const erase = useAction(async () => onErased(await privacy.erase(person.id, suppress)));
  const confirmed = typed.trim().toLowerCase() === CONFIRMATION;
  function submit(event: FormEvent) {
    event.preventDefault();
    if (confirmed) void erase.run();
  }
  return (
    <section className="card danger-zone" aria-labelledby="erase-heading">
      <h2 id="erase-heading">Erase this person</h2>
      <p>
        Their keys are destroyed at once, so nothing of theirs can be read again — here or in any backup — notes, properties, consents and activity included;
        their rows are then purged. This cannot be undone. The receipt keeps only their id.
      </p>
      <form onSubmit={submit} aria-label="Erase this person">
        <label className="checkbox">
          <input type="checkbox" checked={suppress} onChange={(e) => setSuppress(e.currentTarget.checked)} /> Also suppress their identities: events that
          carry them are refused from now on, so they are not collected again
        </label>
        <Field label={`Type “${CONFIRMATION}” to confirm`}>
          {(control) => <input {...control} autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />}
        </Field>
        <ErrorNotice error={erase.error} />
        <button type="submit" className="danger" disabled={!confirmed || erase.busy}>
          {erase.busy ? 'Erasing…' : 'Erase person'}
        </button>
      </form>
    </section>
  );
}
