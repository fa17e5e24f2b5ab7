import { Type } from '@sinclair/typebox';
import { HavenError } from '../../platform/http/errors.js';
import { Email, NoContent, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { audit } from '../../platform/audit/index.js';
import { auditForUserTeams } from './audit-actor.js';
import { clearSessionCookie, requireUser, setDeviceCookie, setSessionCookie } from './authenticate.js';
import { DEVICE_COOKIE, deviceToken } from './sign-in-throttle.js';
import { deleteAccount } from './delete-account.js';
import { acceptInvitation, assertInvitationOpen } from './invitations.js';
import { readDeletionDue, teamReadOnly } from './team-lifecycle.js';
import { PASSWORD_MAX, PASSWORD_MIN, hashPassword } from './passwords.js';
import { PERMISSIONS, roleAllows } from './permissions.js';
import { RoleSchema } from './schemas.js';
import { createSession, csrfTokenFor, endAllSessions, endSession, setActiveTeam } from './sessions.js';
import { signIn } from './sign-in.js';
import { insertUser, signUp } from './sign-up.js';
import { emailLookup, normaliseEmail, userEmail } from './user-emails.js';
import { createTeam, teamsOfUser } from './teams.js';
const invitationForAnotherEmail = () => new HavenError('invitation_for_another_email', 403, 'This invitation was sent to another email address: sign in with that address to accept it.');
/** Whether the user's sign-in email is `email`: compared by keyed look-up, so nothing is decrypted for it. */
async function isAddressedTo(tx, keys, userId, email) {
    const r = await tx.query(`SELECT 1 FROM users WHERE id = $1 AND email_lookup = $2`, [userId, emailLookup(keys, normaliseEmail(email))]);
    return r.rowCount > 0;
}
const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
const TeamName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Session = Type.Object({
    user: Type.Object({ id: Uuid, email: Type.String() }),
    teams: Type.Array(Type.Object({ id: Uuid, name: Type.String(), role: RoleSchema, deletionDueAt: Type.Union([Timestamp, Type.Null()]) })),
    activeTeamId: Type.Union([Uuid, Type.Null()]),
    permissions: Type.Array(Type.String(), {
        description: 'The actions your role allows in the active team (`people.write`, …), for showing only usable controls; every request is still checked. While the team is cancelled (its `deletionDueAt` is set) writes are refused whatever the role, except exports, finding a data subject and undoing the cancellation.',
    }),
    csrfToken: Type.String({ description: 'Send as X-CSRF-Token on every signed-in write.' }),
    expiresAt: Timestamp,
    idleExpiresAt: Timestamp,
}, { $id: 'Session' });
export const authRoutes = async (app, { engine, keyring, sessions, ledger, jobs }) => {
    async function sessionBody(userId, token, known, activeTeam) {
        const teams = await teamsOfUser(engine, userId);
        const user = await engine.transaction(async (tx) => (await tx.query(`SELECT id, email, email_sealed FROM users WHERE id = $1`, [userId])).rows[0]);
        const now = Date.now();
        const activeTeamId = activeTeam ?? (known ? known.teamId : (teams[0]?.id ?? null));
        const role = teams.find((t) => t.id === activeTeamId)?.role;
        return {
            user: { id: userId, email: user ? userEmail(keyring.accounts, user) : '' },
            teams,
            activeTeamId,
            permissions: role ? Object.keys(PERMISSIONS).filter((action) => roleAllows(role, action)) : [],
            csrfToken: known?.csrfToken ?? csrfTokenFor(token),
            expiresAt: (known?.expiresAt ?? new Date(now + sessions.maxHours * 3_600_000)).toISOString(),
            idleExpiresAt: (known?.idleExpiresAt ?? new Date(now + sessions.idleMinutes * 60_000)).toISOString(),
        };
    }
    app.post('/auth/sign-up', {
        config: { csrfExempt: true },
        schema: {
            tags: ['accounts'],
            summary: 'Create an account and its first team (you become its owner); signs you in.',
            body: Type.Object({ email: Email, password: Password, teamName: TeamName }, { additionalProperties: false }),
            response: withErrors({ 201: Session }, 400, 409, 413, 415, 429),
        },
    }, async (request, reply) => {
        const { userId, token, team } = await signUp(engine, keyring, sessions, { ...request.body, requestId: request.id });
        setSessionCookie(reply, token);
        setDeviceCookie(reply, deviceToken(keyring.accounts, normaliseEmail(request.body.email)));
        return reply.code(201).send(await sessionBody(userId, token, undefined, team.id));
    });
    app.post('/auth/sign-in', {
        config: { csrfExempt: true },
        schema: {
            tags: ['accounts'],
            summary: 'Sign in with email and password. Starts a new session (a new id, always).',
            body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }) }, { additionalProperties: false }),
            response: withErrors({ 200: Session }, 400, 401, 429),
        },
    }, async (request, reply) => {
        const { userId, token, device } = await signIn(engine, jobs, keyring.accounts, sessions, {
            ...request.body,
            ip: request.ip,
            device: request.cookies[DEVICE_COOKIE],
            requestId: request.id,
        });
        setDeviceCookie(reply, device);
        // The session this browser already had (if any) ends: one browser, one session id.
        const previous = request.principal;
        if (previous?.kind === 'session')
            await engine.transaction((tx) => endSession(tx, previous.sessionHash));
        setSessionCookie(reply, token);
        return sessionBody(userId, token);
    });
    app.post('/auth/sign-out', { schema: { tags: ['accounts'], summary: 'End this session.', response: withErrors({ 204: NoContent }, 401, 403) } }, async (request, reply) => {
        const me = requireUser(request);
        await engine.transaction(async (tx) => {
            await endSession(tx, me.sessionHash);
            await auditForUserTeams(tx, me.userId, { actor: { type: 'user', id: me.userId }, action: 'auth.signed_out', requestId: request.id });
        });
        clearSessionCookie(reply);
        return reply.code(204).send(null);
    });
    app.post('/auth/sign-out-everywhere', {
        schema: {
            tags: ['accounts'],
            summary: 'End every session of your account, on every device (this one too).',
            response: withErrors({ 200: Type.Object({ endedSessions: Type.Integer() }) }, 401, 403),
        },
    }, async (request, reply) => {
        const me = requireUser(request);
        const endedSessions = await engine.transaction(async (tx) => {
            const ended = await endAllSessions(tx, me.userId);
            await auditForUserTeams(tx, me.userId, {
                actor: { type: 'user', id: me.userId },
                action: 'auth.signed_out_everywhere',
                requestId: request.id,
                details: { sessions: ended },
            });
            return ended;
        });
        clearSessionCookie(reply);
        return { endedSessions };
    });
    app.post('/auth/delete-account', {
        schema: {
            tags: ['accounts'],
            summary: 'Delete your account, with your password: you leave every team, every session ends, and your email and password are deleted (restoring an older backup deletes them again). Refused while you are the only owner of a team that is not cancelled.',
            body: Type.Object({ password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }) }, { additionalProperties: false }),
            response: withErrors({ 200: Type.Object({ teamsLeft: Type.Integer() }) }, 400, 401, 403, 409, 429),
        },
    }, async (request, reply) => {
        const me = requireUser(request);
        const result = await deleteAccount(engine, keyring, ledger, { userId: me.userId, password: request.body.password, requestId: request.id });
        clearSessionCookie(reply);
        return result;
    });
    app.get('/session', { schema: { tags: ['accounts'], summary: 'The signed-in user, their teams and the CSRF token.', response: withErrors({ 200: Session }, 401) } }, async (request) => {
        const me = requireUser(request);
        return sessionBody(me.userId, null, me);
    });
    app.put('/session/team', {
        schema: {
            tags: ['accounts'],
            summary: 'Switch the team this session works on.',
            body: Type.Object({ teamId: Uuid }, { additionalProperties: false }),
            response: withErrors({ 200: Session }, 400, 401, 403, 404),
        },
    }, async (request) => {
        const me = requireUser(request);
        const { teamId } = request.body;
        const teams = await teamsOfUser(engine, me.userId);
        if (!teams.some((t) => t.id === teamId))
            throw new HavenError('not_found', 404, 'No such team.');
        await engine.transaction((tx) => setActiveTeam(tx, me.sessionHash, teamId));
        return sessionBody(me.userId, null, { ...me, teamId });
    });
    app.post('/teams', {
        schema: {
            tags: ['accounts'],
            summary: 'Create another team, with you as owner, and switch to it.',
            body: Type.Object({ name: TeamName }, { additionalProperties: false }),
            response: withErrors({ 201: Session }, 400, 401, 403),
        },
    }, async (request, reply) => {
        const me = requireUser(request);
        const team = await engine.transaction(async (tx) => {
            const t = await createTeam(tx, keyring, request.body.name.trim(), me.userId);
            await audit.record(tx, { teamId: t.id, actor: { type: 'user', id: me.userId }, action: 'team.created', target: { type: 'team', id: t.id }, requestId: request.id });
            await setActiveTeam(tx, me.sessionHash, t.id);
            return t;
        });
        return reply.code(201).send(await sessionBody(me.userId, null, { ...me, teamId: team.id }));
    });
    app.post('/invitations/accept', {
        schema: {
            tags: ['accounts'],
            summary: 'Accept an invitation. Signed in: joins with your account, if the invitation was sent to your email (else 403 `invitation_for_another_email`). Signed out: creates an account for the invited email with `password`, and signs in.',
            body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), password: Type.Optional(Password) }, { additionalProperties: false }),
            response: withErrors({ 200: Session }, 400, 403, 404, 409),
        },
    }, async (request, reply) => {
        const principal = request.principal;
        if (principal && principal.kind !== 'session')
            throw new HavenError('forbidden', 403, 'Invitations are accepted by people, not API keys.');
        let passwordHash = null;
        if (!principal && request.body.password) {
            await assertInvitationOpen(engine, request.body.token);
            passwordHash = await hashPassword(request.body.password);
        }
        const joined = await acceptInvitation(engine, keyring, request.body.token, request.id, async (tx, inv) => {
            // The link is a bearer token and may reach someone it was not sent to (forwarded, a shared
            // inbox): signed in, it admits only the account with the email the inviter chose. Checked
            // first, so someone else learns nothing more about the team.
            if (principal && !(await isAddressedTo(tx, keyring.accounts, principal.userId, inv.email)))
                throw invitationForAnotherEmail();
            // A cancelled team is read-only: nobody joins it.
            const due = await readDeletionDue(tx, inv.teamId);
            if (due)
                throw teamReadOnly(due);
            if (principal) {
                await setActiveTeam(tx, principal.sessionHash, inv.teamId);
                return { userId: principal.userId, result: { userId: principal.userId, token: null, teamId: inv.teamId } };
            }
            if (!passwordHash)
                throw new HavenError('missing_field', 400, 'Choose a password to create your account.', 'password');
            const userId = await insertUser(tx, keyring.accounts, normaliseEmail(inv.email), passwordHash);
            const { token } = await createSession(tx, sessions, userId, inv.teamId);
            // A new account signs in as it joins: audited like any sign-in (I6).
            await audit.record(tx, { teamId: inv.teamId, actor: { type: 'user', id: userId }, action: 'auth.signed_in', requestId: request.id });
            return { userId, result: { userId, token, teamId: inv.teamId } };
        });
        if (joined.token)
            setSessionCookie(reply, joined.token);
        const base = principal ? { ...principal, teamId: joined.teamId } : undefined;
        return sessionBody(joined.userId, joined.token, base, joined.teamId);
    });
};
//# sourceMappingURL=auth.routes.js.map