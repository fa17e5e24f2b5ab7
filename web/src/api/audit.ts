import { api } from './client';
import type { AuditEntry, AuditVerification } from './types';

export interface AuditQuery {
  action?: string;
  actorId?: string;
  targetId?: string;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

export const audit = {
  list: (q: AuditQuery) => api.get<{ entries: AuditEntry[]; nextBefore: number | null }>('/audit', { ...q }),
  verify: () => api.get<AuditVerification>('/audit/verify'),
};
