/**
 * The one error type. `code` is stable and documented in docs/errors.md; `message` is for people
 * and never contains personal data; `field` names the offending input, if any.
 */
export class HavenError extends Error {
    code;
    status;
    field;
    headers;
    constructor(code, status, message, field, headers) {
        super(message);
        this.code = code;
        this.status = status;
        this.field = field;
        this.headers = headers;
        this.name = 'HavenError';
    }
}
export const notFound = (what = 'resource') => new HavenError('not_found', 404, `No such ${what}.`);
export const forbidden = (message = 'Your role does not allow this.') => new HavenError('forbidden', 403, message);
export const unauthenticated = (message = 'Sign in or send a valid API key.') => new HavenError('unauthenticated', 401, message);
/**
 * A name the sender chose (a property name, an unknown field), fit to echo in `field`: names are
 * free text, and one may hold what must not be repeated back or logged — a card number in a key,
 * an email as a key. Short names with few digits and no `@` are echoed as sent; others become `[redacted]`.
 */
export function echoableName(name) {
    // Not well formed (a lone surrogate): such a key is refused as invalid_text, and is no name to repeat.
    if (name.length > 64 || /[\u0000-\u001f@]/.test(name) || !name.isWellFormed())
        return '[redacted]';
    let digits = 0;
    for (let i = 0; i < name.length; i++)
        if (name.charCodeAt(i) >= 48 && name.charCodeAt(i) <= 57 && ++digits > 6)
            return '[redacted]';
    return name;
}
//# sourceMappingURL=errors.js.map