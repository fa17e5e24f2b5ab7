import type { Person } from './api/types';

/** How a person is named on screen: their name, else an email or user id, else "Anonymous visitor". */
export function personLabel(p: Person): string {
  return p.name ?? p.emails[0] ?? p.externalIds[0] ?? 'Anonymous visitor';
}
