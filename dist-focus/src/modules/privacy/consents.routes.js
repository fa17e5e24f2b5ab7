import { Type } from '@sinclair/typebox';
import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { InputTime, NoContent, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { actorOf, requireTeam } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { LAWFUL_BASES, listConsents, recordConsent, withdrawConsent } from './consents.js';
import { suppressionStateOf } from './suppression-list.js';
const LawfulBasisSchema = Type.Unsafe({ type: 'string', enum: [...LAWFUL_BASES] });
const Consent = Type.Object({
    id: Uuid,
    personId: Uuid,
    purpose: Type.String(),
    lawfulBasis: LawfulBasisSchema,
    source: Type.String(),
    givenAt: Timestamp,
    withdrawnAt: Type.Union([Timestamp, Type.Null()]),
    recordedBy: Type.Union([Uuid, Type.Null()]),
}, { $id: 'Consent' });
const PersonParams = Type.Object({ id: Uuid });
/** A person's consents and suppression state, under /people/:id — the privacy module owns them. */
export const consentsRoutes = async (app, { ctx }) => {
    const people = new PeopleService(ctx.keyring);
    app.get('/people/:id/consents', { schema: { tags: ['privacy'], summary: 'A person’s consents, withdrawn ones included, newest first.', params: PersonParams, response: withErrors({ 200: Type.Object({ consents: Type.Array(Consent) }) }, 400, 401, 403, 404) } }, async (request) => {
        const access = requireTeam(request, 'people.read');
        return withTeam(ctx.engine, access.teamId, async (tx) => {
            await people.requireExists(tx, access.teamId, request.params.id);
            return { consents: await listConsents(tx, ctx.keyring, access.teamId, request.params.id) };
        });
    });
    app.post('/people/:id/consents', {
        schema: {
            tags: ['privacy'],
            summary: 'Record a consent (or another lawful basis) for a purpose: where it was given is encrypted under the person’s key.',
            params: PersonParams,
            body: Type.Object({
                purpose: Type.String({ minLength: 1, maxLength: 64 }),
                lawfulBasis: Type.Unsafe({ type: 'string', enum: [...LAWFUL_BASES], default: 'consent' }),
                source: Type.String({ minLength: 1, maxLength: 500 }),
                givenAt: Type.Optional(InputTime),
            }, { additionalProperties: false }),
            response: withErrors({ 201: Consent }, 400, 401, 403, 404),
        },
    }, async (request, reply) => {
        const access = requireTeam(request, 'consents.write');
        const consent = await withTeam(ctx.engine, access.teamId, async (tx) => {
            await people.requireExists(tx, access.teamId, request.params.id, { hold: true });
            const c = await recordConsent(tx, ctx.keyring, access.teamId, request.params.id, request.body, access.userId);
            await audit.record(tx, {
                teamId: access.teamId,
                actor: actorOf(access),
                action: 'consent.recorded',
                target: { type: 'person', id: request.params.id },
                requestId: request.id,
                details: { consent: c.id, purpose: c.purpose, lawfulBasis: c.lawfulBasis },
            });
            return c;
        });
        return reply.code(201).send(consent);
    });
    app.post('/people/:id/consents/:consentId/withdraw', {
        schema: {
            tags: ['privacy'],
            summary: 'Withdraw a consent. The record stays (with its withdrawal time) as proof of what was allowed when.',
            params: Type.Object({ id: Uuid, consentId: Uuid }),
            response: withErrors({ 204: NoContent }, 400, 401, 403, 404, 409),
        },
    }, async (request, reply) => {
        const access = requireTeam(request, 'consents.write');
        await withTeam(ctx.engine, access.teamId, async (tx) => {
            await people.requireExists(tx, access.teamId, request.params.id, { hold: true });
            await withdrawConsent(tx, access.teamId, request.params.id, request.params.consentId);
            await audit.record(tx, {
                teamId: access.teamId,
                actor: actorOf(access),
                action: 'consent.withdrawn',
                target: { type: 'person', id: request.params.id },
                requestId: request.id,
                details: { consent: request.params.consentId },
            });
        });
        return reply.code(204).send(null);
    });
    app.get('/people/:id/suppression', {
        schema: {
            tags: ['privacy'],
            summary: 'Whether each of the person’s identities is on the suppression list (objection / unsubscribe), why and since when.',
            params: PersonParams,
            response: withErrors({
                200: Type.Object({
                    identities: Type.Array(Type.Object({
                        kind: Type.String(),
                        value: Type.String(),
                        suppressed: Type.Boolean(),
                        reason: Type.Union([Type.String(), Type.Null()]),
                        since: Type.Union([Timestamp, Type.Null()]),
                    })),
                }),
            }, 400, 401, 403, 404),
        },
    }, async (request) => {
        const access = requireTeam(request, 'people.read');
        return withTeam(ctx.engine, access.teamId, async (tx) => {
            const person = await people.get(tx, access.teamId, request.params.id);
            return { identities: await suppressionStateOf(ctx.keyring, tx, access.teamId, person) };
        });
    });
};
//# sourceMappingURL=consents.routes.js.map