import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HavenError } from '../../platform/http/errors.js';
import { openUnsubscribeToken, teamOfToken, unsubscribeToken, unsubscribeUrl } from './unsubscribe-link.js';
const TEAM = '0f8fad5b-d9cb-469f-a165-70867728950e';
const HEX = TEAM.replaceAll('-', '');
/** A ciphertext part of a plausible length and alphabet (what a real token carries after the dot). */
const SEALED = randomBytes(100).toString('base64url');
/** Whatever the database or the keyring is asked, the test is told: malformed links must not get that far. */
function untouchable() {
    const calls = [];
    const tx = {
        query: async (text) => {
            calls.push(`query: ${text}`);
            throw new Error('the database was touched');
        },
        announce: async () => {
            calls.push('announce');
            throw new Error('the database was touched');
        },
        whenDone: () => {
            calls.push('whenDone');
        },
    };
    const keyring = new Proxy({}, {
        get(_target, prop) {
            calls.push(`keyring.${String(prop)}`);
            throw new Error('the keyring was touched');
        },
    });
    return { tx, keyring, calls };
}
function isInvalidLink(error) {
    return error instanceof HavenError && error.code === 'unsubscribe_link_invalid' && error.status === 404;
}
/** Tokens of every malformed shape, with what is wrong with each. */
const MALFORMED = [
    ['empty', ''],
    ['a word', 'not-a-token'],
    ['no dot', `${HEX}${SEALED}`],
    ['nothing after the dot', `${HEX}.`],
    ['nothing before the dot', `.${SEALED}`],
    ['a dashed UUID for the team', `${TEAM}.${SEALED}`],
    ['upper-case hex team', `${HEX.toUpperCase()}.${SEALED}`],
    ['31 hex digits', `${HEX.slice(1)}.${SEALED}`],
    ['33 hex digits', `${HEX}a.${SEALED}`],
    ['a non-hex digit in the team', `${HEX.slice(0, -1)}g.${SEALED}`],
    ['fullwidth digits in the team', `${'０'.repeat(32)}.${SEALED}`],
    ['ciphertext too short (39)', `${HEX}.${'A'.repeat(39)}`],
    ['ciphertext too long (401)', `${HEX}.${'A'.repeat(401)}`],
    ['standard base64 (+)', `${HEX}.${SEALED.slice(0, 50)}+${SEALED.slice(51)}`],
    ['standard base64 (/)', `${HEX}.${SEALED.slice(0, 50)}/${SEALED.slice(51)}`],
    ['base64 padding', `${HEX}.${SEALED}==`],
    ['two dots', `${HEX}.${SEALED.slice(0, 60)}.${SEALED.slice(60)}`],
    ['a second token appended', `${HEX}.${SEALED}.${HEX}.${SEALED}`],
    ['a leading space', ` ${HEX}.${SEALED}`],
    ['a trailing space', `${HEX}.${SEALED} `],
    ['a trailing newline', `${HEX}.${SEALED}\n`],
    ['a NUL byte', `${HEX}.${SEALED.slice(0, 50)}\0${SEALED.slice(51)}`],
    ['percent-encoded', `${HEX}.${SEALED.slice(0, 50)}%2F${SEALED.slice(53)}`],
    ['a path', `../${HEX}.${SEALED}`],
    ['SQL', `${HEX}.${SEALED.slice(0, 40)}' OR '1'='1`],
    ['huge', `${HEX}.${'A'.repeat(100_000)}`],
];
/**
 * A keyring that seals for a team with AES-256-GCM under one key (version 1), binding the team,
 * table, column and row as associated data (as the real keyring does), and computes suppression
 * hashes with HMAC.
 */
