/** The API's shapes, as its OpenAPI document (/api/docs/json) describes them. */

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

/** Actions named by the server's permission table (GET /session lists those the role allows). */
export type Action =
  | 'team.read'
  | 'team.update'
  | 'members.read'
  | 'members.manage'
  | 'invitations.manage'
  | 'apiKeys.manage'
  | 'audit.read'
  | 'people.read'
  | 'people.write'
  | 'people.delete'
  | 'tracking.manage'
  | (string & {});

export interface Session {
  user: { id: string; email: string };
  teams: { id: string; name: string; role: Role }[];
  activeTeamId: string | null;
  permissions: Action[];
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
}

export interface Team {
  id: string;
  name: string;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  createdAt: string;
  expiresAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  kind: 'write' | 'secret';
  scope: 'ingest' | 'read' | 'admin';
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Person {
  id: string;
  name: string | null;
  company: string | null;
  emails: string[];
  phones: string[];
  externalIds: string[];
  anonymousIds: string[];
  properties: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface PersonPatch {
  name?: string | null;
  company?: string | null;
  emails?: string[];
  phones?: string[];
  externalIds?: string[];
  properties?: Record<string, unknown>;
  unsetProperties?: string[];
}

export interface Note {
  id: string;
  personId: string;
  body: string;
  authorId: string | null;
  createdAt: string;
}

export type EventType = 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';
export const EVENT_TYPES: readonly EventType[] = ['page', 'track', 'identify', 'screen', 'group', 'alias'];

export interface Activity {
  id: string;
  type: EventType;
  name: string | null;
  occurredAt: string;
  receivedAt: string;
  properties: Record<string, unknown>;
  url: string | null;
  referrer: string | null;
  title: string | null;
}

export interface PageViewed {
  url: string;
  title: string | null;
  views: number;
  lastViewedAt: string;
}

export type Detector =
  | { id: string; label: string; kind: 'keywords'; terms: string[] }
  | { id: string; label: string; kind: 'regex'; pattern: string; flags?: 'i' | '' };

export interface RestrictedDataSettings {
  mode: 'reject' | 'redact';
  detectors: Detector[];
  paymentCards: 'always';
}

export interface RestrictedDataCount {
  day: string;
  reason: string;
  outcome: 'rejected' | 'redacted';
  events: number;
}

export interface AuditEntry {
  seq: number;
  id: string;
  at: string;
  teamId: string;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string } | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditVerification {
  valid: boolean;
  entries: number;
  firstBreak: { seq: number; id: string | null; reason: string } | null;
}
