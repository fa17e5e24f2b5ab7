import { type FormEvent, useEffect, useState } from 'react';
import { privacy } from '../../api/privacy';
import type { PrivacySettings, RetentionResult } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { Done, ErrorNotice, Loading, fieldError } from '../../components/Notices';
import { counted, formatDate, formatTime } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useSignedIn } from '../../session';

interface Draft {
  consent: boolean;
  purpose: string;
  events: boolean;
  eventDays: string;
  people: boolean;
  peopleMonths: string;
  linkHours: string;
}

function toDraft(s: PrivacySettings): Draft {
  return {
    consent: s.consentRequiredFor !== null,
    purpose: s.consentRequiredFor ?? 'analytics',
    events: s.eventRetentionDays !== null,
    eventDays: String(s.eventRetentionDays ?? 395),
    people: s.inactivePeopleMonths !== null,
    peopleMonths: String(s.inactivePeopleMonths ?? 12),
    linkHours: String(s.exportLinkHours),
  };
}

function toSettings(d: Draft): Omit<PrivacySettings, 'updatedAt'> {
  return {
    consentRequiredFor: d.consent ? d.purpose.trim().toLowerCase() : null,
    eventRetentionDays: d.events ? Number(d.eventDays) : null,
    inactivePeopleMonths: d.people ? Number(d.peopleMonths) : null,
    exportLinkHours: Number(d.linkHours),
  };
}

const same = (a: Omit<PrivacySettings, 'updatedAt'>, b: PrivacySettings) =>
  a.consentRequiredFor === b.consentRequiredFor && a.eventRetentionDays === b.eventRetentionDays && a.inactivePeopleMonths === b.inactivePeopleMonths && a.exportLinkHours === b.exportLinkHours;

/**
 * The team's privacy policy: consent required before events are recorded, how long events and
 * inactive people are kept, how long an export link works; and the retention policy's dry run,
 * shown before it is applied.
 */
export function PrivacyPolicy() {
  const editable = useSignedIn().canChange('privacy.manage');
  const settings = useLoad(() => privacy.settings(), []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data) setDraft(toDraft(settings.data));
  }, [settings.data]);
  const save = useAction(async (next: Omit<PrivacySettings, 'updatedAt'>) => {
    settings.setData(await privacy.updateSettings(next));
    setSaved(true);
  });

  if (settings.loading && !settings.data) return <Loading what="privacy settings" />;
  if (!settings.data || !draft) return <ErrorNotice error={settings.error} />;
  const next = toSettings(draft);
  const dirty = !same(next, settings.data);
  const set = (change: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...change });
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    void save.run(next);
  }

  return (
    <>
      <form className="card" onSubmit={submit} aria-labelledby="policy-heading">
        <h2 id="policy-heading">Privacy policy</h2>
        <fieldset className="plain" disabled={!editable}>
          <fieldset>
            <legend>Consent before tracking</legend>
            <label className="checkbox">
              <input type="checkbox" checked={draft.consent} onChange={(e) => set({ consent: e.currentTarget.checked })} /> Record events only for people with an
              active consent for a purpose
            </label>
            {draft.consent ? (
              <Field label="Purpose" hint="As recorded on each person’s consents, e.g. analytics. Others’ events are refused, and no visitor is created for them." error={fieldError(save.error, 'consentRequiredFor')}>
                {(control) => <input {...control} required maxLength={64} spellCheck={false} autoComplete="off" value={draft.purpose} onChange={(e) => set({ purpose: e.currentTarget.value })} />}
              </Field>
            ) : null}
          </fieldset>
          <fieldset>
            <legend>Retention</legend>
            <label className="checkbox">
              <input type="checkbox" checked={draft.events} onChange={(e) => set({ events: e.currentTarget.checked })} /> Delete events after a number of days
            </label>
            {draft.events ? (
              <Field label="Keep events for (days)" hint="1 to 36 500." error={fieldError(save.error, 'eventRetentionDays')}>
                {(control) => <input {...control} type="number" inputMode="numeric" required min={1} max={36500} value={draft.eventDays} onChange={(e) => set({ eventDays: e.currentTarget.value })} />}
              </Field>
            ) : null}
            <label className="checkbox">
              <input type="checkbox" checked={draft.people} onChange={(e) => set({ people: e.currentTarget.checked })} /> Erase people who have been inactive for a
              number of months
            </label>
            {draft.people ? (
              <Field label="Erase after inactivity of (months)" hint="No event, note, consent or change to their profile for that long. Events must be kept at least 31 days per month. 1 to 1 200." error={fieldError(save.error, 'inactivePeopleMonths')}>
                {(control) => <input {...control} type="number" inputMode="numeric" required min={1} max={1200} value={draft.peopleMonths} onChange={(e) => set({ peopleMonths: e.currentTarget.value })} />}
              </Field>
            ) : null}
          </fieldset>
          <Field label="Export links work for (hours)" hint="How long an access export can be downloaded (once). 1 to 168." error={fieldError(save.error, 'exportLinkHours')}>
            {(control) => <input {...control} type="number" inputMode="numeric" required min={1} max={168} value={draft.linkHours} onChange={(e) => set({ linkHours: e.currentTarget.value })} />}
          </Field>
          <ErrorNotice error={save.error} unlessField={['consentRequiredFor', 'eventRetentionDays', 'inactivePeopleMonths', 'exportLinkHours']} />
          {saved ? <Done>Saved. Ingest and the daily retention run follow this policy from now on.</Done> : null}
          {editable ? (
            <button type="submit" className="primary" disabled={save.busy || !dirty}>
              Save the privacy policy
            </button>
          ) : null}
        </fieldset>
        {settings.data.updatedAt ? <p className="hint">Last changed {formatTime(settings.data.updatedAt)}.</p> : null}
      </form>
      <RetentionPreview version={settings.data.updatedAt} unsaved={dirty} editable={editable} />
    </>
  );
}

