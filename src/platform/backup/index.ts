export { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveManifest, type ArchivedTable, ArchiveError, BackupRefusedError, MANIFEST_MAC_MEMBER, MANIFEST_MEMBER, manifestMac, tableMember } from './archive-format.js';
export { readArchive, verifyArchive, type VerifyOptions } from './read-archive.js';
export { type RestoreOptions, type RestoreReport, restoreBackup } from './restore-backup.js';
export { type BackupResult, writeBackup } from './write-backup.js';
