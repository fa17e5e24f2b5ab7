import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { isUuid } from '../db/with-team.js';

/** One erasure, as ids and a time: what restore must erase again. No personal data. */
export type ErasureEntry =
  | { kind: 'person'; teamId: string; personId: string; subjectIds: string[]; erasedAt: string }
  | { kind: 'team'; teamId: string; erasedAt: string };

/**
 * The one spelling of an entry (lower-case ids, subject ids without repeats, the time as ISO-8601
 * in UTC with milliseconds), so the file and the database copy of the same erasure are equal.
 * Throws TypeError on anything that is not an entry.
 */
export function normaliseEntry(value: unknown): ErasureEntry {
  const e = value as Partial<Record<string, unknown>> | null;
  if (!e || typeof e !== 'object') throw new TypeError('an erasure entry is an object');
  const id = (v: unknown, what: string): string => {
    if (typeof v !== 'string' || !isUuid(v)) throw new TypeError(`an erasure entry's ${what} is a UUID`);
    return v.toLowerCase();
  };
  const at = typeof e.erasedAt === 'string' || e.erasedAt instanceof Date ? new Date(e.erasedAt) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new TypeError("an erasure entry's erasedAt is a time");
  const teamId = id(e.teamId, 'teamId');
  if (e.kind === 'team') return { kind: 'team', teamId, erasedAt: at.toISOString() };
  if (e.kind !== 'person') throw new TypeError("an erasure entry's kind is 'person' or 'team'");
  if (!Array.isArray(e.subjectIds)) throw new TypeError("an erasure entry's subjectIds is a list");
  const subjectIds = [...new Set(e.subjectIds.map((s) => id(s, 'subjectIds')))];
  return { kind: 'person', teamId, personId: id(e.personId, 'personId'), subjectIds, erasedAt: at.toISOString() };
}

/** SHA-256 of the entry's canonical JSON: the same erasure has the same key wherever it is kept. */
export function entryKey(entry: ErasureEntry): Buffer {
  return createHash('sha256').update(canonicalJson(entry)).digest();
}
