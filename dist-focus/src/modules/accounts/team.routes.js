import { Type } from '@sinclair/typebox';
import { withTeam } from '../../platform/db/with-team.js';
import { retryTransient } from '../../platform/db/transient-error.js';
import { HavenError } from '../../platform/http/errors.js';
import { Email, NoContent, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { lockActor } from './acting-member.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { revokeGrantsBeyondMember } from './member-grants.js';
import { audit } from '../../platform/audit/index.js';
import { actorOf } from './audit-actor.js';
import { requireTeam } from './authenticate.js';
import { createInvitation, listInvitations, revokeInvitation } from './invitations.js';
import { changeRole, listMembers, removeMember } from './members.js';
import { RoleSchema } from './schemas.js';
import { normaliseEmail } from './user-emails.js';
import { getTeam, renameTeam } from './teams.js';
const Team = Type.Object({
    id: Uuid,
    name: Type.String(),
    createdAt: Timestamp,
    cancelledAt: Type.Union([Timestamp, Type.Null()], { description: 'Set while a cancellation is pending: the team is read-only.' }),
    deletionDueAt: Type.Union([Timestamp, Type.Null()], { description: 'When the cancelled team is deleted, unless an owner undoes the cancellation first.' }),
}, { $id: 'Team' });
const Member = Type.Object({ userId: Uuid, email: Type.String(), role: RoleSchema, joinedAt: Timestamp }, { $id: 'Member' });
const Invitation = Type.Object({
    id: Uuid,
    email: Type.String(),
    role: RoleSchema,
    status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('revoked'), Type.Literal('expired')]),
    createdAt: Timestamp,
    expiresAt: Timestamp,
}, { $id: 'Invitation' });
const ApiKey = Type.Object({
    id: Uuid,
    name: Type.String(),
    kind: Type.Union([Type.Literal('write'), Type.Literal('secret')]),
    scope: Type.Union([Type.Literal('ingest'), Type.Literal('read'), Type.Literal('admin')]),
    prefix: Type.String({ description: 'The first characters of the key, to recognise it.' }),
    createdAt: Timestamp,
    lastUsedAt: Type.Union([Timestamp, Type.Null()]),
    revokedAt: Type.Union([Timestamp, Type.Null()]),
    createdBy: Type.Union([Uuid, Type.Null()], {
        description: 'The member who made it, or who made the key it was made with (null: not known — an old key made with a key). Their secret keys end with their membership.',
    }),
}, { $id: 'ApiKey' });
const IdParams = Type.Object({ id: Uuid });
const UserParams = Type.Object({ userId: Uuid });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const errorsRead = [400, 401, 403];
const errorsWrite = [400, 401, 403, 404, 409];
export const teamRoutes = async (app, { engine, keyring }) => {
    // A change of the team's members or settings that PostgreSQL picks as a deadlock's victim, or
    // refuses for a serialization conflict, is run again: it costs a run, not the request.
    const inTeam = (teamId, fn) => retryTransient(() => withTeam(engine, teamId, fn));
    app.get('/team', { schema: { tags: ['team'], summary: 'Your active team.', response: withErrors({ 200: Team }, ...errorsRead) } }, async (request) => {
        const access = requireTeam(request, 'team.read');
        return withTeam(engine, access.teamId, (tx) => getTeam(tx, access.teamId));
    });
    app.patch('/team', {
        schema: {
            tags: ['team'],
            summary: 'Rename the team.',
            body: Type.Object({ name: Name }, { additionalProperties: false }),
            response: withErrors({ 200: Team }, ...errorsWrite),
        },
    }, async (request) => {
        const access = requireTeam(request, 'team.update');
        return inTeam(access.teamId, async (tx) => {
            const team = await renameTeam(tx, access.teamId, request.body.name.trim());
            await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'team.renamed', target: { type: 'team', id: team.id }, requestId: request.id });
            return team;
        });
    });
    app.get('/members', {
        schema: {
            tags: ['team'],
            summary: 'The team members, optionally of one role.',
            querystring: Type.Object({ role: Type.Optional(RoleSchema) }, { additionalProperties: false }),
            response: withErrors({ 200: Type.Object({ members: Type.Array(Member) }) }, ...errorsRead),
        },
    }, async (request) => {
        const access = requireTeam(request, 'members.read');
        return { members: await withTeam(engine, access.teamId, (tx) => listMembers(tx, keyring.accounts, access.teamId, request.query)) };
    });
    app.patch('/members/:userId', {
        schema: {
            tags: ['team'],
            summary: "Change a member's role. Only owners grant or change the owner role; the last owner stays owner.",
            params: UserParams,
            body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
            response: withErrors({ 200: Member }, ...errorsWrite),
        },
    }, async (request) => {
        const access = requireTeam(request, 'members.manage');
        return inTeam(access.teamId, async (tx) => {
            const actor = await lockActor(tx, access.teamId, access, 'members.manage');
            const { member, from } = await changeRole(tx, keyring.accounts, access.teamId, actor.role, request.params.userId, request.body.role);
            await audit.record(tx, {
                teamId: access.teamId,
                actor: actorOf(access),
                action: 'member.role_changed',
                target: { type: 'user', id: member.userId },
                requestId: request.id,
                details: { from, to: member.role },
            });
            await revokeGrantsBeyondMember(tx, access.teamId, { userId: member.userId, role: member.role }, { actor: actorOf(access), requestId: request.id, reason: 'role_changed' });
            return member;
        });
    });
    app.delete('/members/:userId', {
        schema: {
            tags: ['team'],
            summary: 'Remove a member, or leave the team (your own id). The last owner can do neither.',
            params: UserParams,
            response: withErrors({ 204: NoContent }, ...errorsWrite),
        },
    }, async (request, reply) => {
        // Any member may leave (remove themself); API keys have no self, so they need members.manage.
        const action = request.principal?.kind === 'session' ? 'members.read' : 'members.manage';
        const access = requireTeam(request, action);
        await inTeam(access.teamId, async (tx) => {
            const leaving = access.userId === request.params.userId;
            const actor = await lockActor(tx, access.teamId, access, action);
            await removeMember(tx, access.teamId, { userId: access.userId, role: actor.role }, request.params.userId);
            await audit.record(tx, {
                teamId: access.teamId,
                actor: actorOf(access),
                action: leaving ? 'member.left' : 'member.removed',
                target: { type: 'user', id: request.params.userId },
                requestId: request.id,
            });
            await revokeGrantsBeyondMember(tx, access.teamId, { userId: request.params.userId, role: null }, { actor: actorOf(access), requestId: request.id, reason: leaving ? 'member_left' : 'member_removed' });
        });
        return reply.code(204).send(null);
    });
    app.get('/invitations', {
        schema: {
            tags: ['team'],
            summary: 'Invitations sent by the team.',
            querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('revoked'), Type.Literal('expired')])) }, { additionalProperties: false }),
            response: withErrors({ 200: Type.Object({ invitations: Type.Array(Invitation) }) }, ...errorsRead),
        },
    }, async (request) => {
        const access = requireTeam(request, 'invitations.manage');
        const all = await withTeam(engine, access.teamId, (tx) => listInvitations(tx, keyring, access.teamId));
        return { invitations: request.query.status ? all.filter((i) => i.status === request.query.status) : all };
    });
    app.post('/invitations', {
        schema: {
            tags: ['team'],
            summary: 'Invite someone by email. The token is shown once; send it as a link (#fragment) or paste it.',
            body: Type.Object({ email: Email, role: RoleSchema }, { additionalProperties: false }),
            response: withErrors({ 201: Type.Object({ invitation: Invitation, token: Type.String() }) }, ...errorsWrite),
        },
    }, async (request, reply) => {
        const access = requireTeam(request, 'invitations.manage');
        if (!access.userId)
            throw new HavenError('forbidden', 403, 'Invitations are sent by a signed-in member.');
        const created = await inTeam(access.teamId, async (tx) => {
            const actor = await lockActor(tx, access.teamId, access, 'invitations.manage');
            const made = await createInvitation(tx, keyring, access.teamId, { userId: access.userId, role: actor.role }, { email: normaliseEmail(request.body.email), role: request.body.role });
            await audit.record(tx, {
                teamId: access.teamId,
                actor: actorOf(access),
                action: 'invitation.created',
                target: { type: 'invitation', id: made.invitation.id },
                requestId: request.id,
                details: { role: made.invitation.role },
            });
            return made;
        });
        return reply.code(201).send(created);
    });
    app.delete('/invitations/:id', {
        schema: { tags: ['team'], summary: 'Revoke a pending invitation.', params: IdParams, response: withErrors({ 200: Invitation }, ...errorsWrite) },
    }, async (request) => {
        const access = requireTeam(request, 'invitations.manage');
        return inTeam(access.teamId, async (tx) => {
            await lockActor(tx, access.teamId, access, 'invitations.manage');
            const revoked = await revokeInvitation(tx, keyring, access.teamId, request.params.id);
            await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'invitation.revoked', target: { type: 'invitation', id: revoked.id }, requestId: request.id });
            return revoked;
        });
    });
    app.get('/api-keys', {
        schema: {
            tags: ['api keys'],
            summary: 'The team API keys, by prefix (keys are stored hashed and shown only when created).',
            querystring: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('write'), Type.Literal('secret')])), includeRevoked: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
            response: withErrors({ 200: Type.Object({ apiKeys: Type.Array(ApiKey) }) }, ...errorsRead),
        },
    }, async (request) => {
        const access = requireTeam(request, 'apiKeys.manage');
        const all = await withTeam(engine, access.teamId, (tx) => listApiKeys(tx, access.teamId));
        const { kind, includeRevoked } = request.query;
        return { apiKeys: all.filter((k) => (!kind || k.kind === kind) && (includeRevoked || !k.revokedAt)) };
    });
    app.post('/api-keys', {
        schema: {
            tags: ['api keys'],
            summary: 'Create a key: `write` (public, ingest only, safe in a web page) or `secret` with scope `read` or `admin`. The key is in this response only.',
            body: Type.Object({
                name: Name,
                kind: Type.Union([Type.Literal('write'), Type.Literal('secret')]),
                scope: Type.Optional(Type.Union([Type.Literal('read'), Type.Literal('admin')])),
            }, { additionalProperties: false }),
            response: withErrors({ 201: Type.Object({ apiKey: ApiKey, token: Type.String() }) }, ...errorsWrite),
        },
    }, async (request, reply) => {
        const access = requireTeam(request, 'apiKeys.manage');
        const { name, kind, scope } = request.body;
        if (kind === 'write' && scope)
            throw new HavenError('invalid_value', 400, 'A write key has no scope: it can only ingest.', 'scope');
        const created = await inTeam(access.teamId, async (tx) => {
            // A key made with a key is its maker's maker's: it is revoked when that member leaves or is demoted.
            const actor = await lockActor(tx, access.teamId, access, 'apiKeys.manage');
            const made = await createApiKey(tx, access.teamId, { name: name.trim(), kind, scope, createdBy: actor.memberId });
            await audit.record(tx, {
                teamId: access.teamId,
                actor: actorOf(access),
                action: 'api_key.created',
                target: { type: 'api_key', id: made.apiKey.id },
                requestId: request.id,
                details: { kind: made.apiKey.kind, scope: made.apiKey.scope },
            });
            return made;
        });
        return reply.code(201).send(created);
    });
    app.delete('/api-keys/:id', { schema: { tags: ['api keys'], summary: 'Revoke a key at once.', params: IdParams, response: withErrors({ 200: ApiKey }, ...errorsWrite) } }, async (request) => {
        const access = requireTeam(request, 'apiKeys.manage');
        return inTeam(access.teamId, async (tx) => {
            await lockActor(tx, access.teamId, access, 'apiKeys.manage');
            const revoked = await revokeApiKey(tx, access.teamId, request.params.id);
            await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'api_key.revoked', target: { type: 'api_key', id: revoked.id }, requestId: request.id });
            return revoked;
        });
    });
};
//# sourceMappingURL=team.routes.js.map