import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../../platform/audit/index.js';
import type { Engine } from '../../platform/db/engine.js';
import { withTeam } from '../../platform/db/with-team.js';
import { InputTime, withErrors } from '../../platform/http/schemas.js';
import { resolveDayWindow } from './day-window.js';
import { actorOf, requireTeam } from '../accounts/index.js';
import { type RestrictedMode, guardSettings, saveGuardSettings } from './restricted-data-settings.js';
import { DETECTOR_LIMITS, type DetectorDefinition } from './restricted-data/index.js';

// The shape only: the limits (counts, lengths, the id's form) are compileDetectors' to check, so a
// detector that breaks one is answered `invalid_detector` with a field that names it.
const Detector = Type.Union([
  Type.Object(
    {
      id: Type.String({ description: '1–40 characters: a-z, 0-9, "-" and "_", starting with a letter or digit.' }),
      label: Type.String({ description: `1–${DETECTOR_LIMITS.maxLabelLength} characters.` }),
      kind: Type.Literal('keywords'),
      terms: Type.Array(Type.String(), {
        description: `1–${DETECTOR_LIMITS.maxTermsPerDetector} terms of at most ${DETECTOR_LIMITS.maxTermLength} characters (${DETECTOR_LIMITS.maxTerms} in all a team's detectors).`,
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      id: Type.String(),
      label: Type.String(),
      kind: Type.Literal('regex'),
      pattern: Type.String({ description: `A regular expression in RE2 syntax (no backreferences or lookaround), at most ${DETECTOR_LIMITS.maxPatternLength} characters; a team's patterns together at most ${DETECTOR_LIMITS.maxProgramSize} in RE2 program size.` }),
      flags: Type.Optional(Type.Union([Type.Literal('i'), Type.Literal('')])),
    },
    { additionalProperties: false },
  ),
]);
const Mode = Type.Union([Type.Literal('reject'), Type.Literal('redact')]);
const Settings = Type.Object({
  mode: Mode,
  detectors: Type.Array(Detector),
  paymentCards: Type.Literal('always'),
  /**
   * Stored detectors that no longer pass today's checks (a later Haven made them stricter): the
   * first problem, as saving them would report it. Until they are saved again, ingest refuses
   * every event (`detectors_invalid`). Null when all is well.
   */
  problem: Type.Union([Type.Null(), Type.Object({ field: Type.Optional(Type.String()), message: Type.String() })]),
});

export const restrictedDataRoutes: FastifyPluginAsyncTypebox<{ engine: Engine }> = async (app, { engine }) => {
  app.get(
    '/tracking/restricted-data',
    {
      schema: {
        tags: ['tracking'],
        summary: 'What ingest refuses: payment card numbers always, plus the team’s detectors; `reject` (default) or `redact`.',
        response: withErrors({ 200: Settings }, 401, 403),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'tracking.manage');
      const s = await withTeam(engine, access.teamId, (tx) => guardSettings(tx, access.teamId));
      return { mode: s.mode, detectors: s.detectors, paymentCards: 'always' as const, problem: s.problem };
    },
  );

  app.put(
    '/tracking/restricted-data',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Set the mode and the detectors (keyword lists, patterns). Patterns that could run away are refused.',
        body: Type.Object({ mode: Mode, detectors: Type.Array(Detector, { description: `At most ${DETECTOR_LIMITS.maxDetectors}.` }) }, { additionalProperties: false }),
        response: withErrors({ 200: Settings }, 400, 401, 403),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'tracking.manage');
      const { mode, detectors } = request.body as { mode: RestrictedMode; detectors: DetectorDefinition[] };
      await withTeam(engine, access.teamId, async (tx) => {
        await saveGuardSettings(tx, access.teamId, mode, detectors);
        await audit.record(tx, {
          teamId: access.teamId,
          actor: actorOf(access),
          action: 'tracking.restricted_data_changed',
          requestId: request.id,
          details: { mode, detectors: detectors.map((d) => d.id) },
        });
      });
      return { mode, detectors, paymentCards: 'always' as const, problem: null };
    },
  );

  app.get(
    '/tracking/restricted-data/counts',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Events the guard refused or redacted, per UTC day and reason (never the values). Default: last 30 days.',
        querystring: Type.Object({ from: Type.Optional(InputTime), to: Type.Optional(InputTime) }, { additionalProperties: false }),
        response: withErrors(
          {
            200: Type.Object({
              counts: Type.Array(Type.Object({ day: Type.String(), reason: Type.String(), outcome: Type.Union([Type.Literal('rejected'), Type.Literal('redacted')]), events: Type.Integer() })),
            }),
          },
          400,
          401,
          403,
        ),
      },
    },
    async (request) => {
      const access = requireTeam(request, 'people.read');
      const rows = await withTeam(engine, access.teamId, async (tx) => {
        const { from, to } = await resolveDayWindow(tx, request.query, 'UTC');
        return tx.query<{ day: string; reason: string; outcome: string; events: number }>(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, reason, outcome, events FROM restricted_data_counts
            WHERE team_id = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
              AND day <= (($3::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC')::date
            ORDER BY day, reason, outcome`,
          [access.teamId, from, to],
        );
      });
      return { counts: rows.rows };
    },
  );
};
