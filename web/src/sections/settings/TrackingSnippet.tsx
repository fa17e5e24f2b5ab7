import { useId, useState } from 'react';
import { accounts } from '../../api/accounts';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice, Loading } from '../../components/Notices';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { rememberWriteKey, rememberedWriteKey } from '../../new-write-key';
import { useSignedIn } from '../../session';

const PLACEHOLDER = 'hv_wk_YOUR_WRITE_KEY';

export function snippetTag(origin: string, writeKey: string): string {
  return `<script src="${origin}/t.js" data-write-key="${writeKey}" defer></script>`;
}

/**
 * The tag to paste into a website, with the team's write key. Keys are stored hashed, so the key
 * is one created in this tab (here or under API keys), or a placeholder to replace.
 */
export function TrackingSnippet() {
  const { session, canChange } = useSignedIn();
  const manage = canChange('apiKeys.manage');
  const scope = { userId: session.user.id, teamId: session.activeTeamId };
  const [writeKey, setWriteKey] = useState(rememberedWriteKey(scope));
  const keys = useLoad(() => accounts.apiKeys(), []);
  const create = useAction(async () => {
    const made = await accounts.createApiKey({ name: 'Website snippet', kind: 'write' });
    rememberWriteKey(scope, made.token);
    setWriteKey(made.token);
  });
  const snippetId = useId();
  const usageId = useId();
  const tag = snippetTag(window.location.origin, writeKey ?? PLACEHOLDER);
  const usage = `haven.identify('user-42', { name: 'Ada Lovelace', email: 'ada@example.com' }); // when someone signs in
haven.track('Signed up', { plan: 'pro' });                                         // anything worth counting
haven.reset();                                                                      // when they sign out`;
  const writeKeys = keys.data?.apiKeys.filter((k) => k.kind === 'write') ?? [];

  return (
    <section className="card" aria-labelledby="snippet-heading">
      <h2 id="snippet-heading">Tracking snippet</h2>
      <p>
        Paste this tag into every page of your website, before <code>&lt;/head&gt;</code>. It records page views (single-page-app navigation included) and
        gives the page <code>haven.track</code>, <code>haven.identify</code> and <code>haven.reset</code>. No cookies; visitors who send Global Privacy
        Control or Do Not Track are not tracked.
      </p>
      {writeKey ? null : (
        <div className="notice notice-info">
          <p>
            Haven keeps only a hash of each write key, so it cannot show an existing one again.
            {keys.loading ? null : writeKeys.length > 0 ? ` Your team has ${writeKeys.length} (${writeKeys.map((k) => `${k.prefix}…`).join(', ')}): put yours in place of ${PLACEHOLDER}, or create one for this snippet.` : ' Create one for this snippet.'}
          </p>
          {manage ? (
            <button type="button" className="primary" onClick={() => void create.run()} disabled={create.busy}>
              Create a write key for the snippet
            </button>
          ) : null}
          <ErrorNotice error={create.error ?? keys.error} />
        </div>
      )}
      {keys.loading ? <Loading what="write keys" /> : null}
      <div className="field">
        <label htmlFor={snippetId}>The tag{writeKey ? ', with your new write key' : ''}</label>
        <textarea id={snippetId} readOnly rows={4} className="code" value={tag} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
        <CopyButton text={tag} label="Copy the tag" fallbackTarget={snippetId} />
      </div>
      {writeKey ? <p className="hint">Shown only now: note the key if you need it elsewhere. It is safe in a web page: it can only send events.</p> : null}
      <div className="field">
        <label htmlFor={usageId}>In your pages’ code</label>
        <textarea id={usageId} readOnly rows={4} className="code" value={usage} spellCheck={false} />
      </div>
      <p className="hint">
        Sites with a Content-Security-Policy must allow <code>{window.location.origin}</code> in <code>script-src</code> and <code>connect-src</code>. Segment and PostHog
        libraries work too: point them at this address with a write key.
      </p>
    </section>
  );
}
