import { api } from './client';
import type { Detector, RestrictedDataCount, RestrictedDataSettings } from './types';

export const tracking = {
  restrictedData: () => api.get<RestrictedDataSettings>('/tracking/restricted-data'),
  saveRestrictedData: (body: { mode: 'reject' | 'redact'; detectors: Detector[] }) => api.put<RestrictedDataSettings>('/tracking/restricted-data', body),
  restrictedDataCounts: (q: { from?: string; to?: string } = {}) => api.get<{ counts: RestrictedDataCount[] }>('/tracking/restricted-data/counts', q),
};