function sealingKeyring() {
    const key = randomBytes(32);
    const aad = (w) => Buffer.from(`${w.teamId}|${w.table}|${w.column}|${w.rowId}`);
    return {
        blindIndexes: { index: async (_tx, teamId, field, value) => createHmac('sha256', key).update(`${teamId}|${field}|${value}`).digest() },
        async sealForTeam(_tx, where, plaintext) {
            const nonce = randomBytes(12);
            const c = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad(where));
            const body = Buffer.concat([c.update(plaintext), c.final()]);
            return Buffer.concat([Buffer.from([1]), nonce, body, c.getAuthTag()]);
        },
        async openForTeam(_tx, where, sealed) {
            if (sealed[0] !== 1)
                throw new Error('no team key of that version');
            const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13)).setAAD(aad(where));
            d.setAuthTag(sealed.subarray(sealed.length - 16));
            return Buffer.concat([d.update(sealed.subarray(13, sealed.length - 16)), d.final()]);
        },
    };
}
/** A keyring whose team key "opens" any token to the given plaintext (or fails as told). */
function openingTo(plaintext) {
    return {
        async openForTeam() {
            if (plaintext instanceof Error)
                throw plaintext;
            return plaintext;
        },
    };
}
const noTx = { query: async () => ({ rows: [], rowCount: 0 }), announce: async () => { }, whenDone: () => { } };
describe('unsubscribe links', () => {
    it('a malformed token of any shape is 404 unsubscribe_link_invalid, before the database or the keyring is touched', async () => {
        for (const [what, token] of MALFORMED) {
            assert.throws(() => teamOfToken(token), isInvalidLink, what);
            const { tx, keyring, calls } = untouchable();
            await assert.rejects(openUnsubscribeToken(keyring, tx, token), isInvalidLink, what);
            assert.deepEqual(calls, [], `${what}: touched ${calls.join(', ')}`);
        }
    });
    it('any string either names a team (a well-formed token) or is that same 404 — never another error', () => {
        const wellFormed = /^[0-9a-f]{32}\.[A-Za-z0-9_-]{40,400}$/;
        fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.string({ unit: 'binary', maxLength: 500 }), fc.stringMatching(wellFormed)), (token) => {
            try {
                const team = teamOfToken(token);
                assert.ok(wellFormed.test(token), `accepted ${JSON.stringify(token)}`);
                assert.equal(team.replaceAll('-', ''), token.slice(0, 32));
            }
            catch (error) {
                assert.ok(isInvalidLink(error), `${JSON.stringify(token)}: ${String(error)}`);
                assert.ok(!wellFormed.test(token), `refused a well-formed token ${JSON.stringify(token)}`);
            }
        }), { numRuns: 1000 });
    });
    it('a well-formed token that does not open, or opens to anything but a target, is the same 404', async () => {
        const token = `${HEX}.${SEALED}`;
        const contents = [
            ['authentication fails', new Error('Unsupported state or unable to authenticate data')],
            ['no key for the team', new HavenError('not_found', 404, 'No such team.')],
            ['not JSON', Buffer.from('\x00\x01binary')],
            ['JSON null', Buffer.from('null')],
            ['a JSON string', Buffer.from('"email"')],
            ['an unknown kind', Buffer.from(JSON.stringify({ k: 'password', h: 'aGFzaA' }))],
            ['no kind', Buffer.from(JSON.stringify({ h: 'aGFzaA' }))],
            ['a hash that is not a string', Buffer.from(JSON.stringify({ k: 'email', h: 42 }))],
            ['no hash', Buffer.from(JSON.stringify({ k: 'email' }))],
        ];
        for (const [what, plaintext] of contents) {
            await assert.rejects(openUnsubscribeToken(openingTo(plaintext), noTx, token), isInvalidLink, what);
        }
    });
    it('a token made for an identity opens to its team, kind and suppression hash, and carries no address', async () => {
        const keyring = sealingKeyring();
        for (const identity of [
            { kind: 'email', value: 'someone.with.a.long.address@example.test' },
            { kind: 'phone', value: '+12025550143' },
            { kind: 'external_id', value: 'crm-42' },
            { kind: 'anonymous_id', value: 'a'.repeat(200) },
        ]) {
            const token = await unsubscribeToken(keyring, noTx, TEAM, identity);
            assert.equal(teamOfToken(token), TEAM, identity.kind);
            assert.ok(!token.includes(identity.value) && !token.includes(Buffer.from(identity.value).toString('base64url')), `${identity.kind}: the token shows the value`);
            const target = await openUnsubscribeToken(keyring, noTx, token);
            const hash = await keyring.blindIndexes.index(noTx, TEAM, `suppression.${identity.kind}`, identity.value, 256);
            assert.deepEqual(target, { teamId: TEAM, kind: identity.kind, hash }, identity.kind);
            assert.equal(unsubscribeUrl('https://haven.example.test', token), `https://haven.example.test/unsubscribe/${token}`);
        }
    });
    it('a real token moved to another team, or changed in any one character, is the same 404', async () => {
        const keyring = sealingKeyring();
        const token = await unsubscribeToken(keyring, noTx, TEAM, { kind: 'email', value: 'uma@example.test' });
        const other = '7c9e6679-7425-40de-944b-e07fc1f90ae7'.replaceAll('-', '');
        await assert.rejects(openUnsubscribeToken(keyring, noTx, `${other}${token.slice(32)}`), isInvalidLink, 'another team');
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        for (let i = 33; i < token.length; i++) {
            const swapped = alphabet[(alphabet.indexOf(token[i]) + 1) % alphabet.length];
            const changed = token.slice(0, i) + swapped + token.slice(i + 1);
            // The last character of base64url carries spare bits: a change there may decode to the same bytes.
            if (Buffer.from(changed.slice(33), 'base64url').equals(Buffer.from(token.slice(33), 'base64url')))
                continue;
            await assert.rejects(openUnsubscribeToken(keyring, noTx, changed), isInvalidLink, `character ${i}`);
        }
    });
});
//# sourceMappingURL=unsubscribe-link.test.js.map