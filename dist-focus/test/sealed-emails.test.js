import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createHaven } from '../src/app.js';
import { hashPassword } from '../src/modules/accounts/passwords.js';
import { allMigrations } from '../src/modules/index.js';
import { configFromEnv } from '../src/platform/config.js';
import { tokenHash } from '../src/platform/crypto/tokens.js';
import { migrate } from '../src/platform/db/migrations.js';
import { createLogger } from '../src/platform/log.js';
import { PASSWORD, TestClient, signUp } from './support/client.js';
import { ENGINES, describeEngines, freshEngine, ownerSql } from './support/haven.js';
/**
 * Members' and invitees' emails are sealed (I2): the sign-in look-up is keyed, the throttle's rows
 * name no email or address, and a database an earlier build wrote in clear is sealed at start,
 * its tables rewritten so their files keep no copy.
 */
describeEngines('members’ emails at rest', (haven) => {
    const { owner } = ownerSql(haven);
    it('a user row holds the email sealed and a keyed look-up, nothing in clear; sign-in finds it in any letter case', async () => {
        const a = await signUp(haven().server, 'sealed');
        const row = (await owner(`SELECT email, email_sealed, email_lookup FROM users WHERE id = $1`, [a.userId])).rows[0];
        assert.equal(row.email, null);
        assert.ok(!Buffer.from(row.email_sealed).includes(Buffer.from(a.email)));
        assert.notDeepEqual(Buffer.from(row.email_lookup), createHash('sha256').update(a.email).digest(), 'the look-up is not a plain hash');
        const res = await new TestClient(haven().server).post('/api/v1/auth/sign-in', { email: a.email.toUpperCase(), password: PASSWORD });
        assert.equal(res.status, 200, res.raw.body);
        assert.equal(res.body.user.email, a.email);
        const again = await new TestClient(haven().server).post('/api/v1/auth/sign-up', { email: a.email.toUpperCase(), password: PASSWORD, teamName: 'Twice' });
        assert.equal(again.status, 409);
        assert.equal(again.body.error.code, 'email_taken');
    });
    it('a sealed email moved to another user row does not open', async () => {
        const a = await signUp(haven().server, 'moved-from');
        const b = await signUp(haven().server, 'moved-to');
        await owner(`UPDATE users SET email_sealed = (SELECT email_sealed FROM users WHERE id = $1) WHERE id = $2`, [a.userId, b.userId]);
        const res = await b.client.get('/api/v1/session');
        assert.equal(res.status, 500, 'a value bound to another row must not read as this user’s email');
    });
    it('the sign-in throttle stores keyed subjects, not a hash anyone can recompute from an email or address', async () => {
        const a = await signUp(haven().server, 'throttled');
        const res = await new TestClient(haven().server).post('/api/v1/auth/sign-in', { email: a.email, password: 'not the password at all' });
        assert.equal(res.status, 401);
        const subjects = (await owner(`SELECT subject FROM sign_in_failures`)).rows.map((r) => Buffer.from(r.subject).toString('hex'));
        const keys = haven().keyring.accounts;
        assert.ok(subjects.includes(keys.lookup('sign-in throttle|account', a.email).toString('hex')));
        for (const plain of [tokenHash(`sign-in-account:${a.email}`), tokenHash(a.email), tokenHash('sign-in-address:127.0.0.1')]) {
            assert.ok(!subjects.includes(plain.toString('hex')), 'a plain hash was stored');
        }
    });
});
describe('emails an earlier build stored in clear', () => {
    for (const kind of ENGINES) {
        it(`[${kind}] are sealed when Haven starts: members sign in, lists and invitations read as before, the tables' files keep no copy`, async () => {
            const db = await freshEngine(kind);
            const r = randomBytes(4).toString('hex');
            const ownerEmail = `legacy.owner.${r}@olderbuild.example`;
            const inviteeEmail = `legacy.invitee.${r}@olderbuild.example`;
            const userId = randomUUID();
            const teamId = randomUUID();
            const token = `hvi_${randomBytes(32).toString('base64url')}${teamId.replaceAll('-', '')}`;
            try {
                // The schema as the build before sealed emails left it, with its rows.
                const upTo = allMigrations.findIndex((m) => m.id === 'accounts/0003_sealed_emails');
                await migrate(db.engine, allMigrations.slice(0, upTo));
                await db.engine.ownerTransaction(async (tx) => {
                    await tx.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)`, [userId, ownerEmail, await hashPassword(PASSWORD)]);
                    await tx.query(`INSERT INTO teams (team_id, name) VALUES ($1, 'Older build')`, [teamId]);
                    await tx.query(`INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [teamId, userId]);
                    await tx.query(`INSERT INTO invitations (team_id, id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, 'member', $4, $5, now() + interval '7 days')`, [teamId, randomUUID(), inviteeEmail, tokenHash(token), userId]);
                });
                const tableBytes = async (table) => db.engine.ownerTransaction(async (tx) => {
                    await tx.query('CHECKPOINT');
                    const r = await tx.query(`SELECT pg_read_binary_file(pg_relation_filepath($1::regclass)) AS bytes`, [table]);
                    return Buffer.from(r.rows[0].bytes);
                });
                // The scan sees the clear values before: it can tell.
                assert.ok((await tableBytes('users')).includes(Buffer.from(ownerEmail)), 'positive control: the clear email is in the users file');
                assert.ok((await tableBytes('invitations')).includes(Buffer.from(inviteeEmail)), 'positive control: the clear email is in the invitations file');
                const logs = [];
                const destination = new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) });
                const config = { ...configFromEnv({}), rateLimitPerMinute: 1_000_000, masterKey: randomBytes(32).toString('base64') };
                const haven = await createHaven(config, createLogger({ destination, level: 'info' }), { engine: db.engine, jobs: 'manual' });
                try {
                    assert.ok(logs.some((l) => l.includes('sealed emails stored in clear') && l.includes('"users":1') && l.includes('"invitations":1')), logs.join(''));
                    assert.ok(!logs.join('').includes(ownerEmail) && !logs.join('').includes(inviteeEmail), 'an email was logged');
                    const clear = await db.engine.ownerTransaction((tx) => tx.query(`SELECT (SELECT count(*) FROM users WHERE email IS NOT NULL) + (SELECT count(*) FROM invitations WHERE email IS NOT NULL) AS n`));
                    assert.equal(Number(clear.rows[0].n), 0);
                    for (const [table, email] of [['users', ownerEmail], ['invitations', inviteeEmail]]) {
                        assert.ok(!(await tableBytes(table)).includes(Buffer.from(email)), `the ${table} file still holds the clear email`);
                    }
                    const member = new TestClient(haven.server);
                    const signedIn = await member.post('/api/v1/auth/sign-in', { email: ownerEmail.toUpperCase(), password: PASSWORD });
                    assert.equal(signedIn.status, 200, signedIn.raw.body);
                    assert.equal(signedIn.body.user.email, ownerEmail);
                    assert.deepEqual((await member.get('/api/v1/members')).body.members.map((m) => m.email), [ownerEmail]);
                    assert.deepEqual((await member.get('/api/v1/invitations')).body.invitations.map((i) => i.email), [inviteeEmail]);
                    const taken = await new TestClient(haven.server).post('/api/v1/auth/sign-up', { email: ownerEmail, password: PASSWORD, teamName: 'Again' });
                    assert.equal(taken.status, 409, 'the sealed look-up still keeps the email unique');
                    // The invitation an earlier build wrote is accepted as the invited email.
                    const joined = await new TestClient(haven.server).post('/api/v1/invitations/accept', { token, password: PASSWORD });
                    assert.equal(joined.status, 200, joined.raw.body);
                    assert.equal(joined.body.user.email, inviteeEmail);
                    assert.deepEqual((await member.get('/api/v1/members')).body.members.map((m) => m.email).sort(), [inviteeEmail, ownerEmail].sort());
                }
                finally {
                    await haven.close();
                }
            }
            finally {
                await db.drop();
            }
        });
    }
});
//# sourceMappingURL=sealed-emails.test.js.map