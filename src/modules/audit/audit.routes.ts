import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ANCHOR_PATTERN, audit, formatAnchor, parseAnchor } from '../../platform/audit/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Engine } from '../../platform/db/engine.js';
import { withTeam } from '../../platform/db/with-team.js';
import { queryTimeText } from '../../platform/http/query-time.js';
import { AnyKeys, InputTime, Timestamp, Uuid, withErrors } from '../../platform/http/schemas.js';
import { requireTeam } from '../accounts/index.js';

const Entry = Type.Object(
  {
    seq: Type.Integer(),
    id: Uuid,
    at: Timestamp,
    teamId: Uuid,
    actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
    action: Type.String(),
    target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    details: AnyKeys(Type.Unknown()),
  },
  { $id: 'AuditEntry' },
);

export const auditRoutes: FastifyPluginAsyncTypebox<{ engine: Engine; keyring: Keyring }> = async (app, { engine, keyring }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The team audit log, newest first. `action` matches exactly or by prefix (`member` → `member.*`).',
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ maxLength: 100, pattern: '^[a-z_.]+$' })),
            // Actors with an id are users and API keys, and every target (person, user, team,
            // invitation, API key) is one by id: all uuids. (The system and operators have none.)
            actorId: Type.Optional(Uuid),
            targetId: Type.Optional(Uuid),
            from: Type.Optional(InputTime),
            to: Type.Optional(InputTime),
            // Bounded: the query string coerces `1e22` and `1e999` to numbers that no seq (bigint) can be.
            before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Keyset paging: entries with seq below this.' })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ entries: Type.Array(Entry), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }) }, 400, 401, 403),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'audit.read');
      const q = request.query;
      const entries = await withTeam(engine, access.teamId, (tx) => audit.list(tx, access.teamId, { ...q, from: queryTimeText(q.from), to: queryTimeText(q.to) }));
      const last = entries.at(-1);
      return { entries, nextBefore: entries.length === request.query.limit && last ? last.seq : null };
    },
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary:
          "Verify the team's hash chain end to end, and its hourly keyed checkpoints; names the first broken entry, if any. `checkpoint` is the newest checkpoint the chain passes through: entries up to it cannot have been rewritten. Keep `head` somewhere else and pass it back as `anchor` later: a chain cut at the end or rewritten since then fails.",
        querystring: Type.Object(
          { anchor: Type.Optional(Type.String({ pattern: ANCHOR_PATTERN, description: 'A head noted earlier, `<seq>:<hash>`.' })) },
          { additionalProperties: false },
        ),
        response: withErrors(
          {
            200: Type.Object({
              valid: Type.Boolean(),
              entries: Type.Integer(),
              firstBreak: Type.Union([Type.Object({ seq: Type.Integer(), id: Type.Union([Uuid, Type.Null()]), reason: Type.String() }), Type.Null()]),
              head: Type.Union([Type.String({ description: 'The last entry that verified, `<seq>:<hash>`.' }), Type.Null()]),
              checkpoint: Type.Union([Type.Object({ seq: Type.Integer(), madeAt: Timestamp }), Type.Null()], {
                description: 'The newest keyed checkpoint, when the chain passes through every one (null: none yet, or the chain is broken).',
              }),
            }),
          },
          400,
          401,
          403,
        ),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'audit.read');
      const anchor = request.query.anchor === undefined ? undefined : (parseAnchor(request.query.anchor) ?? undefined); // the schema checked its form
      const report = await withTeam(engine, access.teamId, (tx) => audit.verify(tx, access.teamId, { keyring, anchor }));
      return {
        valid: report.firstBreak === null,
        entries: report.entries,
        firstBreak: report.firstBreak,
        head: report.head && formatAnchor(report.head),
        checkpoint: report.checkpoint,
      };
    },
  );
};
