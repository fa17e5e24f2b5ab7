import { type ObjectOptions, type TSchema, Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, listed in docs/errors.md.' }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'The offending input, as a dotted path.' })),
    }),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

/** The error responses a route documents, besides its success response. */
export function withErrors<R extends Record<number, TSchema>>(success: R, ...statuses: number[]) {
  const out: Record<number, TSchema> = { ...success };
  for (const s of statuses) out[s] = ErrorBody;
  return out as R & Record<number, TSchema>;
}

/**
 * A UUID as PostgreSQL reads it. ajv-formats' `uuid` also takes a `urn:uuid:` prefix, which the
 * database refuses: the pattern keeps such a value a 400, not a server error.
 */
export const Uuid = Type.String({ format: 'uuid', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Timestamp = Type.String({ format: 'date-time' });
/**
 * A time a client sends (query or body): RFC 3339 as both JavaScript and PostgreSQL read it.
 * RFC 3339 also allows year 0, a leap second (`23:59:60`) and any offset, but PostgreSQL has no
 * year 0 and refuses offsets beyond ±15:59, and `Date.parse` refuses second 60: years 1000–9999,
 * seconds 00–59, offsets up to ±15:59.
 */
export const InputTime = Type.String({
  format: 'date-time',
  pattern: '^[1-9]\\d{3}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:[0-5]\\d(?:\\.\\d{1,9})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
  maxLength: 40,
});
/**
 * An object with any keys, each a `value`. TypeBox's `Type.Record(Type.String(), …)` gives its keys
 * the pattern `^(.*)$`, whose `.` takes no line ends: the response writer left out a key holding
 * U+2028, U+2029 or a line feed, so a property stored under one silently went missing on read.
 */
export const AnyKeys = <T extends TSchema>(value: T, options: ObjectOptions = {}) => Type.Record(Type.String({ pattern: '^[\\s\\S]*$' }), value, options);

export const NoContent = Type.Null({ description: 'No content' });
