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
