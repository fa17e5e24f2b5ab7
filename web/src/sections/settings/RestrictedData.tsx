import { type FormEvent, useEffect, useState } from 'react';
import { errorField } from '../../api/errors';
import { tracking } from '../../api/tracking';
import type { Detector } from '../../api/types';
import { Field } from '../../components/Field';
import { Done, ErrorNotice, Loading } from '../../components/Notices';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useSignedIn } from '../../session';

interface Draft {
  id: string;
  label: string;
  kind: 'keywords' | 'regex';
  terms: string;
  pattern: string;
  ignoreCase: boolean;
}

function toDraft(d: Detector): Draft {
  return d.kind === 'keywords'
    ? { id: d.id, label: d.label, kind: 'keywords', terms: d.terms.join('\n'), pattern: '', ignoreCase: false }
    : { id: d.id, label: d.label, kind: 'regex', terms: '', pattern: d.pattern, ignoreCase: d.flags === 'i' };
}

/** A detector id from its label when none was typed: `Health terms` → `health-terms`. */
function idFrom(draft: Draft, index: number): string {
  if (draft.id.trim()) return draft.id.trim();
  const slug = draft.label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || `detector-${index + 1}`;
}

function toDetector(draft: Draft, index: number): Detector {
  const base = { id: idFrom(draft, index), label: draft.label.trim() };
  if (draft.kind === 'keywords') {
    return { ...base, kind: 'keywords', terms: draft.terms.split('\n').map((t) => t.trim()).filter(Boolean) };
  }
  return { ...base, kind: 'regex', pattern: draft.pattern, flags: draft.ignoreCase ? 'i' : '' };
}

/** The guard's mode and the team's detectors (payment card numbers are refused always). */
export function RestrictedData() {
  const editable = useSignedIn().canChange('tracking.manage');
  const settings = useLoad(() => tracking.restrictedData(), []);
  const [mode, setMode] = useState<'reject' | 'redact'>('reject');
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!settings.data) return;
    setMode(settings.data.mode);
    setDrafts(settings.data.detectors.map(toDraft));
  }, [settings.data]);

  const save = useAction(async () => {
    const detectors = drafts.map(toDetector);
    settings.setData(await tracking.saveRestrictedData({ mode, detectors }));
    setSaved(true);
  });

  function update(i: number, change: Partial<Draft>) {
    setSaved(false);
    setDrafts((current) => current.map((d, j) => (j === i ? { ...d, ...change } : d)));
  }
  function add(kind: Draft['kind']) {
    setSaved(false);
    setDrafts((current) => [...current, { id: '', label: '', kind, terms: '', pattern: '', ignoreCase: true }]);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    void save.run();
  }
  // The API names a detector by its id once the id is usable, by its position before.
  const field = errorField(save.error);
  const errorOf = (d: Draft, i: number) => (field && (field.startsWith(`detectors.${idFrom(d, i)}.`) || field.startsWith(`detectors.${i}.`)) ? save.error : undefined);

  if (settings.loading) return <Loading what="restricted-data settings" />;
  if (!settings.data) return <ErrorNotice error={settings.error} />;
  return (
    <form className="card" onSubmit={submit} aria-labelledby="restricted-heading">
      <h2 id="restricted-heading">Restricted data</h2>
      <p>
        Ingest refuses data your team must not hold, before anything is stored or logged. <strong>Payment card numbers are always refused.</strong> Add
        detectors for what else your team must not collect (health terms, national id formats…).
      </p>
      {settings.data.problem ? (
        <p className="notice notice-error" role="alert">
          These detectors no longer pass Haven’s checks, so ingest is refusing every event until they are saved again: {settings.data.problem.message}
        </p>
      ) : null}
      {/* A cancelled team is read-only: the settings stay readable, every control is disabled. */}
      <fieldset className="plain" disabled={!editable}>
        <fieldset>
          <legend>When an event holds restricted data</legend>
          <label className="radio">
            <input type="radio" name="mode" value="reject" checked={mode === 'reject'} onChange={() => (setMode('reject'), setSaved(false))} /> Reject the whole event (recommended)
          </label>
          <label className="radio">
            <input type="radio" name="mode" value="redact" checked={mode === 'redact'} onChange={() => (setMode('redact'), setSaved(false))} /> Redact the matched text and keep the event
          </label>
        </fieldset>

        <h3>Detectors</h3>
        {drafts.length === 0 ? <p className="muted">No detectors: only payment card numbers are refused.</p> : null}
        {drafts.map((d, i) => (
          <fieldset key={i} className="detector">
            <legend>{d.kind === 'keywords' ? 'Keyword list' : 'Pattern'}{d.label ? `: ${d.label}` : ''}</legend>
            <Field label="Label">{(control) => <input {...control} required maxLength={100} value={d.label} onChange={(e) => update(i, { label: e.currentTarget.value })} />}</Field>
            <Field label="Id" hint="Lower-case letters, digits, - and _. Counts name the detector by it. Empty: made from the label.">
              {(control) => <input {...control} maxLength={40} pattern="[a-z0-9][a-z0-9_\-]*" value={d.id} onChange={(e) => update(i, { id: e.currentTarget.value })} />}
            </Field>
            {d.kind === 'keywords' ? (
              <Field label="Terms" hint="One per line; whole words, case and accents ignored.">
                {(control) => <textarea {...control} rows={4} value={d.terms} onChange={(e) => update(i, { terms: e.currentTarget.value })} />}
              </Field>
            ) : (
              <>
                <Field label="Pattern" hint="A regular expression in RE2 syntax, e.g. \b\d{3}-\d{2}-\d{4}\b or [\w.+-]+@[\w-]+\.\w+. No backreferences or lookaround.">
                  {(control) => <input {...control} className="code" spellCheck={false} value={d.pattern} onChange={(e) => update(i, { pattern: e.currentTarget.value })} />}
                </Field>
                <label className="checkbox">
                  <input type="checkbox" checked={d.ignoreCase} onChange={(e) => update(i, { ignoreCase: e.currentTarget.checked })} /> Ignore case
                </label>
              </>
            )}
            <ErrorNotice error={errorOf(d, i)} />
            <button type="button" onClick={() => (setDrafts(drafts.filter((_, j) => j !== i)), setSaved(false))}>
              Remove this detector
            </button>
          </fieldset>
        ))}
        <div className="buttons">
          <button type="button" onClick={() => add('keywords')}>
            Add a keyword list
          </button>
          <button type="button" onClick={() => add('regex')}>
            Add a pattern
          </button>
        </div>
        <ErrorNotice error={drafts.some((d, i) => errorOf(d, i)) ? undefined : save.error} />
        {saved ? <Done>Saved. Ingest applies these settings from now on.</Done> : null}
        <button type="submit" className="primary" disabled={save.busy}>
          Save restricted-data settings
        </button>
      </fieldset>
    </form>
  );
}
