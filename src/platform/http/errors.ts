/**
 * The one error type. `code` is stable and documented in docs/errors.md; `message` is for people
 * and never contains personal data; `field` names the offending input, if any.
 */
export class HavenError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HavenError';
  }
}

export const notFound = (what = 'resource') => new HavenError('not_found', 404, `No such ${what}.`);
export const forbidden = (message = 'Your role does not allow this.') => new HavenError('forbidden', 403, message);
export const unauthenticated = (message = 'Sign in or send a valid API key.') =>
  new HavenError('unauthenticated', 401, message);

/**
 * A name the sender chose (a property name, an unknown field), fit to echo in `field`: names are
 * free text, and one may hold what must not be repeated back or logged — a card number in a key,
 * an email as a key. Short names with few digits and no `@` are echoed as sent; others become `[redacted]`.
 */
export function echoableName(name: string): string {
  // An empty name, shown so a field path does not end in a bare dot (`traits.""`).
  if (name === '') return '""';
  // Not well formed (a lone surrogate): such a key is refused as invalid_text, and is no name to repeat.
  if (name.length > 64 || /[\u0000-\u001f@]/.test(name) || !name.isWellFormed()) return '[redacted]';
  let digits = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) >= 48 && name.charCodeAt(i) <= 57 && ++digits > 6) return '[redacted]';
  return name;
}
