/**
 * The one way the web app talks to Haven: same-origin JSON over /api/v1 with the session cookie,
 * the CSRF token on every write, and every error turned into an ApiError carrying the API's code.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

let csrfToken: string | null = null;
let sessionEnded: ((code: string) => void) | null = null;
let teamChanged: (() => void) | null = null;

/** The session's CSRF token, sent as X-CSRF-Token on writes (null once signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a signed-in request answers 401: the session ended (idle, lifetime, elsewhere). */
export function onSessionEnded(handler: ((code: string) => void) | null): void {
  sessionEnded = handler;
}

/**
 * Called when an answer shows the session's view of the team is out of date: the team was cancelled
 * (423 team_read_only), the member was removed (no_active_team) or their role changed (forbidden).
 */
export function onTeamChanged(handler: (() => void) | null): void {
  teamChanged = handler;
}

const TEAM_CHANGED_CODES = new Set(['team_read_only', 'no_active_team', 'forbidden']);

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method: string, path: string, options: { body?: unknown; query?: Query; accept?: string }): Promise<Response> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(`/api/v1${path}`, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Haven could not be reached. Check your connection and try again.');
  }
  if (response.ok) return response;
  const body: unknown = await response.json().catch(() => null);
  const error = (body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
  const failure = new ApiError(response.status, error?.code ?? 'internal_error', error?.message ?? `Request failed (${response.status}).`, error?.field);
  // A 401 on anything but signing in means the session is gone; the app shows the sign-in page.
  if (response.status === 401 && failure.code !== 'invalid_credentials' && sessionEnded) sessionEnded(failure.code);
  // Someone changed the team since the session was read: the app reads it again (the banner, the controls, or no team).
  if (TEAM_CHANGED_CODES.has(failure.code)) teamChanged?.();
  throw failure;
}

export async function request<T>(method: string, path: string, options: { body?: unknown; query?: Query } = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json().catch(() => null)) as T;
}

/** A document the API answers as text (Markdown). */
export async function requestText(path: string, query?: Query, accept = 'text/plain'): Promise<string> {
  return (await send('GET', path, { query, accept })).text();
}

/** A file the API answers as an attachment, with the name its Content-Disposition gives. */
export async function requestFile(path: string, query?: Query): Promise<{ blob: Blob; filename: string | null }> {
  const response = await send('GET', path, { query, accept: '*/*' });
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), filename };
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};
