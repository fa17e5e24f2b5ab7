import { api } from './client';
import type { Activity, EventType, Note, PageViewed, Person, PersonPatch } from './types';

export interface PeopleQuery {
  sort: 'created' | 'updated';
  order: 'desc' | 'asc';
  limit: number;
  cursor?: string;
}

/** One lookup at a time: an exact email, or a name prefix (every word a prefix of a name word). Sent in a POST body, never in a URL. */
export type PeopleSearch = ({ email: string } | { name: string }) & { limit?: number; cursor?: string };

export interface ActivityQuery {
  type?: EventType[];
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export const people = {
  list: (q: PeopleQuery) => api.get<{ people: Person[]; nextCursor: string | null }>('/people', { ...q }),
  /** A name search pages with `nextCursor`; an email lookup answers without one. */
  search: async (q: PeopleSearch) => {
    const found = await api.post<{ people: Person[]; nextCursor?: string | null }>('/people/search', q);
    return { people: found.people, nextCursor: found.nextCursor ?? null };
  },
  get: (id: string) => api.get<Person>(`/people/${id}`),
  create: (body: { name?: string; company?: string; emails?: string[] }) => api.post<Person>('/people', body),
  update: (id: string, patch: PersonPatch) => api.patch<Person>(`/people/${id}`, patch),
  delete: (id: string) => api.delete(`/people/${id}`),
  notes: (id: string) => api.get<{ notes: Note[] }>(`/people/${id}/notes`),
  addNote: (id: string, body: string) => api.post<Note>(`/people/${id}/notes`, { body }),
  deleteNote: (id: string, noteId: string) => api.delete(`/people/${id}/notes/${noteId}`),
  activity: (id: string, q: ActivityQuery) => api.get<{ activity: Activity[]; nextCursor: string | null }>(`/people/${id}/activity`, { ...q }),
  pages: (id: string) => api.get<{ pages: PageViewed[] }>(`/people/${id}/pages`),
};
