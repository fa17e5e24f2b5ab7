import { listAudit, recordAudit, recordAuditMany } from './audit-log.js';
import { verifyChain } from './checkpoints.js';
export { auditSchema } from './audit-log.js';
export { ANCHOR_PATTERN, formatAnchor, parseAnchor } from './verify-chain.js';
export { AUDIT_CHECKPOINT_JOB, auditCheckpointSchema, makeCheckpoint } from './checkpoints.js';
/** The one way modules write and read the audit log: `audit.record(tx, event)` where the action happens (`recordMany` for several). */
export const audit = { record: recordAudit, recordMany: recordAuditMany, list: listAudit, verify: verifyChain };
//# sourceMappingURL=index.js.map