/** The dry run of the saved retention policy, then "Apply now" (it also runs daily). */
function RetentionPreview({ version, unsaved, editable }: { version: string | null; unsaved: boolean; editable: boolean }) {
  const plan = useLoad(() => privacy.retentionPreview(), [version]);
  const [applied, setApplied] = useState<RetentionResult | null>(null);
  const apply = useAction(async () => {
    setApplied(await privacy.runRetention());
    plan.reload();
  });
  const p = plan.data;
  const nothingSet = p !== undefined && p.settings.eventRetentionDays === null && p.settings.inactivePeopleMonths === null;
  const removes = p ? p.events + p.inactivePeople + p.expiredExports : 0;
  return (
    <section className="card" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Retention: what would be removed now</h2>
      <p>A dry run of the saved policy. It runs by itself every day; apply it now to see the effect at once. Every run is audited with its counts.</p>
      <ErrorNotice error={plan.error} />
      {plan.loading && !p ? <Loading what="the dry run" /> : null}
      {p ? (
        <ul className="preview" aria-label="Dry run of the retention policy">
          <li>
            <strong>{counted(p.events, 'event')}</strong> to delete {p.eventsBefore ? `— from before ${formatDate(p.eventsBefore)}` : '(no event retention set)'}
          </li>
          <li>
            <strong>{counted(p.inactivePeople, 'person', 'people')}</strong> to erase {p.inactiveSince ? `— inactive since ${formatDate(p.inactiveSince)}` : '(no inactivity period set)'}
          </li>
          <li>
            <strong>{counted(p.expiredExports, 'expired export link')}</strong> to close
          </li>
        </ul>
      ) : null}
      {nothingSet ? <p className="muted">No retention period is set: only expired export links are closed.</p> : null}
      {p?.problem ? <p className="notice notice-info">Nobody is erased for inactivity: {p.problem} Save the policy again to fix it.</p> : null}
      {unsaved ? <p className="notice notice-info">The policy above has unsaved changes: save it first — the dry run and “Apply now” use the saved policy.</p> : null}
      {applied ? (
        <Done>
          Applied: {counted(applied.events, 'event')} deleted, {counted(applied.people, 'person', 'people')} erased, {counted(applied.expiredExports, 'export link')} closed.
        </Done>
      ) : null}
      <ErrorNotice error={apply.error} />
      {editable && p ? (
        <ConfirmButton
          label="Apply now"
          confirmLabel="Apply the policy"
          question={removes > 0 ? `Delete ${counted(p.events, 'event')} and erase ${counted(p.inactivePeople, 'person', 'people')} now? This cannot be undone.` : 'Nothing to remove now. Apply anyway?'}
          busy={apply.busy || unsaved || plan.loading}
          onConfirm={() => void apply.run()}
        />
      ) : null}
    </section>
  );
}
