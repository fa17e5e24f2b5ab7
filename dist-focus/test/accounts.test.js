import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { giveTeamsIndexRoots } from '../src/modules/accounts/give-teams-index-roots.js';
import { FAILED_SIGN_IN_JOB } from '../src/modules/accounts/record-failed-sign-in.js';
import { recordMakersOfKeysMadeByKeys, revokeOutlivedGrants } from '../src/modules/accounts/revoke-outlived-grants.js';
import { THROTTLE } from '../src/modules/accounts/sign-in-throttle.js';
import { createLogger } from '../src/platform/log.js';
import { PASSWORD, TestClient, addMember, assertError, keyClient, signUp, uniqueEmail } from './support/client.js';
import { describeEngines, ownerSql } from './support/haven.js';
import { whileLocked } from './support/while-locked.js';
describeEngines('accounts: sign-up, sessions, teams, invitations, API keys', (haven) => {
    const server = () => haven().server;
    const { owner } = ownerSql(haven);
    it('sign-up creates the user, a team they own and a session cookie without Max-Age', async () => {
        const client = new TestClient(server());
        const email = uniqueEmail();
        const res = await client.post('/api/v1/auth/sign-up', { email: email.toUpperCase(), password: PASSWORD, teamName: ' Acme ' });
        assert.equal(res.status, 201);
        assert.equal(res.body.user.email, email, 'email is normalised to lower case');
        assert.equal(res.body.teams.length, 1);
        assert.deepEqual({ name: res.body.teams[0].name, role: res.body.teams[0].role }, { name: 'Acme', role: 'owner' });
        const cookies = [].concat(res.headers['set-cookie'] ?? []);
        const cookie = cookies.find((c) => c.startsWith('__Host-haven_session='));
        assert.match(cookie, /^__Host-haven_session=[A-Za-z0-9_-]{43};/);
        assert.match(cookie, /HttpOnly/);
        assert.match(cookie, /Secure/);
        assert.match(cookie, /SameSite=Lax/);
        assert.doesNotMatch(cookie, /Max-Age|Expires/i, 'closing the browser must end the session');
        assert.match(cookies.find((c) => c.startsWith('__Secure-haven_device=')), /Path=\/api\/v1\/auth\/sign-in.*HttpOnly.*SameSite=Strict/, 'and the device cookie for the sign-in throttle');
        const me = await client.get('/api/v1/session');
        assert.equal(me.status, 200);
        assert.equal(me.body.user.id, res.body.user.id);
    });
    it('the session token and password are stored only as hashes', async () => {
        const a = await signUp(server());
        const rows = await owner(`SELECT encode(token_hash, 'base64') AS h FROM sessions WHERE user_id = $1`, [a.userId]);
        assert.equal(rows.rowCount, 1);
        const { h } = rows.rows[0];
        assert.notEqual(h.replace(/=+$/, ''), a.client.cookie);
        const user = (await owner(`SELECT password_hash FROM users WHERE id = $1`, [a.userId])).rows[0];
        assert.match(user.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });
    it('sign-in starts a new session id and ends the one the browser presented', async () => {
        const a = await signUp(server());
        const before = a.client.cookie;
        const res = await a.client.post('/api/v1/auth/sign-in', { email: a.email, password: PASSWORD });
        assert.equal(res.status, 200);
        assert.ok(a.client.cookie && a.client.cookie !== before, 'a fresh id at sign-in');
        const stale = new TestClient(server());
        stale.cookie = before;
        assert.equal((await stale.get('/api/v1/session')).status, 401);
    });
    it('wrong password and unknown account answer the same', async () => {
        const a = await signUp(server());
        const wrong = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: 'not the password' });
        const unknown = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: uniqueEmail('nobody'), password: 'whatever1234' });
        assert.equal(wrong.status, 401);
        assert.deepEqual(wrong.body, unknown.body);
        assert.equal(wrong.body.error.code, 'invalid_credentials');
    });
    it('a wrong password and an unknown email do the same work: one queued job, no audit row until it runs', async () => {
        const a = await signUp(server());
        const b = await signUp(server(), 'second-team');
        await b.client.post('/api/v1/invitations', { email: a.email, role: 'viewer' }).then((inv) => a.client.post('/api/v1/invitations/accept', { token: inv.body.token }));
        await haven().jobs.runNow(FAILED_SIGN_IN_JOB); // whatever earlier tests left queued
        const audited = async () => Number((await owner(`SELECT count(*) AS n FROM audit_log`)).rows[0].n);
        const queued = async () => Number((await owner(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state = 'created'`, [FAILED_SIGN_IN_JOB])).rows[0].n);
        const before = await audited();
        const wrong = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: 'not the password' });
        assert.equal(wrong.status, 401);
        assert.equal(await queued(), 1);
        assert.equal(await audited(), before, 'the request itself writes no audit row');
        const unknown = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: uniqueEmail('nobody'), password: 'not the password' });
        assert.equal(unknown.status, 401);
        assert.equal(await queued(), 2, 'an unknown email queues the same job');
        assert.equal(await audited(), before);
        assert.equal(await haven().jobs.runNow(FAILED_SIGN_IN_JOB), 2);
        const rows = (await owner(`SELECT team_id, entry FROM audit_log WHERE action = 'auth.sign_in_failed' AND actor_id = $1 ORDER BY team_id`, [a.userId])).rows;
        assert.deepEqual(rows.map((r) => r.team_id), [a.teamId, b.teamId].sort(), 'each team of the account gets the entry');
        const entry = JSON.parse(rows[0].entry);
        assert.equal(entry.target.type, 'sign_in_attempt');
        assert.match(entry.details.attemptedAt, /^\d{4}-\d\d-\d\dT/);
        assert.match(entry.requestId, /^[0-9a-f-]{36}$/);
        assert.equal(await audited(), before + 2, 'the unknown email wrote nothing, to any team');
        assert.equal((await b.client.get('/api/v1/audit/verify')).body.valid, true);
    });
    it('the failed sign-in job writes its entry once, however often it is delivered', async () => {
        const a = await signUp(server());
        const job = { userId: a.userId, attempt: randomUUID(), attemptedAt: new Date().toISOString(), requestId: null };
        await haven().jobs.send(FAILED_SIGN_IN_JOB, job);
        await haven().jobs.send(FAILED_SIGN_IN_JOB, job);
        assert.equal(await haven().jobs.runNow(FAILED_SIGN_IN_JOB), 2);
        const rows = await owner(`SELECT 1 FROM audit_log WHERE team_id = $1 AND action = 'auth.sign_in_failed'`, [a.teamId]);
        assert.equal(rows.rowCount, 1);
    });
    it('sign-out ends the session and clears the cookie', async () => {
        const a = await signUp(server());
        const token = a.client.cookie;
        const res = await a.client.post('/api/v1/auth/sign-out');
        assert.equal(res.status, 204);
        assert.match(String(res.headers['set-cookie']), /__Host-haven_session=;/);
        const replay = new TestClient(server());
        replay.cookie = token;
        const after = await replay.get('/api/v1/session');
        assert.equal(after.status, 401);
        assert.equal(after.body.error.code, 'session_expired');
    });
    it('sessions end after the idle timeout and after the absolute lifetime', async () => {
        const idle = await signUp(server());
        await owner(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [idle.userId]);
        assert.equal((await idle.client.get('/api/v1/session')).status, 401);
        assert.equal((await owner(`SELECT 1 FROM sessions WHERE user_id = $1`, [idle.userId])).rowCount, 0, 'expired session deleted');
        const active = await signUp(server());
        await owner(`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1`, [active.userId]);
        assert.equal((await active.client.get('/api/v1/session')).status, 200, 'still within the idle window');
        const old = await signUp(server());
        await owner(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [old.userId]);
        assert.equal((await old.client.get('/api/v1/session')).status, 401);
    });
    it('cookie-authenticated writes need the CSRF token and the same origin', async () => {
        const a = await signUp(server());
        const none = await a.client.patch('/api/v1/team', { name: 'X' }, { 'x-csrf-token': '' });
        assert.equal(none.status, 403);
        assert.equal(none.body.error.code, 'csrf_failed');
        const wrong = await a.client.patch('/api/v1/team', { name: 'X' }, { 'x-csrf-token': 'A'.repeat(43) });
        assert.equal(wrong.body.error.code, 'csrf_failed');
        const foreign = await a.client.patch('/api/v1/team', { name: 'X' }, { origin: 'https://evil.example' });
        assert.equal(foreign.status, 403);
        assert.equal(foreign.body.error.code, 'cross_origin');
        // The same host over the other scheme is another origin (a plain-http page cannot write to https).
        const otherScheme = await a.client.patch('/api/v1/team', { name: 'X' }, { origin: 'https://localhost' });
        assert.equal(otherScheme.body.error.code, 'cross_origin');
        const signInCsrf = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: PASSWORD }, { origin: 'https://evil.example' });
        assert.equal(signInCsrf.body.error.code, 'cross_origin');
        const team = await a.client.get('/api/v1/team');
        assert.equal(team.body.name, 'Team', 'nothing changed');
        const ok = await a.client.patch('/api/v1/team', { name: 'Renamed' }, { origin: 'http://localhost:80' });
        assert.equal(ok.status, 200, 'same origin with the token is fine');
    });
    it(`sign-in is throttled per account after ${THROTTLE.perAccount} failures, even with the right password`, async () => {
        const a = await signUp(server());
        for (let i = 0; i < THROTTLE.perAccount; i++) {
            const r = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: `wrong-${i}-password` });
            assert.equal(r.status, 401);
        }
        assert.equal(await haven().jobs.runNow(FAILED_SIGN_IN_JOB), THROTTLE.perAccount);
        const audited = async () => (await owner(`SELECT 1 FROM audit_log WHERE team_id = $1`, [a.teamId])).rowCount;
        const before = await audited();
        const blocked = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: PASSWORD });
        assert.equal(blocked.status, 429);
        assert.equal(blocked.body.error.code, 'too_many_attempts');
        assert.equal(blocked.headers['retry-after'], String(THROTTLE.windowMinutes * 60));
        assert.equal(await haven().jobs.runNow(FAILED_SIGN_IN_JOB), 0, 'a refused attempt queues nothing');
        assert.equal(await audited(), before, 'and writes nothing, as for an unknown email');
        await owner(`UPDATE sign_in_failures SET failed_at = now() - interval '16 minutes'`);
        const later = await new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: PASSWORD });
        assert.equal(later.status, 200, 'the window passes');
    });
    it("a browser the account signed in from before keeps its own count: guesses elsewhere do not lock the owner out", async () => {
        const a = await signUp(server());
        const signIn = (password, address, device, email = a.email) => server().inject({
            method: 'POST',
            url: '/api/v1/auth/sign-in',
            remoteAddress: address,
            headers: device ? { cookie: `__Secure-haven_device=${device}` } : {},
            payload: { email, password },
        });
        const first = await signIn(PASSWORD, '198.51.100.1');
        assert.equal(first.statusCode, 200);
        const cookie = first.cookies.find((c) => c.name === '__Secure-haven_device');
        assert.equal(cookie.path, '/api/v1/auth/sign-in');
        assert.equal(cookie.httpOnly, true);
        assert.equal(cookie.sameSite, 'Strict');
        assert.ok(cookie.maxAge > 86_400 * 30);
        // Someone else guesses until the account is throttled for strangers.
        for (let i = 0; i < THROTTLE.perAccount; i++)
            assert.equal((await signIn(`guess-${i}-password`, '203.0.113.66')).statusCode, 401);
        assert.equal((await signIn(PASSWORD, '198.51.100.2')).statusCode, 429, 'a browser without the cookie is refused');
        assert.equal((await signIn(PASSWORD, '198.51.100.2', 'forged.cookie')).statusCode, 429, 'so is one with a forged cookie');
        const b = await signUp(server());
        const other = (await signIn(PASSWORD, '198.51.100.3', undefined, b.email)).cookies.find((c) => c.name === '__Secure-haven_device');
        assert.equal((await signIn(PASSWORD, '198.51.100.2', other.value)).statusCode, 429, "and one with another account's cookie");
        const owner = await signIn(PASSWORD, '198.51.100.1', cookie.value);
        assert.equal(owner.statusCode, 200, "the owner's own browser still signs in");
        // The device has its limit too.
        const renewed = owner.cookies.find((c) => c.name === '__Secure-haven_device').value;
        for (let i = 0; i < THROTTLE.perAccount; i++)
            assert.equal((await signIn(`mine-${i}-password`, '198.51.100.1', renewed)).statusCode, 401);
        assert.equal((await signIn(PASSWORD, '198.51.100.1', renewed)).statusCode, 429);
        await haven().jobs.runNow(FAILED_SIGN_IN_JOB); // leave no queued audit jobs for the next test to count
    });
    it('wrong passwords sent all at once get no more tries than one after another', async () => {
        const a = await signUp(server());
        const tries = await Promise.all(Array.from({ length: 20 }, (_, i) => new TestClient(server()).post('/api/v1/auth/sign-in', { email: a.email, password: `guess-${i}-password` })));
        const statuses = tries.map((r) => r.status);
        assert.equal(statuses.filter((s) => s === 401).length, THROTTLE.perAccount, JSON.stringify(statuses));
        assert.equal(statuses.filter((s) => s === 429).length, 20 - THROTTLE.perAccount);
        await owner(`DELETE FROM sign_in_failures`);
    });
    it('signing in successfully does not count against the address', async () => {
        const a = await signUp(server());
        const from = '10.9.8.6';
        for (let i = 0; i <= THROTTLE.perAddress; i++) {
            const r = await server().inject({ method: 'POST', url: '/api/v1/auth/sign-in', remoteAddress: from, payload: { email: a.email, password: PASSWORD } });
            assert.equal(r.statusCode, 200, `sign-in ${i + 1}`);
        }
    });
    it(`sign-in is throttled per client address after ${THROTTLE.perAddress} failures`, async () => {
        const remoteAddress = '10.9.8.7';
        const inject = (email, password, from = remoteAddress) => server().inject({ method: 'POST', url: '/api/v1/auth/sign-in', remoteAddress: from, payload: { email, password } });
        for (let i = 0; i < THROTTLE.perAddress; i++)
            assert.equal((await inject(uniqueEmail('spray'), 'password-guess')).statusCode, 401);
        const a = await signUp(server());
        assert.equal((await inject(a.email, PASSWORD)).statusCode, 429);
        assert.equal((await inject(a.email, PASSWORD, '10.9.8.8')).statusCode, 200, 'other addresses are unaffected');
        await owner(`DELETE FROM sign_in_failures`);
    });
    it('sign out everywhere ends every session of the user', async () => {
        const a = await signUp(server());
        const laptop = new TestClient(server());
        assert.equal((await laptop.post('/api/v1/auth/sign-in', { email: a.email, password: PASSWORD })).status, 200);
        const res = await a.client.post('/api/v1/auth/sign-out-everywhere');
        assert.equal(res.status, 200);
        assert.equal(res.body.endedSessions, 2);
        assert.equal((await laptop.get('/api/v1/session')).status, 401);
        assert.equal((await a.client.get('/api/v1/session')).status, 401);
    });
    it('a user can belong to several teams and switch between them', async () => {
        const a = await signUp(server(), 'multi', 'First');
        const created = await a.client.post('/api/v1/teams', { name: 'Second' });
        assert.equal(created.status, 201);
        assert.equal(created.body.teams.length, 2);
        const second = created.body.activeTeamId;
        assert.notEqual(second, a.teamId);
        assert.equal((await a.client.get('/api/v1/team')).body.name, 'Second');
        const back = await a.client.put('/api/v1/session/team', { teamId: a.teamId });
        assert.equal(back.status, 200);
        assert.equal((await a.client.get('/api/v1/team')).body.name, 'First');
        const stranger = await signUp(server());
        const hop = await stranger.client.put('/api/v1/session/team', { teamId: a.teamId });
        assert.equal(hop.status, 404);
    });
    it('a team gets its blind-index root with the team (so every backup holding the team holds the key its ledgered hashes need)', async () => {
        const a = await signUp(server(), 'root', 'Rooted');
        const created = await a.client.post('/api/v1/teams', { name: 'Rooted too' });
        assert.equal(created.status, 201);
        for (const teamId of [a.teamId, created.body.activeTeamId]) {
            const rows = await owner(`SELECT 1 FROM team_index_keys WHERE team_id = $1`, [teamId]);
            assert.equal(rows.rowCount, 1, `team ${teamId} has no index root`);
        }
    });
    it('a team an earlier build left without a blind-index root gets one when Haven prepares to serve', async () => {
        const a = await signUp(server(), 'rootless', 'Older');
        const b = await signUp(server(), 'rooted', 'Newer');
        await owner(`DELETE FROM team_index_keys WHERE team_id = $1`, [a.teamId]);
        const ctx = { engine: haven().engine, keyring: haven().keyring, logger: createLogger({ level: 'silent' }) };
        assert.ok((await giveTeamsIndexRoots(ctx)) >= 1);
        for (const teamId of [a.teamId, b.teamId])
            assert.equal((await owner(`SELECT 1 FROM team_index_keys WHERE team_id = $1`, [teamId])).rowCount, 1);
        assert.equal(await giveTeamsIndexRoots(ctx), 0, 'every team has its root now');
    });
    it('invitations: single-use, expiring, revocable; accepted by a new or an existing user', async () => {
        const a = await signUp(server());
        const invited = await addMember(server(), a.client, 'member');
        assert.equal(invited.teamId, a.teamId);
        const members = await a.client.get('/api/v1/members');
        assert.deepEqual(members.body.members.map((m) => m.role).sort(), ['member', 'owner']);
        const inv = await a.client.post('/api/v1/invitations', { email: uniqueEmail('again'), role: 'viewer' });
        const first = await new TestClient(server()).post('/api/v1/invitations/accept', { token: inv.body.token, password: PASSWORD });
        assert.equal(first.status, 200);
        const reuse = await new TestClient(server()).post('/api/v1/invitations/accept', { token: inv.body.token, password: PASSWORD });
        assert.equal(reuse.status, 404);
        assert.equal(reuse.body.error.code, 'invitation_invalid');
        const expiring = await a.client.post('/api/v1/invitations', { email: uniqueEmail('late'), role: 'viewer' });
        await owner(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.body.invitation.id]);
        const late = await new TestClient(server()).post('/api/v1/invitations/accept', { token: expiring.body.token, password: PASSWORD });
        assert.equal(late.body.error.code, 'invitation_invalid');
        const revoked = await a.client.post('/api/v1/invitations', { email: uniqueEmail('revoked'), role: 'viewer' });
        assert.equal((await a.client.delete(`/api/v1/invitations/${revoked.body.invitation.id}`)).body.status, 'revoked');
        const afterRevoke = await new TestClient(server()).post('/api/v1/invitations/accept', { token: revoked.body.token, password: PASSWORD });
        assert.equal(afterRevoke.body.error.code, 'invitation_invalid');
        const existing = await signUp(server(), 'existing');
        const forExisting = await a.client.post('/api/v1/invitations', { email: existing.email, role: 'admin' });
        const joined = await existing.client.post('/api/v1/invitations/accept', { token: forExisting.body.token });
        assert.equal(joined.status, 200);
        assert.equal(joined.body.teams.length, 2);
        assert.equal(joined.body.activeTeamId, a.teamId);
        const list = await a.client.get('/api/v1/invitations?status=pending');
        assert.deepEqual(list.body.invitations, []);
    });
    it('signed in, an invitation is accepted only by the account it was sent to', async () => {
        const a = await signUp(server());
        const invitee = await signUp(server(), 'invitee');
        const bystander = await signUp(server(), 'bystander');
        const inv = await a.client.post('/api/v1/invitations', { email: invitee.email.toUpperCase(), role: 'member' });
        assert.equal(inv.status, 201);
        const memberships = async () => (await owner(`SELECT user_id FROM memberships WHERE team_id = $1 ORDER BY user_id`, [a.teamId])).rows;
        const before = await memberships();
        const refused = await bystander.client.post('/api/v1/invitations/accept', { token: inv.body.token });
        assert.equal(refused.status, 403);
        assert.equal(refused.body.error.code, 'invitation_for_another_email');
        assert.ok(!JSON.stringify(refused.body).includes(invitee.email), 'the refusal does not name the invitee');
        assert.deepEqual(await memberships(), before, 'nobody joined');
        assert.equal((await bystander.client.get('/api/v1/session')).body.activeTeamId, bystander.teamId, 'the session stays on its team');
        const pending = (await a.client.get('/api/v1/invitations?status=pending')).body.invitations;
        assert.deepEqual(pending.map((i) => i.id), [inv.body.invitation.id], 'the invitation is still pending');
        const joined = await invitee.client.post('/api/v1/invitations/accept', { token: inv.body.token });
        assert.equal(joined.status, 200, joined.raw.body);
        assert.equal(joined.body.activeTeamId, a.teamId);
    });
    it('the last owner cannot be demoted or leave; with a second owner they can', async () => {
        const a = await signUp(server());
        const demote = await a.client.patch(`/api/v1/members/${a.userId}`, { role: 'admin' });
        assert.equal(demote.status, 409);
        assert.equal(demote.body.error.code, 'last_owner');
        const leave = await a.client.delete(`/api/v1/members/${a.userId}`);
        assert.equal(leave.body.error.code, 'last_owner');
        const b = await addMember(server(), a.client, 'admin');
        const adminPromotes = await b.client.patch(`/api/v1/members/${b.userId}`, { role: 'owner' });
        assert.equal(adminPromotes.status, 403, 'an admin cannot make anyone owner');
        assert.equal((await a.client.patch(`/api/v1/members/${b.userId}`, { role: 'owner' })).status, 200);
        assert.equal((await a.client.delete(`/api/v1/members/${a.userId}`)).status, 204);
        const gone = await a.client.get('/api/v1/team');
        assert.equal(gone.status, 403);
        assert.equal(gone.body.error.code, 'no_active_team');
    });
    it('two owners demoting or removing each other at once: one wins, the other is last_owner, never a 500', async () => {
        const a = await signUp(server());
        const b = await addMember(server(), a.client, 'owner');
        // The loser is refused as the last owner; or, when the winner committed before the loser's
        // request was even authenticated, as no longer an owner (403) or no longer a member.
        const assertOneWon = (replies, success, label) => {
            const won = replies.filter((r) => r.status === success);
            const lost = replies.filter((r) => r.status !== success);
            assert.equal(won.length, 1, `${label}: ${replies.map((r) => `${r.status} ${r.raw.body}`).join(' / ')}`);
            assert.ok(['last_owner', 'forbidden', 'no_active_team'].includes(lost[0].body?.error?.code), `${label}: ${lost[0].status} ${lost[0].raw.body}`);
        };
        const ownersOf = async () => (await owner(`SELECT user_id FROM memberships WHERE team_id = $1 AND role = 'owner'`, [a.teamId])).rows.map((r) => r.user_id);
        // Each request locks its target's row, then counts owners: run together they used to lock
        // each other's row first and deadlock (PostgreSQL). The race is run several times to meet it.
        for (let round = 0; round < 20; round++) {
            const [ab, ba] = await Promise.all([
                a.client.patch(`/api/v1/members/${b.userId}`, { role: 'admin' }),
                b.client.patch(`/api/v1/members/${a.userId}`, { role: 'admin' }),
            ]);
            assertOneWon([ab, ba], 200, `round ${round}`);
            const [winner, loser] = ab.status === 200 ? [a, b] : [b, a];
            assert.deepEqual(await ownersOf(), [winner.userId], `round ${round}: the winner is the one owner`);
            assert.equal((await winner.client.patch(`/api/v1/members/${loser.userId}`, { role: 'owner' })).status, 200);
        }
        for (let round = 0; round < 3; round++) {
            const x = await signUp(server(), `owner-x${round}`);
            const y = await addMember(server(), x.client, 'owner', `owner-y${round}`);
            const [xy, yx] = await Promise.all([x.client.delete(`/api/v1/members/${y.userId}`), y.client.delete(`/api/v1/members/${x.userId}`)]);
            assertOneWon([xy, yx], 204, `removal round ${round}`);
            const left = await owner(`SELECT count(*)::int AS n FROM memberships WHERE team_id = $1 AND role = 'owner'`, [x.teamId]);
            assert.equal(left.rows[0].n, 1, `removal round ${round}: one owner left`);
        }
    });
    it('a removed member loses access at once', async () => {
        const a = await signUp(server());
        const m = await addMember(server(), a.client, 'member');
        assert.equal((await m.client.get('/api/v1/team')).status, 200);
        assert.equal((await a.client.delete(`/api/v1/members/${m.userId}`)).status, 204);
        assert.equal((await m.client.get('/api/v1/team')).status, 403);
    });
    it("a secret key never holds more than its maker: demotion ends their admin keys; leaving, removal or account deletion every secret key they made", async () => {
        const a = await signUp(server());
        const status = async (key) => (await key.client.get('/api/v1/members')).status;
        const revocations = async () => (await a.client.get('/api/v1/audit?action=api_key.revoked')).body.entries
            .map((e) => ({ target_id: e.target.id, reason: e.details.reason }))
            .reverse(); // newest first
        const admin = await addMember(server(), a.client, 'admin');
        const adminKey = await keyClient(server(), admin.client, 'secret', 'admin');
        const readKey = await keyClient(server(), admin.client, 'secret', 'read');
        const writeKey = await keyClient(server(), admin.client, 'write');
        const ownersKey = await keyClient(server(), a.client, 'secret', 'admin');
        assert.equal((await a.client.patch(`/api/v1/members/${admin.userId}`, { role: 'member' })).status, 200);
        assert.equal(await status(adminKey), 401, 'an admin key of a member would act above them');
        assert.equal(await status(readKey), 200, 'a read key acts as a viewer: within a member');
        assert.equal((await a.client.delete(`/api/v1/members/${admin.userId}`)).status, 204);
        assert.equal(await status(readKey), 401);
        assert.equal(await status(ownersKey), 200, "another member's keys stay");
        const sent = await writeKey.client.post('/api/v1/events', { events: [{ type: 'track', event: 'Signed Up', anonymousId: 'v' }] });
        assert.equal(sent.status, 200, 'a write key (public, ingest only) belongs to the sites, not to its maker');
        const leaver = await addMember(server(), a.client, 'admin', 'leaver');
        const leaversKey = await keyClient(server(), leaver.client, 'secret', 'read');
        assert.equal((await leaver.client.delete(`/api/v1/members/${leaver.userId}`)).status, 204);
        assert.equal(await status(leaversKey), 401);
        const deleter = await addMember(server(), a.client, 'admin', 'deleter');
        const deletersKey = await keyClient(server(), deleter.client, 'secret', 'admin');
        assert.equal((await deleter.client.post('/api/v1/auth/delete-account', { password: PASSWORD })).status, 200);
        assert.equal(await status(deletersKey), 401);
        assert.deepEqual(await revocations(), [
            { target_id: adminKey.id, reason: 'role_changed' },
            { target_id: readKey.id, reason: 'member_removed' },
            { target_id: leaversKey.id, reason: 'member_left' },
            { target_id: deletersKey.id, reason: 'account_deleted' },
        ]);
    });
    it("a key made with a key is its maker's: revoked with the others when that member leaves; one made so before is traced through the audit log at start", async () => {
        const a = await signUp(server(), 'keychain');
        const status = async (key) => (await key.get('/api/v1/members')).status;
        const admin = await addMember(server(), a.client, 'admin', 'keychain-admin');
        const first = await keyClient(server(), admin.client, 'secret', 'admin');
        const made = await first.client.post('/api/v1/api-keys', { name: 'made with a key', kind: 'secret', scope: 'admin' });
        assert.equal(made.status, 201, made.raw.body);
        assert.equal(made.body.apiKey.createdBy, admin.userId);
        const second = TestClient.withKey(server(), made.body.token);
        // Made with the second key before Haven recorded the member behind a key: no maker.
        const old = await second.post('/api/v1/api-keys', { name: 'made before', kind: 'secret', scope: 'read' });
        assert.equal(old.status, 201, old.raw.body);
        await owner(`UPDATE api_keys SET created_by = NULL WHERE team_id = $1 AND id = $2`, [a.teamId, old.body.apiKey.id]);
        const ctx = { engine: haven().engine, logger: createLogger({ level: 'silent' }) };
        assert.equal(await recordMakersOfKeysMadeByKeys(ctx), 1);
        const makers = await owner(`SELECT created_by FROM api_keys WHERE team_id = $1 AND kind = 'secret'`, [a.teamId]);
        assert.deepEqual([...new Set(makers.rows.map((r) => r.created_by))], [admin.userId]);
        assert.equal(await recordMakersOfKeysMadeByKeys(ctx), 0, 'nothing left to trace');
        assert.equal((await a.client.delete(`/api/v1/members/${admin.userId}`)).status, 204);
        for (const key of [first.client, second, TestClient.withKey(server(), old.body.token)])
            assert.equal(await status(key), 401);
    });
    it("pending invitations never grant more than their inviter now could: revoked at a demotion or removal, refused at acceptance if older", async () => {
        const a = await signUp(server(), 'inviter');
        const coOwner = await addMember(server(), a.client, 'owner', 'co-owner');
        const asOwner = await coOwner.client.post('/api/v1/invitations', { email: uniqueEmail('new-owner'), role: 'owner' });
        const asAdmin = await coOwner.client.post('/api/v1/invitations', { email: uniqueEmail('new-admin'), role: 'admin' });
        assert.deepEqual([asOwner.status, asAdmin.status], [201, 201]);
        assert.equal((await a.client.patch(`/api/v1/members/${coOwner.userId}`, { role: 'admin' })).status, 200);
        const statuses = async () => Object.fromEntries((await a.client.get('/api/v1/invitations')).body.invitations.map((i) => [i.id, i.status]));
        assert.equal((await statuses())[asOwner.body.invitation.id], 'revoked', 'an admin cannot invite an owner');
        assert.equal((await statuses())[asAdmin.body.invitation.id], 'pending');
        const accept = (token) => new TestClient(server()).post('/api/v1/invitations/accept', { token, password: PASSWORD });
        assertError(await accept(asOwner.body.token), 404, 'invitation_invalid');
        assert.equal((await accept(asAdmin.body.token)).status, 200);
        // Removed: every pending invitation of theirs goes.
        const later = await coOwner.client.post('/api/v1/invitations', { email: uniqueEmail('later'), role: 'member' });
        assert.equal((await a.client.delete(`/api/v1/members/${coOwner.userId}`)).status, 204);
        assert.equal((await statuses())[later.body.invitation.id], 'revoked');
        assertError(await accept(later.body.token), 404, 'invitation_invalid');
        const reasons = (await a.client.get('/api/v1/audit?action=invitation.revoked')).body.entries.map((e) => `${e.target.id} ${e.details.reason}`);
        assert.deepEqual(reasons.sort(), [`${asOwner.body.invitation.id} role_changed`, `${later.body.invitation.id} member_removed`].sort());
        // Sent before Haven revoked them (or the inviter left by a change made outside Haven): refused
        // at acceptance (and revoked at the next start).
        const admin = await addMember(server(), a.client, 'admin', 'old-inviter');
        const older = await admin.client.post('/api/v1/invitations', { email: uniqueEmail('older'), role: 'admin' });
        await owner(`DELETE FROM memberships WHERE team_id = $1 AND user_id = $2`, [a.teamId, admin.userId]);
        assertError(await accept(older.body.token), 404, 'invitation_invalid');
    });
    it('a member demoted while their request waits for the team acts with the role they have now, not the one they came with', async () => {
        const a = await signUp(server(), 'stale-role');
        const admin = await addMember(server(), a.client, 'admin', 'stale-admin');
        const viewer = await addMember(server(), a.client, 'viewer', 'stale-viewer');
        const replies = await whileLocked(haven(), async (tx) => {
            // A demotion, committed while the admin's requests wait behind the team's row lock.
            await tx.query(`SELECT 1 FROM teams WHERE team_id = $1 FOR NO KEY UPDATE`, [a.teamId]);
            await tx.query(`UPDATE memberships SET role = 'viewer' WHERE team_id = $1 AND user_id = $2`, [a.teamId, admin.userId]);
        }, 3, () => Promise.all([
            admin.client.patch(`/api/v1/members/${viewer.userId}`, { role: 'admin' }),
            admin.client.post('/api/v1/api-keys', { name: 'late', kind: 'secret', scope: 'admin' }),
            admin.client.post('/api/v1/invitations', { email: uniqueEmail('late'), role: 'admin' }),
        ]));
        for (const reply of replies)
            assertError(reply, 403, 'forbidden');
        const members = (await a.client.get('/api/v1/members')).body.members;
        assert.equal(members.find((m) => m.userId === viewer.userId)?.role, 'viewer');
        assert.deepEqual((await a.client.get('/api/v1/api-keys')).body.apiKeys, []);
    });
    it('keys and invitations that outlived their maker’s place before this release are revoked at start, audited; the others stay', async () => {
        const a = await signUp(server(), 'outlived');
        const status = async (key) => (await key.client.get('/api/v1/members')).status;
        const gone = await addMember(server(), a.client, 'admin', 'gone');
        const goneAdminKey = await keyClient(server(), gone.client, 'secret', 'admin');
        const goneReadKey = await keyClient(server(), gone.client, 'secret', 'read');
        const goneWriteKey = await keyClient(server(), gone.client, 'write');
        const demoted = await addMember(server(), a.client, 'admin', 'demoted');
        const demotedAdminKey = await keyClient(server(), demoted.client, 'secret', 'admin');
        const demotedReadKey = await keyClient(server(), demoted.client, 'secret', 'read');
        const ownersKey = await keyClient(server(), a.client, 'secret', 'admin');
        const invite = async (by, role) => (await by.post('/api/v1/invitations', { email: uniqueEmail('outlived-inv'), role })).body.invitation.id;
        const goneInvitation = await invite(gone.client, 'member');
        const demotedInvitesAdmin = await invite(demoted.client, 'admin');
        const ownersInvitation = await invite(a.client, 'owner');
        // As an earlier build left them: the member gone and the other demoted, their keys live.
        await owner(`DELETE FROM memberships WHERE team_id = $1 AND user_id = $2`, [a.teamId, gone.userId]);
        await owner(`UPDATE memberships SET role = 'member' WHERE team_id = $1 AND user_id = $2`, [a.teamId, demoted.userId]);
        assert.equal(await status(goneAdminKey), 200, 'positive control: the key still works');
        const ctx = { engine: haven().engine, logger: createLogger({ level: 'silent' }) };
        const revoked = await revokeOutlivedGrants(ctx);
        assert.ok(revoked.keys >= 3 && revoked.invitations >= 2, JSON.stringify(revoked));
        for (const key of [goneAdminKey, goneReadKey, demotedAdminKey])
            assert.equal(await status(key), 401);
        for (const key of [demotedReadKey, ownersKey])
            assert.equal(await status(key), 200, 'a key within its maker’s role stays');
        const sent = await goneWriteKey.client.post('/api/v1/events', { events: [{ type: 'track', event: 'Signed Up', anonymousId: 'v' }] });
        assert.equal(sent.status, 200, 'write keys stay');
        const revocations = (await a.client.get('/api/v1/audit?action=api_key.revoked')).body.entries.map((e) => `${e.actor.type} ${e.target.id} ${e.details.reason}`);
        assert.deepEqual(revocations.sort(), [
            `system ${goneAdminKey.id} maker_not_member`,
            `system ${goneReadKey.id} maker_not_member`,
            `system ${demotedAdminKey.id} role_changed`,
        ].sort());
        const invitations = Object.fromEntries((await a.client.get('/api/v1/invitations')).body.invitations.map((i) => [i.id, i.status]));
        assert.deepEqual([goneInvitation, demotedInvitesAdmin, ownersInvitation].map((id) => invitations[id]), ['revoked', 'revoked', 'pending'], 'a member may invite nobody; the owner anyone');
        const invitationRevocations = (await a.client.get('/api/v1/audit?action=invitation.revoked')).body.entries.map((e) => `${e.actor.type} ${e.target.id} ${e.details.reason}`);
        assert.deepEqual(invitationRevocations.sort(), [`system ${goneInvitation} maker_not_member`, `system ${demotedInvitesAdmin} role_changed`].sort());
        assert.deepEqual(await revokeOutlivedGrants(ctx), { keys: 0, invitations: 0 }, 'nothing is left to revoke');
    });
    it('API keys: shown once, stored hashed, listed by prefix, revocable, bearer auth', async () => {
        const a = await signUp(server());
        const secret = await keyClient(server(), a.client, 'secret', 'read');
        assert.match(secret.token, /^hv_sk_[A-Za-z0-9_-]{32}[0-9a-f]{32}$/);
        const list = await a.client.get('/api/v1/api-keys');
        assert.equal(list.status, 200);
        assert.equal(list.body.apiKeys.length, 1);
        const listed = list.body.apiKeys[0];
        assert.equal(listed.prefix, secret.token.slice(0, 14));
        assert.equal(JSON.stringify(list.body).includes(secret.token), false, 'the key is never shown again');
        const stored = await owner(`SELECT * FROM api_keys WHERE id = $1`, [secret.id]);
        assert.equal(JSON.stringify(stored.rows).includes(secret.token.slice(14)), false, 'no column holds the key');
        assert.equal((await secret.client.get('/api/v1/members')).status, 200);
        const write = await keyClient(server(), a.client, 'write');
        assert.match(write.token, /^hv_wk_/);
        const misuse = await write.client.get('/api/v1/members');
        assert.equal(misuse.status, 403);
        assert.equal(misuse.body.error.code, 'write_key_not_allowed');
        const revoked = await a.client.delete(`/api/v1/api-keys/${secret.id}`);
        assert.ok(revoked.body.revokedAt);
        const after = await secret.client.get('/api/v1/members');
        assert.equal(after.status, 401);
        assert.equal(after.body.error.code, 'invalid_api_key');
        const forged = TestClient.withKey(server(), `hv_sk_${'A'.repeat(32)}${a.teamId.replaceAll('-', '')}`);
        assert.equal((await forged.get('/api/v1/members')).status, 401);
        assert.equal((await a.client.get('/api/v1/api-keys?includeRevoked=true')).body.apiKeys.length, 2);
    });
});
//# sourceMappingURL=accounts.test.js.map