import { type TSchema, Type } from '@sinclair/typebox';

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

export const Uuid = Type.String({ format: 'uuid' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Timestamp = Type.String({ format: 'date-time' });
/** A time in a query: RFC 3339 with a year from 1000 to 9999 (year 0 is valid RFC 3339 but not a PostgreSQL time). */
export const QueryTime = Type.String({ format: 'date-time', pattern: '^[1-9]\\d{3}-', maxLength: 40 });
export const NoContent = Type.Null({ description: 'No content' });
