import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
/** A random secret, base64url, from `bytes` of CSPRNG output (32 bytes = 256 bits by default). */
export function randomToken(bytes = 32) {
    return randomBytes(bytes).toString('base64url');
}
/** SHA-256 of a high-entropy token: how sessions, API keys and invitations are stored. */
export function tokenHash(token) {
    return createHash('sha256').update(token, 'utf8').digest();
}
export function sameBytes(a, b) {
    return a.length === b.length && timingSafeEqual(a, b);
}
/** A UUID from its 32 hex digits (how tokens carry a team id). */
export function uuidFromHex(hex) {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
//# sourceMappingURL=tokens.js.map