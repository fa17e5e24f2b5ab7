import { peopleSchema } from './migrations/0001_people.js';
import { mergedSubjectsSchema } from './migrations/0002_merged_subjects.js';
import { erasureSchema } from './migrations/0003_erasure.js';
import { peopleRoutes } from './people.routes.js';
export { PeopleService } from './people.service.js';
export { IDENTITY_KINDS, IDENTITY_OF_LOOKUP_FIELD, normaliseIdentity } from './identities.js';
export { checkProperties, PROPERTY_LIMITS } from './properties.js';
export { onPeopleMerge } from './merge-people.js';
export { onIdentityEdit } from './identity-edits.js';
/** The people a team deals with: profiles, identities, properties and notes, all encrypted. */
export const peopleModule = {
    name: 'people',
    migrations: [peopleSchema, mergedSubjectsSchema, erasureSchema],
    async routes(app, ctx) {
        await app.register(peopleRoutes, { ctx });
    },
};
//# sourceMappingURL=index.js.map