import { uuidFromHex } from '../../platform/crypto/tokens.js';
import { HavenError } from '../../platform/http/errors.js';
import { IDENTITY_KINDS } from '../people/index.js';
import { identityHash } from './suppression-list.js';
/**
 * One-click unsubscribe links (RFC 8058). The token is `<team id hex>.<ciphertext>`: the identity's
 * suppression hash (never the address) sealed under the team key with AES-256-GCM, bound to the
 * team. It is opaque to the recipient and to anyone reading mail logs, and any change — or a token
 * of another team — fails authentication. It names its team so the server knows which key opens it.
 */
const linkContext = (teamId) => ({ teamId, table: 'suppressions', column: 'unsubscribe_link', rowId: teamId });
export async function unsubscribeToken(keyring, tx, teamId, identity) {
    const hash = await identityHash(keyring, tx, teamId, identity);
    const payload = Buffer.from(JSON.stringify({ k: identity.kind, h: hash.toString('base64url') }), 'utf8');
    const sealed = await keyring.sealForTeam(tx, linkContext(teamId), payload);
    return `${teamId.replaceAll('-', '')}.${sealed.toString('base64url')}`;
}
export const invalidLink = () => new HavenError('unsubscribe_link_invalid', 404, 'This unsubscribe link is not valid.');
/** The team named by a token, or a 404 for anything malformed (checked before any database work). */
export function teamOfToken(token) {
    const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{40,400})$/.exec(token);
    if (!m)
        throw invalidLink();
    return uuidFromHex(m[1]);
}
/** Open a token inside the named team's scope; any failure to authenticate is the same 404. */
export async function openUnsubscribeToken(keyring, tx, token) {
    const teamId = teamOfToken(token);
    try {
        const sealed = Buffer.from(token.slice(token.indexOf('.') + 1), 'base64url');
        const payload = JSON.parse((await keyring.openForTeam(tx, linkContext(teamId), sealed)).toString('utf8'));
        if (!IDENTITY_KINDS.includes(payload.k) || typeof payload.h !== 'string')
            throw invalidLink();
        return { teamId, kind: payload.k, hash: Buffer.from(payload.h, 'base64url') };
    }
    catch {
        throw invalidLink();
    }
}
export function unsubscribeUrl(publicUrl, token) {
    return `${publicUrl}/unsubscribe/${token}`;
}
//# sourceMappingURL=unsubscribe-link.js.map