import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { HavenError } from '../../platform/http/errors.js';
export const IDENTITY_KINDS = ['email', 'phone', 'external_id', 'anonymous_id'];
/** The identity kind behind each single-identity field of a lookup (`{ "email": … }`, `{ "externalId": … }`). */
export const IDENTITY_OF_LOOKUP_FIELD = { email: 'email', phone: 'phone', externalId: 'external_id', anonymousId: 'anonymous_id' };
/** The request field each kind arrives in. */
export const IDENTITY_FIELDS = {
    email: 'emails',
    phone: 'phones',
    external_id: 'externalIds',
    anonymous_id: 'anonymousIds',
};
/**
 * How many of each kind one person holds at most. Ingest, which anyone with the public write key
 * can call, keeps to them too: it attaches no id, merges no people and adds no email past them.
 */
export const IDENTITY_LIMITS = { email: 20, phone: 20, external_id: 20, anonymous_id: 50 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/**
 * The one form of an identity that is stored, indexed and compared: emails trimmed, NFC and lower
 * case; phones in E.164 (international format required, parsed by libphonenumber); ids trimmed.
 */
export function normaliseIdentity(kind, raw, field) {
    const value = raw.normalize('NFC').trim();
    switch (kind) {
        case 'email': {
            const email = value.toLowerCase();
            if (email.length > 254 || !EMAIL.test(email))
                throw new HavenError('invalid_email', 400, 'Not a valid email address.', field);
            return email;
        }
        case 'phone': {
            try {
                const phone = parsePhoneNumberWithError(value);
                if (!phone.isPossible())
                    throw new Error('impossible');
                return phone.number;
            }
            catch {
                throw new HavenError('invalid_phone', 400, 'Not a valid phone number; use international format, e.g. +44 20 7946 0958.', field);
            }
        }
        default:
            if (value.length === 0 || value.length > 200)
                throw new HavenError('invalid_identity', 400, 'An id must be 1–200 characters.', field);
            return value;
    }
}
//# sourceMappingURL=identities.js.map