import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { isUuid } from '../db/with-team.js';
// The suppression list's own vocabulary (its table checks the same lists).
const IDENTITY_KINDS = ['email', 'phone', 'external_id', 'anonymous_id'];
const REASONS = ['unsubscribe', 'objection', 'erasure'];
const SOURCES = ['link', 'team', 'operator'];
/** A full HMAC-SHA256: 32 bytes in hex. */
const IDENTITY_HASH = /^[0-9a-f]{64}$/i;
/**
 * The one spelling of an entry (lower-case ids and hashes, subject ids without repeats, the time
 * as ISO-8601 in UTC with milliseconds), so the file and the database copy of the same entry are
 * equal. Throws TypeError on anything that is not an entry.
 */
export function normaliseEntry(value) {
    const e = value;
    if (!e || typeof e !== 'object')
        throw new TypeError('an erasure entry is an object');
    const id = (v, what) => {
        if (typeof v !== 'string' || !isUuid(v))
            throw new TypeError(`an erasure entry's ${what} is a UUID`);
        return v.toLowerCase();
    };
    const time = (v, what) => {
        const at = typeof v === 'string' || v instanceof Date ? new Date(v) : new Date(NaN);
        if (Number.isNaN(at.getTime()))
            throw new TypeError(`an erasure entry's ${what} is a time`);
        return at.toISOString();
    };
    const oneOf = (v, list, what) => {
        if (!list.includes(v))
            throw new TypeError(`an erasure entry's ${what} is one of ${list.join(', ')}`);
        return v;
    };
    if (e.kind === 'user')
        return { kind: 'user', userId: id(e.userId, 'userId'), erasedAt: time(e.erasedAt, 'erasedAt') };
    const teamId = id(e.teamId, 'teamId');
    switch (e.kind) {
        case 'team':
            return { kind: 'team', teamId, erasedAt: time(e.erasedAt, 'erasedAt') };
        case 'person': {
            if (!Array.isArray(e.subjectIds))
                throw new TypeError("an erasure entry's subjectIds is a list");
            const subjectIds = [...new Set(e.subjectIds.map((s) => id(s, 'subjectIds')))];
            return { kind: 'person', teamId, personId: id(e.personId, 'personId'), subjectIds, erasedAt: time(e.erasedAt, 'erasedAt') };
        }
        case 'suppression':
        case 'suppression_lifted': {
            const identityKind = oneOf(e.identityKind, IDENTITY_KINDS, 'identityKind');
            if (typeof e.identity !== 'string' || !IDENTITY_HASH.test(e.identity))
                throw new TypeError("an erasure entry's identity is a 64-digit hex HMAC");
            const identity = e.identity.toLowerCase();
            const at = time(e.at, 'at');
            if (e.kind === 'suppression_lifted')
                return { kind: 'suppression_lifted', teamId, identityKind, identity, at };
            return { kind: 'suppression', teamId, identityKind, identity, reason: oneOf(e.reason, REASONS, 'reason'), source: oneOf(e.source, SOURCES, 'source'), at };
        }
        default:
            throw new TypeError("an erasure entry's kind is 'person', 'team', 'user', 'suppression' or 'suppression_lifted'");
    }
}
/** When the entry happened (its erasure, suppression or lift). */
export function entryTime(entry) {
    return entry.kind === 'suppression' || entry.kind === 'suppression_lifted' ? entry.at : entry.erasedAt;
}
/** SHA-256 of the entry's canonical JSON: the same entry has the same key wherever it is kept. */
export function entryKey(entry) {
    return createHash('sha256').update(canonicalJson(entry)).digest();
}
//# sourceMappingURL=entry.js.map