import { listAudit, recordAudit, recordAuditMany } from './audit-log.js';
import { verifyChain } from './checkpoints.js';

export { auditSchema, type ActorType, type AuditEntry, type AuditEvent, type AuditFilter } from './audit-log.js';
export { ANCHOR_PATTERN, formatAnchor, parseAnchor, type ChainAnchor, type ChainReport } from './verify-chain.js';
export { AUDIT_CHECKPOINT_JOB, auditCheckpointSchema, makeCheckpoint, type VerifiedChain } from './checkpoints.js';

/** The one way modules write and read the audit log: `audit.record(tx, event)` where the action happens (`recordMany` for several). */
export const audit = { record: recordAudit, recordMany: recordAuditMany, list: listAudit, verify: verifyChain };
