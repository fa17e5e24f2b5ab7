import { type FormEvent, useState } from 'react';
import { accounts } from '../../api/accounts';
import type { ApiKey } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field } from '../../components/Field';
import { EmptyState, ErrorNotice, Loading, fieldError } from '../../components/Notices';
import { SecretOnce } from '../../components/SecretOnce';
import { formatDate, formatTime } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useActorNames } from '../../hooks/useActorNames';
import { useLoad } from '../../hooks/useLoad';
import { rememberWriteKey } from '../../new-write-key';
import { Link } from '../../router';
import { useSignedIn } from '../../session';

type Kind = 'write' | 'secret-read' | 'secret-admin';
const KINDS: Record<Kind, { label: string; body: { kind: 'write' | 'secret'; scope?: 'read' | 'admin' } }> = {
  write: { label: 'Write key — public, can only send events (for websites and apps)', body: { kind: 'write' } },
  'secret-read': { label: 'Secret key, read — reads like a viewer (for your back ends)', body: { kind: 'secret', scope: 'read' } },
  'secret-admin': { label: 'Secret key, admin — acts like an admin (for your back ends)', body: { kind: 'secret', scope: 'admin' } },
};

function kindLabel(k: ApiKey): string {
  return k.kind === 'write' ? 'write' : `secret · ${k.scope}`;
}

/**
 * Who made a key, once the members are known (the list always holds the reader). A maker no
 * longer a member: their secret keys were revoked when they went (or at the next start, for keys
 * older than that rule); their write keys stay, and are worth a look.
 */
function madeBy(k: ApiKey, members: Map<string, string>): string {
  // Null only for a key made with a key before Haven traced such keys to their member.
  if (k.createdBy === null) return ' · made with an API key';
  if (members.size === 0) return '';
  return ` · by ${members.get(k.createdBy) ?? 'a former member'}`;
}

/** Create keys (the key is shown once), see them by prefix and maker, revoke them. */
export function ApiKeys() {
  const { session, canChange } = useSignedIn();
  const manage = canChange('apiKeys.manage');
  const members = useActorNames(false);
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const keys = useLoad(() => accounts.apiKeys(includeRevoked), [includeRevoked]);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('write');
  const [created, setCreated] = useState<{ token: string; kind: 'write' | 'secret' } | null>(null);
  const create = useAction(async () => {
    const made = await accounts.createApiKey({ name: name.trim(), ...KINDS[kind].body });
    if (made.apiKey.kind === 'write') rememberWriteKey({ userId: session.user.id, teamId: session.activeTeamId }, made.token);
    keys.setData((current) => ({ apiKeys: [made.apiKey, ...(current?.apiKeys ?? [])] }));
    setCreated({ token: made.token, kind: made.apiKey.kind });
    setName('');
  });
  const revoke = useAction(async (id: string) => {
    const revoked = await accounts.revokeApiKey(id);
    keys.setData((current) => ({
      apiKeys: (current?.apiKeys ?? []).flatMap((k) => (k.id !== id ? [k] : includeRevoked ? [revoked] : [])),
    }));
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void create.run();
  }

  return (
    <>
      {/* Kept, disabled, when the team turns read-only with a name typed or a new key shown: nothing vanishes unexplained. */}
      {manage || name || created ? (
        <section className="card" aria-labelledby="new-key-heading">
          <h2 id="new-key-heading">Create a key</h2>
          <form onSubmit={submit}>
            <Field label="Name" hint="What it is for, e.g. “Website” or “Billing back end”." error={fieldError(create.error, 'name')}>
              {(control) => <input {...control} required maxLength={100} autoComplete="off" disabled={!manage} value={name} onChange={(e) => setName(e.currentTarget.value)} />}
            </Field>
            <fieldset>
              <legend>Kind</legend>
              {(Object.keys(KINDS) as Kind[]).map((k) => (
                <label key={k} className="radio">
                  <input type="radio" name="kind" value={k} disabled={!manage} checked={kind === k} onChange={() => setKind(k)} /> {KINDS[k].label}
                </label>
              ))}
            </fieldset>
            <ErrorNotice error={create.error} unlessField={['name']} />
            <button type="submit" className="primary" disabled={create.busy || !manage}>
              Create key
            </button>
          </form>
          {created ? (
            <>
              <SecretOnce
                label={created.kind === 'write' ? 'New write key' : 'New secret key'}
                value={created.token}
                note={
                  created.kind === 'write'
                    ? 'Shown only now: Haven keeps a hash. A write key is safe in a web page; it can only send events.'
                    : 'Shown only now: Haven keeps a hash. Keep it secret, on your servers only: Authorization: Bearer <key>. It stops working if you leave the team, or if your role drops below the key’s.'
                }
                onDone={() => setCreated(null)}
              />
              {created.kind === 'write' ? (
                <p>
                  <Link to="/settings/tracking">Get the tracking snippet with this key</Link>
                </p>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        <label className="checkbox">
          <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.currentTarget.checked)} /> Show revoked keys
        </label>
        <ErrorNotice error={keys.error ?? revoke.error} />
        {keys.loading ? <Loading what="API keys" /> : null}
        {keys.data && keys.data.apiKeys.length === 0 ? <EmptyState title="No keys yet." /> : null}
        {keys.data && keys.data.apiKeys.length > 0 ? (
          <ul className="rows">
            {keys.data.apiKeys.map((k) => (
              <li key={k.id} className="row">
                <span className="row-main">
                  <span className="row-title">
                    {k.name} <code>{k.prefix}…</code>
                  </span>
                  <span className="row-meta">
                    {kindLabel(k)} · created {formatDate(k.createdAt)}
                    {madeBy(k, members)} · {k.lastUsedAt ? `last used ${formatTime(k.lastUsedAt)}` : 'never used'}
                  </span>
                </span>
                {k.revokedAt ? (
                  <span className="badge">revoked</span>
                ) : !manage ? null : (
                  <ConfirmButton label="Revoke" confirmLabel="Revoke key" question={`Revoke “${k.name}”? Anything using it stops working at once.`} busy={revoke.busy} onConfirm={() => void revoke.run(k.id)} />
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </>
  );
}
