import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import { Field } from '../../components/Field';
import { ErrorNotice, fieldError } from '../../components/Notices';
import { useAction } from '../../hooks/useAction';
import { useReturnFocus } from '../../hooks/useReturnFocus';
import { navigate } from '../../router';

const NAME_OR_EMAIL = 'Enter a name or an email address.';

/**
 * A small form to add a person by hand; opens the new person's page. A person with neither a name
 * nor an email would be a blank record, so one of them is asked for. When the team becomes
 * read-only while the form is open, it stays (disabled) with what was typed and the reason.
 */
export function AddPerson({ editable }: { editable: boolean }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [company, setCompany] = useState('');
  const [missing, setMissing] = useState(false);
  const opener = useReturnFocus(open);
  const add = useAction(async () => {
    const person = await people.create({
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(email.trim() ? { emails: [email.trim()] } : {}),
      ...(company.trim() ? { company: company.trim() } : {}),
    });
    navigate(`/people/${person.id}`);
  });

  if (!open) {
    return editable ? (
      <button ref={opener} type="button" className="primary" onClick={() => setOpen(true)}>
        Add a person
      </button>
    ) : null;
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    const blank = !name.trim() && !email.trim();
    setMissing(blank);
    if (!blank) void add.run();
  }
  function close() {
    setOpen(false);
    setMissing(false);
    add.clear();
  }
  return (
    <form className="card add-person" onSubmit={submit} aria-label="Add a person">
      <h2>Add a person</h2>
      <fieldset className="plain" disabled={!editable}>
        <Field label="Name" error={fieldError(add.error, 'name') ?? (missing ? NAME_OR_EMAIL : undefined)}>
          {(control) => <input {...control} autoFocus autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Email" error={fieldError(add.error, 'emails.0', 'emails')}>
          {(control) => <input {...control} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Company" error={fieldError(add.error, 'company')}>
          {(control) => <input {...control} autoComplete="off" maxLength={200} value={company} onChange={(e) => setCompany(e.currentTarget.value)} />}
        </Field>
      </fieldset>
      <ErrorNotice error={add.error} unlessField={['name', 'emails.0', 'emails', 'company']} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={add.busy || !editable}>
          Add
        </button>
        <button type="button" onClick={close}>
          {editable ? 'Cancel' : 'Close'}
        </button>
      </div>
    </form>
  );
}
