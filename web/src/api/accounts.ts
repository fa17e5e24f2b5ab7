import { api } from './client';
import type { ApiKey, Invitation, Member, Role, Session, Team, TeamLifecycle } from './types';

export const accounts = {
  session: () => api.get<Session>('/session'),
  signUp: (body: { email: string; password: string; teamName: string }) => api.post<Session>('/auth/sign-up', body),
  signIn: (body: { email: string; password: string }) => api.post<Session>('/auth/sign-in', body),
  signOut: () => api.post<void>('/auth/sign-out'),
  signOutEverywhere: () => api.post<{ endedSessions: number }>('/auth/sign-out-everywhere'),
  /** Your own account, for good: every team left, every session ended. */
  deleteAccount: (password: string) => api.post<{ teamsLeft: number }>('/auth/delete-account', { password }),
  switchTeam: (teamId: string) => api.put<Session>('/session/team', { teamId }),
  createTeam: (name: string) => api.post<Session>('/teams', { name }),
  acceptInvitation: (body: { token: string; password?: string }) => api.post<Session>('/invitations/accept', body),

  team: () => api.get<Team>('/team'),
  renameTeam: (name: string) => api.patch<Team>('/team', { name }),
  /** Owners: read-only at once, deleted at deletionDueAt unless undone before then. */
  cancelTeam: () => api.post<TeamLifecycle>('/team/cancellation'),
  undoCancellation: () => api.delete<TeamLifecycle>('/team/cancellation'),
  members: () => api.get<{ members: Member[] }>('/members'),
  changeRole: (userId: string, role: Role) => api.patch<Member>(`/members/${userId}`, { role }),
  removeMember: (userId: string) => api.delete(`/members/${userId}`),
  invitations: () => api.get<{ invitations: Invitation[] }>('/invitations'),
  invite: (body: { email: string; role: Role }) => api.post<{ invitation: Invitation; token: string }>('/invitations', body),
  revokeInvitation: (id: string) => api.delete<Invitation>(`/invitations/${id}`),
  apiKeys: (includeRevoked = false) => api.get<{ apiKeys: ApiKey[] }>('/api-keys', { includeRevoked }),
  createApiKey: (body: { name: string; kind: 'write' | 'secret'; scope?: 'read' | 'admin' }) =>
    api.post<{ apiKey: ApiKey; token: string }>('/api-keys', body),
  revokeApiKey: (id: string) => api.delete<ApiKey>(`/api-keys/${id}`),
};
