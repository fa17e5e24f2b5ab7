import { type FormEvent, useState } from 'react';
import { people } from '../../api/people';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { EmptyState, ErrorNotice, Loading, fieldError } from '../../components/Notices';
import { formatTime } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';

/** Notes about the person, newest first (encrypted under their key on the server). */
export function Notes({ personId, editable }: { personId: string; editable: boolean }) {
  const notes = useLoad(() => people.notes(personId), [personId]);
  const [body, setBody] = useState('');
  const add = useAction(async () => {
    const note = await people.addNote(personId, body.trim());
    notes.setData((current) => ({ notes: [note, ...(current?.notes ?? [])] }));
    setBody('');
  });
  const remove = useAction(async (noteId: string) => {
    await people.deleteNote(personId, noteId);
    notes.setData((current) => ({ notes: (current?.notes ?? []).filter((n) => n.id !== noteId) }));
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (body.trim()) void add.run();
  }

  return (
    <section className="card" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Notes</h2>
      {/* Kept, disabled, when the team turns read-only with a note typed: the text stays, with the reason. */}
      {editable || body ? (
        <form onSubmit={submit} aria-label="Add a note">
          <fieldset className="plain" disabled={!editable}>
            <Field label="New note" error={fieldError(add.error, 'body')}>
              {(control) => <textarea {...control} rows={3} maxLength={10_000} value={body} onChange={(e) => setBody(e.currentTarget.value)} />}
            </Field>
            <button type="submit" disabled={add.busy || !body.trim()}>
              Add note
            </button>
          </fieldset>
        </form>
      ) : null}
      <ErrorNotice error={add.error} unlessField={['body']} />
      <ErrorNotice error={notes.error ?? remove.error} />
      {notes.loading ? <Loading what="notes" /> : null}
      {notes.data && notes.data.notes.length === 0 ? <EmptyState title="No notes yet." /> : null}
      {notes.data && notes.data.notes.length > 0 ? (
        <ul className="notes">
          {notes.data.notes.map((n) => (
            <li key={n.id}>
              <p className="note-body">{n.body}</p>
              <p className="note-meta">
                <time dateTime={n.createdAt}>{formatTime(n.createdAt)}</time>
                {editable ? (
                  <ConfirmButton label="Delete" confirmLabel="Delete note" question="Delete this note?" busy={remove.busy} onConfirm={() => void remove.run(n.id)} />
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
