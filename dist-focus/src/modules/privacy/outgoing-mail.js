import { HavenError } from '../../platform/http/errors.js';
import { normaliseIdentity } from '../people/index.js';
import { suppressedAmong } from './suppression-list.js';
import { unsubscribeToken, unsubscribeUrl } from './unsubscribe-link.js';
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/**
 * The one door every email Haven sends goes through. It refuses marketing mail to a suppressed
 * recipient, and gives every message RFC 8058 one-click unsubscribe — `List-Unsubscribe` with the
 * signed opaque link (and nothing personal in it) plus `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click` — and a visible "unsubscribe / report spam" line in the body.
 */
export async function prepareOutgoingEmail(ctx, tx, teamId, mail) {
    const to = normaliseIdentity('email', mail.to, 'to');
    const recipient = { kind: 'email', value: to };
    if (mail.category === 'marketing' && (await suppressedAmong(ctx.keyring, tx, teamId, [recipient])).size > 0) {
        throw new HavenError('recipient_suppressed', 409, 'This recipient has objected or unsubscribed; marketing email to them is not sent.', 'to');
    }
    const url = unsubscribeUrl(ctx.config.publicUrl, await unsubscribeToken(ctx.keyring, tx, teamId, recipient));
    const footer = `\n\n--\nDon't want these emails? Unsubscribe or report spam: ${url}\n`;
    const htmlFooter = `<hr><p style="font-size:12px;color:#555">Don't want these emails? <a href="${escapeHtml(url)}">Unsubscribe or report spam</a>.</p>`;
    return {
        to,
        subject: mail.subject,
        text: mail.text + footer,
        ...(mail.html !== undefined ? { html: mail.html + htmlFooter } : {}),
        headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
}
//# sourceMappingURL=outgoing-mail.js.map