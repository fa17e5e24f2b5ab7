import type { FastifyInstance } from 'fastify';
import { HavenError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies are decoded strictly: invalid UTF-8 is refused rather than silently replaced with
 * U+FFFD (which would store something other than what was sent), and `__proto__` keys are dropped
 * by the reviver so a body cannot reach object prototypes.
 */
export function registerStrictJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new HavenError('invalid_utf8', 400, 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(new HavenError('malformed_json', 400, 'The request body is empty; send a JSON object.'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value)));
    } catch {
      done(new HavenError('malformed_json', 400, 'The request body is not valid JSON.'), undefined);
    }
  });
}
