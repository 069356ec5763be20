// A SQLite VFS for tests that simulates an operating-system crash or power loss.
//
// It wraps SQLite's "unix" VFS and keeps the writes and truncations to each file of an enrolled
// folder in memory, the way the kernel's page cache does; they reach the real file only when
// SQLite syncs that file (xSync). `crashvfs_crash` then throws away every change that was never
// synced, exactly what a power loss may do, so a test can reopen the files through the normal
// path and see what a machine that lost power would see.
//
// Model:
// - Data: a write or truncation is durable once the file it changed has been synced. Until then
//   every connection of the process sees it (one "page cache" per path), but a crash loses it.
//   (A real disk may also keep part of an unsynced write; this model keeps none, which is the
//   case an fsync protocol must survive anyway.)
// - Directory entries: a file created in an enrolled folder is durable only once its folder has
//   been synced. SQLite's unix VFS syncs a folder through its "openDirectory" system call, which
//   this VFS intercepts (xSetSystemCall): it fsyncs the folder of a journal or WAL file it
//   created at that file's first sync, and the folder of a file it deletes with dirSync. A crash
//   deletes every created file whose folder was not synced since. Deletions are taken as
//   durable at once (lenient: a deleted WAL or journal never comes back).
// - Shared memory (-shm) is passed through untouched: SQLite rebuilds it from the WAL after a
//   crash, because the first connection to open the file resets it.
// - Files outside enrolled folders, and temporary files, are the unix VFS's own: other tests in
//   the same process are not affected, even though this VFS is the process default.
//
// After a crash, the files that were open stay open but "dead": every read, write, sync and lock
// fails with an I/O error and nothing more reaches the disk. Close them (close the store) before
// reopening: until then SQLite's in-process shared-memory index would still be in use.
//
// Thread-safe: one lock guards the whole model. Not for production: everything is in memory.
#ifndef CRASH_SIMULATING_VFS_H
#define CRASH_SIMULATING_VFS_H

#ifdef __cplusplus
extern "C" {
#endif

/// What happened to the files of one enrolled folder.
typedef struct {
    /// Files opened (xOpen) in the folder: > 0 proves connections went through this VFS.
    long long opens;
    /// Writes, truncations and syncs: the operations a crash can be armed at, numbered from 1.
    long long operations;
    long long writes;
    long long syncs;
    /// Directory syncs SQLite made for files of the folder (through "openDirectory").
    long long directorySyncs;
    /// Files deleted by crashes because their folder was never synced after they were created.
    long long lostFiles;
    /// Whether a crash happened (`crashvfs_crash`, or an armed crash that fired).
    int crashed;
} CrashVFSStats;

/// Registers the crash-simulating VFS as SQLite's default (the first call; later calls only
/// return the first result). Returns 0 (SQLITE_OK) or an SQLite error code; fails if the unix
/// VFS or its "openDirectory" system call cannot be found.
int crashvfs_install(void);

/// Whether this VFS is SQLite's default VFS now.
int crashvfs_is_default(void);

/// Simulates the files whose path starts with `folder` (an absolute path; symbolic links are
/// resolved). Enroll before the first connection opens a file there. Returns 0, or -1 if the
/// folder does not exist or is already enrolled.
int crashvfs_enroll(const char *folder);

/// Simulates an OS crash for `folder`: every unsynced write and truncation is discarded, every
/// file created there whose folder was not synced since is deleted, and files still open there
/// become dead. The folder stays enrolled (the counts go on).
void crashvfs_crash(const char *folder);

/// Makes the `operation`-th write, truncation or sync in `folder` (counted from the enrollment,
/// see `CrashVFSStats.operations`) crash instead of happening: that operation fails with an I/O
/// error and `crashvfs_crash` runs. 0 disarms.
void crashvfs_arm(const char *folder, long long operation);

/// The counts for `folder` (all zero if it is not enrolled).
CrashVFSStats crashvfs_stats(const char *folder);

/// Stops simulating `folder` and frees its in-memory state. Unsynced changes are discarded as in
/// a crash (but no file is deleted); close every connection to its files first.
void crashvfs_withdraw(const char *folder);

#ifdef __cplusplus
}
#endif

#endif
