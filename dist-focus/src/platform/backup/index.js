export { ARCHIVE_FORMAT, ARCHIVE_VERSION, ArchiveError, BackupRefusedError, MANIFEST_MAC_MEMBER, MANIFEST_MEMBER, manifestMac, tableMember } from './archive-format.js';
export { readArchive, verifyArchive } from './read-archive.js';
export { restoreBackup } from './restore-backup.js';
export { writeBackup } from './write-backup.js';
//# sourceMappingURL=index.js.map