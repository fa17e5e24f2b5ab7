import type { FastifyInstance } from 'fastify';
import { HavenError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text PostgreSQL cannot store as sent: NUL, and UTF-16 halves that encode no character. */
export function unstorable(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed();
}

/**
 * JSON bodies are decoded strictly, so what is stored is exactly what was sent: invalid UTF-8 is
 * refused (not replaced with U+FFFD), strings and keys with NUL or lone surrogates are refused
 * (PostgreSQL cannot hold the first; the second would be silently replaced), and a `__proto__`
 * key is refused (`reserved_key`): copied by assignment it would set an object's prototype.
 * (`constructor` is an ordinary key: JSON.parse makes it an own property, and Haven merges no
 * body into existing objects, where `constructor.prototype` would lead to Object's.) JSON is the
 * only body type the API accepts: text/plain, which a cross-site form can send, answers 415.
 */
export function registerStrictJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.removeContentTypeParser('text/plain');
  acceptJsonAs(app, 'application/json');
}

/** Where ingest's parse keeps a `__proto__` key, for checkEvent to refuse its event (`reserved_key`). */
export const RESERVED_KEY = '\u0000__proto__';

/** What a `reserved_key` refusal says, wherever ingest finds the key. */
export const RESERVED_KEY_MESSAGE = 'A key may not be "__proto__".';

/** An ingest object (an event, or the envelope around a batch) with a `__proto__` key of its own, at its top. */
export const holdsReservedKey = (value: object): boolean => Object.hasOwn(value, RESERVED_KEY);

/** The envelope around ingest's events (a batch's `writeKey`, `context`, `api_key`…) with a `__proto__` key: the request is refused. */
export function refuseReservedEnvelopeKey(envelope: object): void {
  if (holdsReservedKey(envelope)) throw new HavenError('reserved_key', 400, RESERVED_KEY_MESSAGE, '__proto__');
}

export interface StrictJsonOptions {
  /**
   * Integers a double would round arrive as strings of their digits (see keepExactIntegers). For
   * ingest, whose properties and traits are free-form data to be kept and checked as sent; the
   * rest of the API keeps a number a number, so a huge number in a typed field is `invalid_type`.
   */
  readonly exactIntegers?: boolean;
  /**
   * Strings and keys PostgreSQL cannot store (NUL, lone surrogates) are kept for the route to
   * refuse where they are, and so is a `__proto__` key (as RESERVED_KEY). For ingest, where such
   * text refuses only the event that holds it (`invalid_text`, `reserved_key` with its field, see
   * checkEvent), never the whole batch.
   */
  readonly keepUnstorableText?: boolean;
}

/**
 * Parse bodies of `contentType` as strict JSON in this plugin's scope, replacing the parser it
 * inherited — how ingest routes accept the text/plain JSON that browsers send without a CORS
 * preflight, and keep long integers exact.
 */
export function acceptJsonAs(app: FastifyInstance, contentType: string, options: StrictJsonOptions = {}): void {
  if (app.hasContentTypeParser(contentType)) app.removeContentTypeParser(contentType);
  app.addContentTypeParser(contentType, { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    // Clients that label every request JSON send it with nothing on routes that take no body
    // (a DELETE, a sign-out): nothing to parse, nothing refused.
    if (body.length === 0 && !request.routeOptions.schema?.body) {
      done(null, undefined);
      return;
    }
    try {
      done(null, parseStrictJson(body, options));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** Decode and parse a JSON body with the rules above; throws HavenError. */
export function parseStrictJson(body: Buffer, options: StrictJsonOptions = {}): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HavenError('invalid_utf8', 400, 'The request body is not valid UTF-8.');
  }
  if (text.trim() === '') throw new HavenError('malformed_json', 400, 'The request body is empty; send a JSON object.');
  if (options.exactIntegers && LONG_DIGIT_RUN.test(text)) text = keepExactIntegers(text);
  // A NUL or a lone surrogate can only come from a \u escape (the text is valid UTF-8, and raw
  // control characters are not JSON), and a `__proto__` key only from its name: without either,
  // the checks below would change nothing, and a plain parse is three times faster. Only for
  // shallow text, though: the recursive reviver is also what refuses absurd nesting
  // (malformed_json, a stack overflow), and nesting is at most the number of brackets.
  if (!text.includes('\\u') && !text.includes('__proto__') && bracketsAtMost(text, 1000)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new HavenError('malformed_json', 400, 'The request body is not valid JSON.');
    }
  }
  let bad = false;
  let prototypeKey = false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, function (this: Record<string, unknown>, key, value) {
      if (unstorable(key) || (typeof value === 'string' && unstorable(value))) bad = true;
      if (key !== '__proto__') return value;
      // Ingest refuses the event that holds it, not the batch: the key is renamed to a name no
      // valid text can be (it holds a NUL) and that assignment cannot turn into a prototype.
      if (options.keepUnstorableText) this[RESERVED_KEY] = value;
      else prototypeKey = true;
      return undefined;
    });
  } catch {
    throw new HavenError('malformed_json', 400, 'The request body is not valid JSON.');
  }
  if (prototypeKey) throw new HavenError('reserved_key', 400, 'A JSON key may not be "__proto__".');
  if (bad && !options.keepUnstorableText) throw new HavenError('invalid_text', 400, 'Text may not contain NUL characters or unpaired surrogates.');
  return parsed;
}

/**
 * A double holds every integer up to 2^53 (16 digits) exactly; JSON.parse rounds longer ones, so
 * a 64-bit id would be stored altered, and a 17–19-digit card number sent as a number would reach
 * the restricted-data guard (I4) with other digits and slip past its Luhn check. So, on ingest
 * routes, an integer literal whose digits do not survive as a number (the number does not print as
 * the literal) arrives as a string of the digits sent. What a JavaScript client writes for a large
 * double prints back the same and stays a number, as do fractions and exponents.
 */
const LONG_DIGIT_RUN = /\d{16}/;
// Outside strings, digits occur in valid JSON only within number tokens: matching strings too keeps
// the digits inside them out of reach, and each number is matched whole, fraction and exponent.
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER = /^-?\d+$/;

function keepExactIntegers(text: string): string {
  // Only valid JSON is rewritten: quoting digits could otherwise turn a malformed body into a valid
  // one (`{12345678901234567890: 1}`), and the regex lexes strings right only in valid JSON.
  try {
    JSON.parse(text);
  } catch {
    throw new HavenError('malformed_json', 400, 'The request body is not valid JSON.');
  }
  return text.replace(STRING_OR_NUMBER, (token) =>
    token.startsWith('"') || token.length < 16 || !INTEGER.test(token) || String(Number(token)) === token ? token : `"${token}"`,
  );
}

function bracketsAtMost(text: string, limit: number): boolean {
  let n = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) if (++n > limit) return false;
  }
  return true;
}
