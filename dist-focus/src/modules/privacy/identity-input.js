import { HavenError } from '../../platform/http/errors.js';
import { IDENTITY_OF_LOOKUP_FIELD as IDENTITY_OF_FIELD } from '../people/index.js';
/** Exactly one identity from a body like `{ "email": "…" }`: its kind, raw value and field name. */
export function oneIdentity(body) {
    const given = Object.keys(IDENTITY_OF_FIELD).filter((k) => body[k] !== undefined);
    if (given.length !== 1)
        throw new HavenError('invalid_request', 400, 'Give exactly one of email, phone, externalId or anonymousId.');
    const field = given[0];
    return { kind: IDENTITY_OF_FIELD[field], raw: body[field], field };
}
//# sourceMappingURL=identity-input.js.map