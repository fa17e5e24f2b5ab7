import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { liftSuppression, suppressHash, suppressionReasonOf } from './suppression-list.js';
import { openUnsubscribeToken, teamOfToken } from './unsubscribe-link.js';
const TokenParams = Type.Object({ token: Type.String({ maxLength: 500 }) });
const linkActor = { type: 'system', id: null };
/**
 * What an unsubscribe does, and no more: the link knows an address, not the person behind it, so
 * it lists that address. An objection to every use of their data is the team's to record (it
 * lists all of the person's identities); the page says where to ask.
 */
const UNSUBSCRIBED = `<p>You will not receive marketing email from this sender at this address. Events that carry this address are no longer recorded.</p>
<p>To object to any other use of your data, such as the recording of your activity on the sender's website, ask the sender to record your objection.</p>`;
/**
 * The address is on the list for more than an unsubscribe: an objection, or an erasure the person
 * asked to stick. A link in an old email cannot undo that — whoever holds it need not be the person.
 */
const OBJECTED = `<p>You will not receive marketing email from this sender at this address: your objection to the use of your data is on record.</p>
<p>To withdraw it, ask the sender.</p>`;
const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid #555;background:#fff;cursor:pointer}button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}';
/** The page's one inline style, allowed by its hash: nothing else inline runs or applies. */
const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
function page(reply, status, title, body) {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title>
<style>${STYLE}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;
    return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('content-security-policy', PAGE_CSP)
        .send(html);
}
/**
 * One-click unsubscribe (RFC 8058) and the visible link in every email. GET only shows a page
 * (link scanners must not unsubscribe anyone); POST — a bare `List-Unsubscribe=One-Click` from a
 * mailbox provider, or the page's button — suppresses, without cookies or sign-in. The person can
 * resubscribe from the same link (an unsubscribe only; an objection stays); nobody at the team can.
 */
export const unsubscribeRoutes = async (app, { ctx }) => {
    // Mailbox providers post form-encoded or multipart bodies; the body carries nothing we need, so
    // any body is taken unread — JSON (empty or not) too, which the API's own parsers would refuse.
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4096 }, (_request, _body, done) => done(null, null));
    const config = { anyOrigin: true, csrfExempt: true };
    const hide = { hide: true, tags: ['privacy'] };
    app.get('/unsubscribe/:token', { config, schema: { ...hide, params: TokenParams } }, async (request, reply) => {
        const { token } = request.params;
        const teamId = teamOfToken(token);
        const reason = await withTeam(ctx.engine, teamId, async (tx) => {
            const target = await openUnsubscribeToken(ctx.keyring, tx, token);
            return suppressionReasonOf(tx, teamId, target.kind, target.hash);
        });
        const action = `/unsubscribe/${token}`;
        if (reason === 'unsubscribe') {
            return page(reply, 200, 'You are unsubscribed', `${UNSUBSCRIBED}
<form method="post" action="${action}/resubscribe"><button type="submit">Subscribe again</button></form>`);
        }
        return reason
            ? page(reply, 200, 'You are unsubscribed', OBJECTED)
            : page(reply, 200, 'Unsubscribe?', `<p>Stop marketing email from this sender to this address. You can undo it from this page.</p>
<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`);
    });
    app.post('/unsubscribe/:token', { config, schema: { ...hide, params: TokenParams } }, async (request, reply) => {
        const { token } = request.params;
        const teamId = teamOfToken(token);
        await withTeam(ctx.engine, teamId, async (tx) => {
            const target = await openUnsubscribeToken(ctx.keyring, tx, token);
            if (await suppressHash(ctx, tx, teamId, target.kind, target.hash, 'unsubscribe', 'link')) {
                await audit.record(tx, { teamId, actor: linkActor, action: 'suppression.added', requestId: request.id, details: { kind: target.kind, via: 'unsubscribe_link' } });
            }
        });
        return page(reply, 200, 'You are unsubscribed', UNSUBSCRIBED);
    });
    app.post('/unsubscribe/:token/resubscribe', { config, schema: { ...hide, params: TokenParams } }, async (request, reply) => {
        const { token } = request.params;
        const teamId = teamOfToken(token);
        const target = await withTeam(ctx.engine, teamId, (tx) => openUnsubscribeToken(ctx.keyring, tx, token));
        // The app role cannot delete from the list; the person's own link can (liftSuppression runs as
        // the owner) — an unsubscribe only, never an objection or an erasure recorded for the address.
        const lifted = await liftSuppression(ctx, teamId, target.kind, target.hash, 'unsubscribe');
        if (lifted) {
            await withTeam(ctx.engine, teamId, (tx) => audit.record(tx, { teamId, actor: linkActor, action: 'suppression.lifted', requestId: request.id, details: { kind: target.kind, via: 'unsubscribe_link' } }));
        }
        if (!lifted && (await withTeam(ctx.engine, teamId, (tx) => suppressionReasonOf(tx, teamId, target.kind, target.hash)))) {
            return page(reply, 409, 'You are still unsubscribed', OBJECTED);
        }
        return page(reply, 200, 'You are subscribed again', `<p>This sender may email you again. You can unsubscribe at any time from the link in their emails.</p>`);
    });
};
//# sourceMappingURL=unsubscribe.routes.js.map