import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { audit } from '../../platform/audit/index.js';
import { DecryptError } from '../../platform/crypto/aead.js';
import type { Tx } from '../../platform/db/engine.js';
import type { HavenContext } from '../../platform/module.js';
import { withTeam } from '../../platform/db/with-team.js';
import { retryTransient } from '../../platform/db/transient-error.js';
import { HavenError } from '../../platform/http/errors.js';
import { AnyKeys, NoContent, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { type Action, type TeamAccess, actorOf, requireTeam } from '../accounts/index.js';
import { addNote, deleteNote, listNotes } from './notes.js';
import { IDENTITY_FIELDS, IDENTITY_LIMITS, IDENTITY_OF_LOOKUP_FIELD } from './identities.js';
import { afterIdentityEdit } from './identity-edits.js';
import { PeopleService, type PersonInput, type PersonPatch } from './people.service.js';

const IDENTITY_LIST_FIELDS = new Set<string>(Object.values(IDENTITY_FIELDS));
const list = <T extends TSchema>(item: T, max: number) => Type.Array(item, { maxItems: max });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const ObjectOfProperties = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  description: 'Free-form typed properties (JSON values); at most 100, each at most 2 KiB as JSON, 4 levels deep.',
});
const identityLists = {
  emails: Type.Optional(list(Type.String({ maxLength: 254 }), IDENTITY_LIMITS.email)),
  phones: Type.Optional(list(Type.String({ maxLength: 40 }), IDENTITY_LIMITS.phone)),
  externalIds: Type.Optional(list(Type.String({ maxLength: 200 }), IDENTITY_LIMITS.external_id)),
  anonymousIds: Type.Optional(list(Type.String({ maxLength: 200 }), IDENTITY_LIMITS.anonymous_id)),
};

