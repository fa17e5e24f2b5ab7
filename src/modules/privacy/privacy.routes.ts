import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../../platform/audit/index.js';
import { withTeam } from '../../platform/db/with-team.js';
import { HavenError } from '../../platform/http/errors.js';
import { AnyKeys, NoContent, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import type { HavenContext } from '../../platform/module.js';
import { actorOf, requireTeam } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { erasePerson } from './erase-person.js';
import { exportAsJson, exportAsZip } from './export-person.js';
import { updatePrivacySettings, privacySettings } from './privacy-settings.js';
import { getRequest, listRequests } from './privacy-requests.js';
import { recordAsMarkdown, recordOfProcessing } from './record-of-processing.js';
import { requestExport, takeExport } from './request-export.js';
import { applyRetention, planRetention, retentionConflict } from './retention.js';
import { objectToProcessing } from './object-to-processing.js';
import { oneIdentity } from './identity-input.js';

const PrivacyRequest = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('export'), Type.Literal('erasure'), Type.Literal('objection')]),
    status: Type.String({ description: 'export: ready → downloaded | expired; erasure: shredded → completed; objection: completed' }),
    personId: Type.Union([Uuid, Type.Null()]),
    format: Type.Union([Type.Literal('json'), Type.Literal('zip'), Type.Null()]),
    requestedBy: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
    createdAt: Timestamp,
    expiresAt: Type.Union([Timestamp, Type.Null()]),
    completedAt: Type.Union([Timestamp, Type.Null()]),
    receipt: AnyKeys(Type.Unknown(), { description: 'What was done: counts, times, actor ids. Never personal data.' }),
  },
  { $id: 'PrivacyRequest' },
);
const IdentityQuery = Type.Object(
  {
    email: Type.Optional(Type.String({ maxLength: 254 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    externalId: Type.Optional(Type.String({ maxLength: 200 })),
    anonymousId: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const Subject = Type.Object({
  id: Uuid,
  name: Type.Union([Type.String(), Type.Null()]),
  emails: Type.Array(Type.String()),
  phones: Type.Array(Type.String()),
  externalIds: Type.Array(Type.String()),
  createdAt: Timestamp,
});
const Settings = Type.Object({
  consentRequiredFor: Type.Union([Type.String(), Type.Null()]),
  eventRetentionDays: Type.Union([Type.Integer(), Type.Null()]),
  inactivePeopleMonths: Type.Union([Type.Integer(), Type.Null()]),
  exportLinkHours: Type.Integer(),
  updatedAt: Type.Union([Timestamp, Type.Null()]),
});
const RetentionPlan = Type.Object({
  settings: Type.Object({ eventRetentionDays: Type.Union([Type.Integer(), Type.Null()]), inactivePeopleMonths: Type.Union([Type.Integer(), Type.Null()]) }),
  eventsBefore: Type.Union([Timestamp, Type.Null()]),
  events: Type.Integer(),
  inactiveSince: Type.Union([Timestamp, Type.Null()]),
  inactivePeople: Type.Integer(),
  expiredExports: Type.Integer(),
  problem: Type.Union([Type.String(), Type.Null()], { description: 'Why people are not erased for inactivity though a window is set (settings saved before events had to be kept as long).' }),
});
const IdParams = Type.Object({ id: Uuid });

export const privacyRoutes: FastifyPluginAsyncTypebox<{ ctx: HavenContext }> = async (app, { ctx }) => {
  const people = new PeopleService(ctx.keyring);

  app.post(
    '/privacy/subjects/find',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Find the data subject of a request by any identity (through the blind indexes). POST, so the identity never sits in a URL.',
        body: IdentityQuery,
        response: withErrors({ 200: Type.Object({ people: Type.Array(Subject) }) }, 400, 401, 403),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'privacy.read');
      const { kind, raw, field } = oneIdentity(request.body);
      const found = await withTeam(ctx.engine, access.teamId, (tx) => people.findBy(tx, access.teamId, kind, raw, field));
      return { people: found.map((p) => ({ id: p.id, name: p.name, emails: p.emails, phones: p.phones, externalIds: p.externalIds, createdAt: p.createdAt })) };
    },
  );

  app.get(
    '/privacy/requests',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Access exports, erasures and objections with their status and receipts, newest first.',
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Union([Type.Literal('export'), Type.Literal('erasure'), Type.Literal('objection')])),
            personId: Type.Optional(Uuid),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ requests: Type.Array(PrivacyRequest), nextCursor: Type.Union([Type.String(), Type.Null()]) }) }, 400, 401, 403),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'privacy.read');
      return withTeam(ctx.engine, access.teamId, (tx) => listRequests(tx, access.teamId, request.query));
    },
  );

  app.get(
    '/privacy/requests/:id',
    { schema: { tags: ['privacy'], summary: 'One privacy request and its receipt.', params: IdParams, response: withErrors({ 200: PrivacyRequest }, 400, 401, 403, 404) } },
    async (request) => {
      const access = requireTeam(request, 'privacy.read');
      return withTeam(ctx.engine, access.teamId, (tx) => getRequest(tx, access.teamId, request.params.id));
    },
  );

  app.post(
    '/privacy/exports',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Request an access/portability export of a person: JSON (documented schema) or a ZIP of CSV files, downloadable once before it expires.',
        body: Type.Object({ personId: Uuid, format: Type.Union([Type.Literal('json'), Type.Literal('zip')], { default: 'json' }) }, { additionalProperties: false }),
        response: withErrors({ 201: Type.Intersect([PrivacyRequest, Type.Object({ downloadPath: Type.String() })]) }, 400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const access = requireTeam(request, 'privacy.export');
      const r = await requestExport(ctx, access.teamId, request.body.personId, request.body.format, actorOf(access), request.id);
      return reply.code(201).send({ ...r, downloadPath: `/api/v1/privacy/exports/${r.id}/download` });
    },
  );

  app.get(
    '/privacy/exports/:id/download',
    {
      // A HEAD would run the handler and use up the one download without delivering it.
      exposeHeadRoute: false,
      schema: {
        tags: ['privacy'],
        summary: 'Download an export — once, before it expires. Streamed from the encrypted rows; nothing is prepared in advance.',
        params: IdParams,
        response: withErrors({ 200: Type.Unknown({ description: 'application/json or application/zip' }) }, 400, 401, 403, 404, 410),
      },
    },
    async (request, reply) => {
      const access = requireTeam(request, 'privacy.export');
      const { format, exp } = await takeExport(ctx, access.teamId, request.params.id, actorOf(access), request.id);
      const name = `haven-export-${exp.person.id}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
      if (format === 'zip') return reply.type('application/zip').send(exportAsZip(exp));
      return reply.type('application/json; charset=utf-8').send(Readable.from(exportAsJson(exp)));
    },
  );

  app.post(
    '/privacy/erasures',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Erase a person: their keys are destroyed at once (nothing of theirs decrypts, here or in any backup), the erasure is written to the ledger, and a job deletes their rows. `suppress` also adds their identities to the suppression list.',
        body: Type.Object({ personId: Uuid, suppress: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        response: withErrors({ 202: PrivacyRequest }, 400, 401, 403, 404, 409),
      },
    },
    async (request, reply) => {
      const access = requireTeam(request, 'people.delete');
      const r = await erasePerson(ctx, access.teamId, request.body.personId, actorOf(access), { suppress: request.body.suppress, requestId: request.id });
      return reply.code(202).send(r);
    },
  );

  app.delete(
    '/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Delete (erase) a person — the same as POST /privacy/erasures: keys destroyed first, rows purged by a job.',
        params: IdParams,
        response: withErrors({ 204: NoContent }, 400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const access = requireTeam(request, 'people.delete');
      try {
        await erasePerson(ctx, access.teamId, request.params.id, actorOf(access), { requestId: request.id });
      } catch (error) {
        // A person already erased no longer exists as far as the people API is concerned.
        if (error instanceof HavenError && error.code === 'already_erased') throw new HavenError('not_found', 404, 'No such person.');
        throw error;
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/privacy/objections',
    {
      schema: {
        tags: ['privacy'],
        summary:
          'Record an objection (right to object): the person’s identities — or the one identity given — join the suppression list: their events are dropped at ingest and they get no marketing email. Only the person or an operator can lift it.',
        body: Type.Union([
          Type.Object({ personId: Uuid }, { additionalProperties: false }),
          Type.Object(
            {
              email: Type.Optional(Type.String({ maxLength: 254 })),
              phone: Type.Optional(Type.String({ maxLength: 40 })),
              externalId: Type.Optional(Type.String({ maxLength: 200 })),
              anonymousId: Type.Optional(Type.String({ maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
        ]),
        response: withErrors({ 201: PrivacyRequest }, 400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const access = requireTeam(request, 'privacy.object');
      const r = await objectToProcessing(ctx, access.teamId, request.body, actorOf(access), request.id);
      return reply.code(201).send(r);
    },
  );

  app.get(
    '/privacy/settings',
    { schema: { tags: ['privacy'], summary: 'Consent requirement, retention policy and export link lifetime.', response: withErrors({ 200: Settings }, 401, 403) } },
    async (request) => {
      const access = requireTeam(request, 'privacy.read');
      return withTeam(ctx.engine, access.teamId, (tx) => privacySettings(tx, access.teamId));
    },
  );

  app.patch(
    '/privacy/settings',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Change the consent requirement (a purpose, or null), retention (days of events, months of inactivity, or null) and export link lifetime.',
        body: Type.Object(
          {
            consentRequiredFor: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' }), Type.Null()])),
            eventRetentionDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()])),
            inactivePeopleMonths: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1200 }), Type.Null()])),
            exportLinkHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Settings }, 400, 401, 403),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'privacy.manage');
      return withTeam(ctx.engine, access.teamId, async (tx) => {
        const { settings, changed } = await updatePrivacySettings(tx, access.teamId, request.body);
        // Checked on the merged settings, with the row locked: the transaction rolls back on refusal.
        // Only a change to retention is refused: other settings stay changeable with older settings.
        const conflict = request.body.eventRetentionDays !== undefined || request.body.inactivePeopleMonths !== undefined ? retentionConflict(settings) : null;
        if (conflict) throw new HavenError('invalid_value', 400, conflict, request.body.eventRetentionDays !== undefined ? 'eventRetentionDays' : 'inactivePeopleMonths');
        if (changed.length > 0) {
          await audit.record(tx, { teamId: access.teamId, actor: actorOf(access), action: 'privacy.settings_changed', requestId: request.id, details: { fields: changed } });
        }
        return settings;
      });
    },
  );

  app.get(
    '/privacy/retention/preview',
    { schema: { tags: ['privacy'], summary: 'Dry run: what the retention policy would remove now.', response: withErrors({ 200: RetentionPlan }, 401, 403) } },
    async (request) => {
      const access = requireTeam(request, 'privacy.read');
      const plan = await planRetention(ctx, access.teamId);
      return { ...plan, inactivePeople: plan.inactivePeople.length };
    },
  );

  app.post(
    '/privacy/retention/run',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Apply the retention policy now (it also runs daily): old events deleted, inactive people erased, expired export links closed.',
        response: withErrors({ 200: Type.Object({ events: Type.Integer(), people: Type.Integer(), expiredExports: Type.Integer() }) }, 401, 403),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'privacy.manage');
      return applyRetention(ctx, access.teamId, actorOf(access));
    },
  );

  app.get(
    '/privacy/record-of-processing',
    {
      schema: {
        tags: ['privacy'],
        summary: 'The team’s record of processing, generated from what Haven holds and is set to do: JSON, or Markdown with `format=markdown`.',
        querystring: Type.Object({ format: Type.Union([Type.Literal('json'), Type.Literal('markdown')], { default: 'json' }) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Unknown() }, 400, 401, 403),
      },
    },
    async (request, reply) => {
      const access = requireTeam(request, 'privacy.read');
      const record = await recordOfProcessing(ctx, access.teamId);
      if (request.query.format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(recordAsMarkdown(record));
      return record;
    },
  );
};
