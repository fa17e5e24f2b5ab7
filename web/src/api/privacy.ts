import { api, requestFile, requestText } from './client';
import type { Consent, DataSubject, LawfulBasis, PrivacyRequest, PrivacyRequestKind, PrivacySettings, RetentionPlan, RetentionResult, SuppressionState } from './types';

/** One identity to find a data subject by (or to object with): exactly one of these is sent. */
export type IdentityInput = { email: string } | { phone: string } | { externalId: string } | { anonymousId: string };

export interface RequestsQuery {
  kind?: PrivacyRequestKind;
  personId?: string;
  cursor?: string;
  limit?: number;
}

const API_PREFIX = '/api/v1';

export const privacy = {
  // A POST, so the identity never sits in a URL.
  findSubject: (identity: IdentityInput) => api.post<{ people: DataSubject[] }>('/privacy/subjects/find', identity),
  requests: (q: RequestsQuery = {}) => api.get<{ requests: PrivacyRequest[]; nextCursor: string | null }>('/privacy/requests', { ...q }),
  request: (id: string) => api.get<PrivacyRequest>(`/privacy/requests/${id}`),
  requestExport: (personId: string, format: 'json' | 'zip') => api.post<PrivacyRequest & { downloadPath: string }>('/privacy/exports', { personId, format }),
  /** The export's one download (the API answers the path under /api/v1). */
  downloadExport: (downloadPath: string) => requestFile(downloadPath.startsWith(API_PREFIX) ? downloadPath.slice(API_PREFIX.length) : downloadPath),
  erase: (personId: string, suppress: boolean) => api.post<PrivacyRequest>('/privacy/erasures', { personId, suppress }),
  object: (target: { personId: string } | IdentityInput) => api.post<PrivacyRequest>('/privacy/objections', target),

  settings: () => api.get<PrivacySettings>('/privacy/settings'),
  updateSettings: (patch: Partial<Omit<PrivacySettings, 'updatedAt'>>) => api.patch<PrivacySettings>('/privacy/settings', patch),
  retentionPreview: () => api.get<RetentionPlan>('/privacy/retention/preview'),
  runRetention: () => api.post<RetentionResult>('/privacy/retention/run'),

  recordOfProcessing: () => requestFile('/privacy/record-of-processing', { format: 'json' }),
  recordAsMarkdown: () => requestText('/privacy/record-of-processing', { format: 'markdown' }, 'text/markdown'),

  consents: (personId: string) => api.get<{ consents: Consent[] }>(`/people/${personId}/consents`),
  recordConsent: (personId: string, body: { purpose: string; lawfulBasis: LawfulBasis; source: string; givenAt?: string }) =>
    api.post<Consent>(`/people/${personId}/consents`, body),
  withdrawConsent: (personId: string, consentId: string) => api.post<void>(`/people/${personId}/consents/${consentId}/withdraw`),
  suppression: (personId: string) => api.get<{ identities: SuppressionState[] }>(`/people/${personId}/suppression`),
};
