import type { Tx } from '../../platform/db/engine.js';
import { HavenError } from '../../platform/http/errors.js';
import { cutText } from '../../platform/text.js';
import { getPerson } from './get-person.js';
import { IDENTITY_LIMITS } from './identities.js';
import { PROPERTY_LIMITS, type Properties } from './properties.js';
import type { PeopleContext } from './sealed-fields.js';
import { type PersonPatch, updatePerson } from './update-person.js';

/** Profile names and companies hold up to 200 characters. */
const PROFILE_TEXT_MAX = 200;

/**
 * A name or company trait as the profile holds it: its first 200 characters (the event keeps it
 * whole), never half of a surrogate pair — that would be stored as a replacement character.
 */
export const profileText = (value: string): string => cutText(value, PROFILE_TEXT_MAX);

/**
 * Apply traits from an identify call: `set` overwrites, `setOnce` only fills what is missing
 * (PostHog's $set / $set_once; Segment traits are `set`), `unset` removes (PostHog's $unset, last).
 * `name`, `company` and `email` fill the profile; the rest become properties. An email is an
 * identity: it is not removed by a trait (rectification does that).
 */
export async function applyTraits(
  ctx: PeopleContext,
  tx: Tx,
  teamId: string,
  personId: string,
  traits: { set?: Properties; setOnce?: Properties; unset?: readonly string[] },
): Promise<string[]> {
  const current = await getPerson(ctx, tx, teamId, personId);
  const patch: PersonPatch = {};
  const properties: Properties = {};
  const apply = (source: Properties, once: boolean) => {
    for (const [key, value] of Object.entries(source)) {
      if (key === 'name' && typeof value === 'string') {
        if (!once || !current.name) patch.name = profileText(value);
      } else if (key === 'company' && (typeof value === 'string' || (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string'))) {
        const company = typeof value === 'string' ? value : (value as { name: string }).name;
        if (!once || !current.company) patch.company = profileText(company);
      } else if (key === 'email' && typeof value === 'string') {
        const email = value.trim().toLowerCase();
        const room = current.emails.length < IDENTITY_LIMITS.email;
        if (!current.emails.includes(email) && room && (!once || current.emails.length === 0)) patch.emails = [...current.emails, value];
      } else if (!once || !Object.hasOwn(current.properties, key)) {
        properties[key] = value;
      }
    }
  };
  apply(traits.setOnce ?? {}, true);
  apply(traits.set ?? {}, false);
  // Never past the property limit: new keys that do not fit are dropped, updates always apply.
  let room = PROPERTY_LIMITS.maxKeys - Object.keys(current.properties).length;
  for (const key of Object.keys(properties)) {
    if (Object.hasOwn(current.properties, key)) continue;
    if (room > 0) room--;
    else delete properties[key];
  }
  if (Object.keys(properties).length > 0) patch.properties = properties;
  for (const key of traits.unset ?? []) {
    if (key === 'name' && current.name) patch.name = null;
    else if (key === 'company' && current.company) patch.company = null;
    else if (Object.hasOwn(current.properties, key) || Object.hasOwn(properties, key)) (patch.unsetProperties ??= []).push(key);
  }
  if (Object.keys(patch).length === 0) return [];
  try {
    return (await updatePerson(ctx, tx, teamId, personId, patch)).fields;
  } catch (error) {
    // An email another person already has (or that is not an email) is not this identify's to take: keep the rest.
    if (error instanceof HavenError && ['duplicate_identity', 'invalid_email'].includes(error.code) && patch.emails) {
      delete patch.emails;
      return (await updatePerson(ctx, tx, teamId, personId, patch)).fields;
    }
    throw error;
  }
}
