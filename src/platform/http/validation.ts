import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { HavenError, echoableName } from './errors.js';
import { RESERVED_KEY, RESERVED_KEY_MESSAGE } from './json-body.js';

/**
 * Bodies are validated exactly as sent: no type coercion, no silent removal of unknown fields
 * (an unknown field is an error, so a typo never loses data quietly). Path and query strings are
 * text on the wire, so there numbers and booleans are coerced, and a parameter given once where a
 * list is expected (`?type=page`) is a list of one.
 */
export function registerValidation(app: FastifyInstance): void {
  const strict = new Ajv.default({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false });
  const coercing = new Ajv.default({ allErrors: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false });
  addFormats.default(strict);
  addFormats.default(coercing);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as FastifySchema & object),
  );
  app.setSchemaErrorFormatter((errors, dataVar) => validationError(errors as ErrorObject[], dataVar));
}

function validationError(errors: ErrorObject[], dataVar: string): HavenError {
  const e = errors[0];
  if (!e) return new HavenError('invalid_request', 400, 'The request is not valid.');
  // Record keys in the path and unknown field names are the sender's text: echoed only when harmless.
  const base = e.instancePath
    .replace(/^\//, '')
    .split('/')
    .map((segment) => (segment === '' ? segment : echoableName(segment.replaceAll('~1', '/').replaceAll('~0', '~'))))
    .join('.');
  const where = dataVar === 'body' ? '' : `${dataVar === 'querystring' ? 'query' : dataVar}.`;
  const join = (name: string) => `${where}${base ? `${base}.` : ''}${name}`;
  const field = where + base || undefined;
  switch (e.keyword) {
    case 'required':
      return new HavenError('missing_field', 400, `A required field is missing.`, join(String(e.params.missingProperty)));
    case 'additionalProperties':
      // A `__proto__` key in an ingest body, which its parse keeps under another name.
      if (e.params.additionalProperty === RESERVED_KEY) return new HavenError('reserved_key', 400, RESERVED_KEY_MESSAGE, join('__proto__'));
      return new HavenError('unknown_field', 400, `This field is not accepted here.`, join(echoableName(String(e.params.additionalProperty))));
    case 'maxLength':
      return new HavenError('too_long', 400, `At most ${e.params.limit} characters.`, field);
    case 'minLength':
      return new HavenError('too_short', 400, `At least ${e.params.limit} characters.`, field);
    case 'format':
    case 'pattern':
      return new HavenError('invalid_format', 400, `Not a valid ${e.params.format ?? 'value'}.`, field);
    case 'type':
      return new HavenError('invalid_type', 400, `Expected ${e.params.type}.`, field);
    case 'enum':
    case 'const':
      return new HavenError('invalid_value', 400, `Not one of the accepted values.`, field);
    case 'maximum':
    case 'minimum':
    case 'maxItems':
    case 'minItems':
    case 'maxProperties':
      return new HavenError('out_of_range', 400, `Out of the accepted range.`, field);
    default:
      return new HavenError('invalid_request', 400, `The request is not valid.`, field);
  }
}
