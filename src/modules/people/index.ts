import type { HavenModule } from '../../platform/module.js';
import { peopleSchema } from './migrations/0001_people.js';
import { mergedSubjectsSchema } from './migrations/0002_merged_subjects.js';
import { erasureSchema } from './migrations/0003_erasure.js';
import { nameFoldSchema } from './migrations/0004_name_fold.js';
import { peopleRoutes } from './people.routes.js';
import { reindexNames } from './reindex-names.js';

export { PeopleService, type PersonView } from './people.service.js';
export { IDENTITY_KINDS, IDENTITY_OF_LOOKUP_FIELD, normaliseIdentity, type IdentityKind } from './identities.js';
export { checkProperties, PROPERTY_LIMITS } from './properties.js';
export { onPeopleMerge, type MergeStep } from './merge-people.js';
export { onIdentityEdit, type IdentityEdit, type IdentityEditStep } from './identity-edits.js';

/** The people a team deals with: profiles, identities, properties and notes, all encrypted. */
export const peopleModule: HavenModule = {
  name: 'people',
  migrations: [peopleSchema, mergedSubjectsSchema, erasureSchema, nameFoldSchema],
  async prepare(ctx) {
    await reindexNames(ctx);
  },
  async routes(app, ctx) {
    await app.register(peopleRoutes, { ctx });
  },
};
