import { onIdentityEdit, onPeopleMerge } from '../people/index.js';
import { moveConsents } from './consents.js';
import { extendObjection } from './object-to-processing.js';
import { consentsRoutes } from './consents.routes.js';
import { PURGE_PERSON_JOB } from './erase-person.js';
import { privacySchema } from './migrations/0001_privacy.js';
import { suppressionsStrengthen } from './migrations/0002_suppressions_strengthen.js';
import { privacyRoutes } from './privacy.routes.js';
import { purgeErasedPerson } from './purge-person.js';
import { RETENTION_JOB, applyRetentionEverywhere } from './retention.js';
import { unsubscribeRoutes } from './unsubscribe.routes.js';
export { erasePerson, PURGE_PERSON_JOB } from './erase-person.js';
export { collectPersonExport, exportAsJson, exportAsZip } from './export-person.js';
export { purgeErasedPerson } from './purge-person.js';
export { peopleWithConsent } from './consents.js';
export { privacySettings } from './privacy-settings.js';
export { suppressedAmong, liftSuppression, identityHash, restoreSuppression, removeSuppression } from './suppression-list.js';
export { prepareOutgoingEmail } from './outgoing-mail.js';
export { createRequest } from './privacy-requests.js';
// A merge of two people keeps the consents of the one merged away (people calls this; it never
// reads privacy's tables itself).
onPeopleMerge(moveConsents);
// An objection reaches identities the person gains later (adding, rectifying a person).
onIdentityEdit(extendObjection);
/**
 * The privacy centre: finding a data subject, access exports, erasure (shred, then purge), the
 * objection/suppression list with one-click unsubscribe, consent records, retention and the
 * record of processing.
 */
export const privacyModule = {
    name: 'privacy',
    migrations: [privacySchema, suppressionsStrengthen],
    jobs: [
        { name: PURGE_PERSON_JOB, handler: (data, ctx) => purgeErasedPerson(ctx, data).then(() => { }) },
        { name: RETENTION_JOB, schedule: '17 3 * * *', handler: (_data, ctx) => applyRetentionEverywhere(ctx).then(() => { }) },
    ],
    async routes(app, ctx) {
        await app.register(privacyRoutes, { ctx });
        await app.register(consentsRoutes, { ctx });
    },
    async rootRoutes(app, ctx) {
        await app.register(unsubscribeRoutes, { ctx });
    },
};
//# sourceMappingURL=index.js.map