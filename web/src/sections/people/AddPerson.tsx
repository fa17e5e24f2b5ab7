import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import { Field } from '../../components/Field';
import { ErrorNotice, fieldError } from '../../components/Notices';
import { useAction } from '../../hooks/useAction';
import { navigate } from '../../router';

/** A small form to add a person by hand; opens the new person's page. */
export function AddPerson() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [company, setCompany] = useState('');
  const add = useAction(async () => {
    const person = await people.create({
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(email.trim() ? { emails: [email.trim()] } : {}),
      ...(company.trim() ? { company: company.trim() } : {}),
    });
    navigate(`/people/${person.id}`);
  });

  if (!open) {
    return (
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        Add a person
      </button>
    );
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    void add.run();
  }
  return (
    <form className="card add-person" onSubmit={submit} aria-label="Add a person">
      <h2>Add a person</h2>
      <Field label="Name" error={fieldError(add.error, 'name')}>
        {(control) => <input {...control} autoFocus autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <Field label="Email" error={fieldError(add.error, 'emails.0', 'emails')}>
        {(control) => <input {...control} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />}
      </Field>
      <Field label="Company" error={fieldError(add.error, 'company')}>
        {(control) => <input {...control} autoComplete="off" maxLength={200} value={company} onChange={(e) => setCompany(e.currentTarget.value)} />}
      </Field>
      <ErrorNotice error={add.error} unlessField={['name', 'emails.0', 'emails', 'company']} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={add.busy}>
          Add
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
