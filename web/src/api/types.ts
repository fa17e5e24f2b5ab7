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
  | 'consents.write'
  | 'privacy.read'
  | 'privacy.export'
  | 'privacy.object'
  | 'privacy.manage'
  | 'team.cancel'
  | (string & {});

export interface Session {
  user: { id: string; email: string };
  /** deletionDueAt: set while the team is cancelled (read-only), when it will be deleted. */
  teams: { id: string; name: string; role: Role; deletionDueAt: string | null }[];
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
  /** Set while a cancellation is pending: the team is read-only until then, and deleted at deletionDueAt. */
  cancelledAt: string | null;
  deletionDueAt: string | null;
}

export interface TeamLifecycle {
  id: string;
  cancelledAt: string | null;
  deletionDueAt: string | null;
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
  /** The member who made it, or who made the key it was made with (null: not known, an old key made with a key). */
  createdBy: string | null;
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
  /** The event's own properties; the profile traits it set (all, and only where missing); where it happened. */
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  traitsOnce: Record<string, unknown>;
  context: Record<string, unknown>;
  url: string | null;
  referrer: string | null;
  title: string | null;
}

export interface PageViewed {
  /** Null for views sent without an address, counted together. */
  url: string | null;
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
  /** Stored detectors that a later Haven's checks refuse: ingest refuses every event until they are saved again. */
  problem: { field?: string; message: string } | null;
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
  /** The last entry that verified, `<seq>:<hash>`: kept elsewhere, it later shows a cut or rewritten chain. */
  head: string | null;
  /** The newest keyed checkpoint the chain passes through: entries up to it cannot have been rewritten. */
  checkpoint: { seq: number; madeAt: string } | null;
}

export const LAWFUL_BASES = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export interface Consent {
  id: string;
  personId: string;
  purpose: string;
  lawfulBasis: LawfulBasis;
  source: string;
  givenAt: string;
  withdrawnAt: string | null;
  recordedBy: string | null;
}

export type IdentityKind = 'email' | 'phone' | 'external_id' | 'anonymous_id';

export interface SuppressionState {
  kind: IdentityKind | (string & {});
  value: string;
  suppressed: boolean;
  reason: 'objection' | 'unsubscribe' | 'erasure' | (string & {}) | null;
  since: string | null;
}

export type PrivacyRequestKind = 'export' | 'erasure' | 'objection';

export interface PrivacyRequest {
  id: string;
  kind: PrivacyRequestKind;
  /** export: ready → downloaded | expired; erasure: shredded → completed; objection: completed. */
  status: string;
  personId: string | null;
  format: 'json' | 'zip' | null;
  requestedBy: { type: string; id: string | null };
  createdAt: string;
  expiresAt: string | null;
  completedAt: string | null;
  /** What was done: counts, times, actor ids — never personal data. */
  receipt: Record<string, unknown>;
}

/** A person found by one identity, for a data-subject request. */
export interface DataSubject {
  id: string;
  name: string | null;
  emails: string[];
  phones: string[];
  externalIds: string[];
  createdAt: string;
}

export interface PrivacySettings {
  consentRequiredFor: string | null;
  eventRetentionDays: number | null;
  inactivePeopleMonths: number | null;
  exportLinkHours: number;
  updatedAt: string | null;
}

export interface RetentionPlan {
  settings: { eventRetentionDays: number | null; inactivePeopleMonths: number | null };
  eventsBefore: string | null;
  events: number;
  inactiveSince: string | null;
  inactivePeople: number;
  expiredExports: number;
  /** Why nobody is erased for inactivity though a window is set, or null. */
  problem: string | null;
}

export interface RetentionResult {
  events: number;
  people: number;
  expiredExports: number;
}