const Person = Type.Object(
  {
    id: Uuid,
    name: Type.Union([Type.String(), Type.Null()]),
    company: Type.Union([Type.String(), Type.Null()]),
    emails: Type.Array(Type.String()),
    phones: Type.Array(Type.String()),
    externalIds: Type.Array(Type.String()),
    anonymousIds: Type.Array(Type.String()),
    properties: AnyKeys(Type.Unknown()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Person' },
);
const Note = Type.Object(
  { id: Uuid, personId: Uuid, body: Type.String(), authorId: Type.Union([Uuid, Type.Null()]), createdAt: Timestamp },
  { $id: 'Note' },
);
const PersonParams = Type.Object({ id: Uuid });
const NoteParams = Type.Object({ id: Uuid, noteId: Uuid });

export const peopleRoutes: FastifyPluginAsyncTypebox<{ ctx: HavenContext }> = async (app, { ctx }) => {
  const { engine, keyring } = ctx;
  const people = new PeopleService(keyring);

  /**
   * Run `fn` in the team's scope. A value that fails to decrypt answers a generic 500; the team's
   * audit log and the server log get the ids (never data) in a transaction of their own.
   */
  async function inTeam<T>(request: FastifyRequest, action: Action, personId: string | null, fn: (tx: Tx, access: TeamAccess) => Promise<T>): Promise<T> {
    const access = requireTeam(request, action);
    try {
      // A deadlock with ingest changing the same person (it locks the person, then the ids its
      // traits add; a rectification locks ids, then the person) costs a run, not the request.
      return await retryTransient(() => withTeam(engine, access.teamId, (tx) => fn(tx, access)));
    } catch (error) {
      if (error instanceof DecryptError) {
        request.log.error({ err: error, teamId: access.teamId, personId }, 'decrypt failed');
        await withTeam(engine, access.teamId, (tx) =>
          audit.record(tx, {
            teamId: access.teamId,
            actor: { type: 'system', id: null },
            action: 'person.decrypt_failed',
            target: personId ? { type: 'person', id: personId } : undefined,
            requestId: request.id,
          }),
        ).catch(() => {});
      }
      throw error;
    }
  }

  app.post(
    '/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a person. Every personal field is encrypted under the person’s own key.',
        body: Type.Object(
          { name: Type.Optional(Name), company: Type.Optional(Name), ...identityLists, properties: Type.Optional(ObjectOfProperties) },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: Person }, 400, 401, 403, 409),
      },
    },
    async (request, reply) => {
      const person = await inTeam(request, 'people.write', null, async (tx, access) => {
        const p = await people.create(tx, access.teamId, request.body as PersonInput);
        await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'person.created', target: { type: 'person', id: p.id }, requestId: request.id });
        await afterIdentityEdit(tx, ctx, { teamId: access.teamId, person: p, actor: actorOf(access), requestId: request.id });
        return p;
      });
      return reply.code(201).send(person);
    },
  );

  app.get(
    '/people',
    {
      schema: {
        tags: ['people'],
        summary:
          'List people (keyset pages), or find them: exactly by `email`, `phone`, `externalId` or `anonymousId`, or by name prefix (`name=ada lov`).',
        querystring: Type.Object(
          {
            email: Type.Optional(Type.String({ maxLength: 254 })),
            phone: Type.Optional(Type.String({ maxLength: 40 })),
            externalId: Type.Optional(Type.String({ maxLength: 200 })),
            anonymousId: Type.Optional(Type.String({ maxLength: 200 })),
            name: Type.Optional(Type.String({ maxLength: 100 })),
            sort: Type.Union([Type.Literal('created'), Type.Literal('updated')], { default: 'created' }),
            order: Type.Union([Type.Literal('desc'), Type.Literal('asc')], { default: 'desc' }),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ people: Type.Array(Person), nextCursor: Type.Union([Type.String(), Type.Null()]) }) }, 400, 401, 403),
      },
    },
    async (request) => {
      const q = request.query;
      const lookups = (['email', 'phone', 'externalId', 'anonymousId'] as const).filter((k) => q[k] !== undefined);
      if (lookups.length + (q.name !== undefined ? 1 : 0) > 1) {
        throw new HavenError('invalid_request', 400, 'Search by one of email, phone, externalId, anonymousId or name at a time.');
      }
      return inTeam(request, 'people.read', null, async (tx, access) => {
        const kind = lookups[0];
        if (kind) {
          const identity = IDENTITY_OF_LOOKUP_FIELD[kind];
          return { people: await people.findBy(tx, access.teamId, identity, q[kind]!, `query.${kind}`), nextCursor: null };
        }
        if (q.name !== undefined) return people.searchByName(tx, access.teamId, q.name, q.limit, q.cursor);
        return people.list(tx, access.teamId, q);
      });
    },
  );

  app.post(
    '/people/search',
    {
      schema: {
        tags: ['people'],
        summary:
          'Find people exactly by one identity (`email`, `phone`, `externalId`, `anonymousId`) or by name prefix (`name`). A POST, so what is searched for never sits in a URL or an access log; prefer it to the GET lookups.',
        body: Type.Object(
          {
            email: Type.Optional(Type.String({ maxLength: 254 })),
            phone: Type.Optional(Type.String({ maxLength: 40 })),
            externalId: Type.Optional(Type.String({ maxLength: 200 })),
            anonymousId: Type.Optional(Type.String({ maxLength: 200 })),
            name: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ maxLength: 200, description: 'A name search\'s `nextCursor`, for its next page.' })),
          },
          { additionalProperties: false },
        ),
        response: withErrors(
          { 200: Type.Object({ people: Type.Array(Person), nextCursor: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Name search only: the next page, or null.' })) }) },
          400,
          401,
          403,
        ),
      },
    },
    async (request) => {
      const b = request.body;
      const lookups = (['email', 'phone', 'externalId', 'anonymousId', 'name'] as const).filter((k) => b[k] !== undefined);
      if (lookups.length !== 1) throw new HavenError('invalid_request', 400, 'Search by exactly one of email, phone, externalId, anonymousId or name.');
      const field = lookups[0]!;
      return inTeam(request, 'people.read', null, async (tx, access) => {
        if (field === 'name') return withBodyFields(() => people.searchByName(tx, access.teamId, b.name!, b.limit, b.cursor));
        const identity = IDENTITY_OF_LOOKUP_FIELD[field];
        return { people: await people.findBy(tx, access.teamId, identity, b[field]!, field) };
      });
    },
  );

  app.get(
    '/people/:id',
    { schema: { tags: ['people'], summary: 'One person, decrypted.', params: PersonParams, response: withErrors({ 200: Person }, 400, 401, 403, 404) } },
    async (request) => inTeam(request, 'people.read', request.params.id, (tx, access) => people.get(tx, access.teamId, request.params.id)),
  );

  app.patch(
    '/people/:id',
    {
      schema: {
        tags: ['people'],
        summary:
          'Rectify a person. `name`/`company`: null clears. Identity lists replace the current ones. `properties` merges; `unsetProperties` removes keys. Audited with the names of the changed fields, never the values.',
        params: PersonParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.Union([Name, Type.Null()])),
            company: Type.Optional(Type.Union([Name, Type.Null()])),
            ...identityLists,
            properties: Type.Optional(ObjectOfProperties),
            unsetProperties: Type.Optional(list(Type.String({ maxLength: 64 }), 100)),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Person }, 400, 401, 403, 404, 409),
      },
    },
    async (request) =>
      inTeam(request, 'people.write', request.params.id, async (tx, access) => {
        const { person, before, fields } = await people.update(tx, access.teamId, request.params.id, request.body as PersonPatch);
        if (fields.length > 0) {
          await audit.record(tx, {
            teamId: access.teamId,
            actor: actorOf(access),
            action: 'person.updated',
            target: { type: 'person', id: person.id },
            requestId: request.id,
            details: { rectification: true, fields },
          });
        }
        if (fields.some((f) => IDENTITY_LIST_FIELDS.has(f))) {
          await afterIdentityEdit(tx, ctx, { teamId: access.teamId, person, before, actor: actorOf(access), requestId: request.id });
        }
        return person;
      }),
  );

  app.get(
    '/people/:id/notes',
    { schema: { tags: ['people'], summary: 'Notes about a person, newest first.', params: PersonParams, response: withErrors({ 200: Type.Object({ notes: Type.Array(Note) }) }, 400, 401, 403, 404) } },
    async (request) =>
      inTeam(request, 'people.read', request.params.id, async (tx, access) => {
        await people.requireExists(tx, access.teamId, request.params.id);
        return { notes: await listNotes(tx, keyring, access.teamId, request.params.id) };
      }),
  );

  app.post(
    '/people/:id/notes',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a note about a person (encrypted under their key).',
        params: PersonParams,
        body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
        response: withErrors({ 201: Note }, 400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const note = await inTeam(request, 'people.write', request.params.id, async (tx, access) => {
        await people.requireExists(tx, access.teamId, request.params.id, { hold: true });
        const n = await addNote(tx, keyring, access.teamId, request.params.id, request.body.body, access.userId);
        await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'note.created', target: { type: 'person', id: n.personId }, requestId: request.id, details: { noteId: n.id } });
        return n;
      });
      return reply.code(201).send(note);
    },
  );

  app.delete(
    '/people/:id/notes/:noteId',
    { schema: { tags: ['people'], summary: 'Delete a note.', params: NoteParams, response: withErrors({ 204: NoContent }, 400, 401, 403, 404) } },
    async (request, reply) => {
      await inTeam(request, 'people.write', request.params.id, async (tx, access) => {
        await deleteNote(tx, access.teamId, request.params.id, request.params.noteId);
        await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'note.deleted', target: { type: 'person', id: request.params.id }, requestId: request.id, details: { noteId: request.params.noteId } });
      });
      return reply.code(204).send(null);
    },
  );
};

/** A search sent as a body names its fields as the body holds them (`cursor`), not as the GET form's query string (`query.cursor`). */
async function withBodyFields<T>(search: () => Promise<T>): Promise<T> {
  try {
    return await search();
  } catch (error) {
    if (error instanceof HavenError && error.field?.startsWith('query.')) throw new HavenError(error.code, error.status, error.message, error.field.slice('query.'.length), error.headers);
    throw error;
  }
}
