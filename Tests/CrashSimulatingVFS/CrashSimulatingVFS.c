// The crash-simulating VFS: see include/CrashSimulatingVFS.h for the model.
//
// Layout: a `CrashFile` is what SQLite allocates for each open file (`szOsFile`); the unix VFS's
// own file object follows it in the same allocation (`real`). Files this VFS does not simulate are
// opened straight into that allocation by the unix VFS and never touch the code below.
//
// Each simulated path has one `FileState`, shared by every handle open on it and kept while the
// file exists (closing a file does not sync it): its current bytes in memory, and the byte range
// the real file does not have yet. xSync writes that range and the size to the real file, then
// syncs the real file.
#include "CrashSimulatingVFS.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Enrollment Enrollment;
struct Enrollment {
    char *folder;  // with a trailing '/'
    char *resolved;  // realpath of the folder, with a trailing '/'
    long long armedAt;
    int withdrawn;
    CrashVFSStats stats;
    Enrollment *next;
};

typedef struct FileState FileState;
struct FileState {
    char *path;
    Enrollment *enrollment;
    unsigned char *data;
    sqlite3_int64 size;
    sqlite3_int64 capacity;
    // Bytes [dirtyLow, dirtyHigh) may differ from the real file; empty when low >= high.
    sqlite3_int64 dirtyLow;
    sqlite3_int64 dirtyHigh;
    // The size may differ from the real file's (a truncation, or growth by writes).
    int sizeDirty;
    // The file's directory entry survives a crash (it existed before, or its folder was synced).
    int entryDurable;
    // Crashed or deleted: handles still open on it are dead.
    int discarded;
    // Open handles, plus one while the state is in `states`.
    int references;
    FileState *next;
};

typedef struct {
    sqlite3_file base;
    FileState *state;
    sqlite3_file *real;
} CrashFile;

static pthread_mutex_t lock;
static pthread_once_t installOnce = PTHREAD_ONCE_INIT;
static int installResult = SQLITE_ERROR;
static sqlite3_vfs *unixVFS;
static sqlite3_vfs crashVFS;
static sqlite3_syscall_ptr realOpenDirectory;
static Enrollment *enrollments;
static FileState *states;

static void enter(void) { pthread_mutex_lock(&lock); }
static void leave(void) { pthread_mutex_unlock(&lock); }

static int hasPrefix(const char *path, const char *prefix) {
    return prefix && strncmp(path, prefix, strlen(prefix)) == 0;
}

static Enrollment *enrollmentFor(const char *path) {
    for (Enrollment *e = enrollments; e; e = e->next) {
        if (!e->withdrawn && (hasPrefix(path, e->folder) || hasPrefix(path, e->resolved))) return e;
    }
    return NULL;
}

static Enrollment *enrollmentOf(const char *folder) {
    size_t length = strlen(folder);
    while (length > 1 && folder[length - 1] == '/') length--;
    for (Enrollment *e = enrollments; e; e = e->next) {
        if (!e->withdrawn && strlen(e->folder) == length + 1 && strncmp(e->folder, folder, length) == 0) return e;
    }
    return NULL;
}

static FileState *stateFor(const char *path) {
    for (FileState *s = states; s; s = s->next) {
        if (strcmp(s->path, path) == 0) return s;
    }
    return NULL;
}

static void release(FileState *s) {
    if (--s->references > 0) return;
    free(s->path);
    free(s->data);
    free(s);
}

/// Takes `s` out of `states`: its handles become dead, later opens load the path from disk.
static void discard(FileState *s) {
    for (FileState **link = &states; *link; link = &(*link)->next) {
        if (*link == s) {
            *link = s->next;
            break;
        }
    }
    s->discarded = 1;
    release(s);
}

static void crashLocked(Enrollment *e, int deleteUnsyncedCreations) {
    FileState *s = states;
    while (s) {
        FileState *next = s->next;
        if (s->enrollment == e) {
            if (deleteUnsyncedCreations && !s->entryDurable) {
                unlink(s->path);
                e->stats.lostFiles++;
            }
            discard(s);
        }
        s = next;
    }
    e->armedAt = 0;
    if (deleteUnsyncedCreations) e->stats.crashed = 1;
}

/// Counts one write, truncation or sync; returns 1 if it is the armed one (the crash has run).
static int crashesNow(FileState *s) {
    Enrollment *e = s->enrollment;
    e->stats.operations++;
    if (e->armedAt == 0 || e->stats.operations != e->armedAt) return 0;
    crashLocked(e, 1);
    return 1;
}

static int reserve(FileState *s, sqlite3_int64 size) {
    if (size <= s->capacity) return SQLITE_OK;
    sqlite3_int64 capacity = s->capacity ? s->capacity : 65536;
    while (capacity < size) capacity *= 2;
    unsigned char *data = realloc(s->data, (size_t)capacity);
    if (!data) return SQLITE_NOMEM;
    memset(data + s->capacity, 0, (size_t)(capacity - s->capacity));
    s->data = data;
    s->capacity = capacity;
    return SQLITE_OK;
}

static void markDirty(FileState *s, sqlite3_int64 low, sqlite3_int64 high) {
    if (s->dirtyLow >= s->dirtyHigh) {
        s->dirtyLow = low;
        s->dirtyHigh = high;
    } else {
        if (low < s->dirtyLow) s->dirtyLow = low;
        if (high > s->dirtyHigh) s->dirtyHigh = high;
    }
}

/// Resizes the in-memory file; new bytes are zero.
static int resize(FileState *s, sqlite3_int64 size) {
    if (size > s->size) {
        int rc = reserve(s, size);
        if (rc != SQLITE_OK) return rc;
        memset(s->data + s->size, 0, (size_t)(size - s->size));
    }
    s->size = size;
    s->sizeDirty = 1;
    return SQLITE_OK;
}

/// Writes what `s` has that the real file lacks through `real`, then syncs it.
static int flush(FileState *s, sqlite3_file *real, int flags) {
    int rc = SQLITE_OK;
    sqlite3_int64 high = s->dirtyHigh < s->size ? s->dirtyHigh : s->size;
    if (s->dirtyLow < high) {
        sqlite3_int64 offset = s->dirtyLow;
        while (rc == SQLITE_OK && offset < high) {
            int amount = high - offset > (1 << 24) ? (1 << 24) : (int)(high - offset);
            rc = real->pMethods->xWrite(real, s->data + offset, amount, offset);
            offset += amount;
        }
    }
    if (rc == SQLITE_OK && s->sizeDirty) {
        sqlite3_int64 realSize = 0;
        rc = real->pMethods->xFileSize(real, &realSize);
        if (rc == SQLITE_OK && realSize != s->size) rc = real->pMethods->xTruncate(real, s->size);
    }
    // The unix VFS syncs the folder here if it created this journal or WAL (see `openDirectory`).
    if (rc == SQLITE_OK) rc = real->pMethods->xSync(real, flags);
    if (rc == SQLITE_OK) {
        s->dirtyLow = s->dirtyHigh = 0;
        s->sizeDirty = 0;
    }
    return rc;
}

// MARK: I/O methods

static int crashClose(sqlite3_file *file) {
    CrashFile *f = (CrashFile *)file;
    enter();
    release(f->state);
    f->state = NULL;
    leave();
    return f->real->pMethods->xClose(f->real);
}

static int crashRead(sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset) {
    CrashFile *f = (CrashFile *)file;
    FileState *s = f->state;
    int rc = SQLITE_OK;
    enter();
    if (s->discarded) {
        rc = SQLITE_IOERR_READ;
    } else {
        sqlite3_int64 available = s->size - offset;
        if (available < 0) available = 0;
        if (available > amount) available = amount;
        if (available > 0) memcpy(buffer, s->data + offset, (size_t)available);
        if (available < amount) {
            memset((unsigned char *)buffer + available, 0, (size_t)(amount - available));
            rc = SQLITE_IOERR_SHORT_READ;
        }
    }
    leave();
    return rc;
}

static int crashWrite(sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset) {
    CrashFile *f = (CrashFile *)file;
    FileState *s = f->state;
    int rc = SQLITE_OK;
    enter();
    if (s->discarded || crashesNow(s)) {
        rc = SQLITE_IOERR_WRITE;
    } else {
        sqlite3_int64 end = offset + amount;
        if (end > s->size) rc = resize(s, end);
        if (rc == SQLITE_OK) {
            memcpy(s->data + offset, buffer, (size_t)amount);
            markDirty(s, offset, end);
            s->enrollment->stats.writes++;
        }
    }
    leave();
    return rc;
}

static int crashTruncate(sqlite3_file *file, sqlite3_int64 size) {
    CrashFile *f = (CrashFile *)file;
    FileState *s = f->state;
    int rc;
    enter();
    rc = s->discarded || crashesNow(s) ? SQLITE_IOERR_TRUNCATE : resize(s, size);
    leave();
    return rc;
}

static int crashSync(sqlite3_file *file, int flags) {
    CrashFile *f = (CrashFile *)file;
    FileState *s = f->state;
    int rc;
    enter();
    if (s->discarded || crashesNow(s)) {
        rc = SQLITE_IOERR_FSYNC;
    } else {
        rc = flush(s, f->real, flags);
        s->enrollment->stats.syncs++;
    }
    leave();
    return rc;
}

static int crashFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    CrashFile *f = (CrashFile *)file;
    int rc = SQLITE_OK;
    enter();
    if (f->state->discarded) {
        rc = SQLITE_IOERR_FSTAT;
    } else {
        *size = f->state->size;
    }
    leave();
    return rc;
}

static int crashLock(sqlite3_file *file, int level) {
    CrashFile *f = (CrashFile *)file;
    enter();
    int dead = f->state->discarded;
    leave();
    // A dead connection must not checkpoint or write on close: refusing its locks stops it.
    return dead ? SQLITE_IOERR_LOCK : f->real->pMethods->xLock(f->real, level);
}

static int crashUnlock(sqlite3_file *file, int level) {
    CrashFile *f = (CrashFile *)file;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int crashCheckReservedLock(sqlite3_file *file, int *result) {
    CrashFile *f = (CrashFile *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, result);
}

static int crashFileControl(sqlite3_file *file, int op, void *argument) {
    CrashFile *f = (CrashFile *)file;
    // A size hint would let the unix VFS grow the real file behind the model's back.
    if (op == SQLITE_FCNTL_SIZE_HINT) return SQLITE_OK;
    return f->real->pMethods->xFileControl(f->real, op, argument);
}

static int crashSectorSize(sqlite3_file *file) {
    CrashFile *f = (CrashFile *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int crashDeviceCharacteristics(sqlite3_file *file) {
    CrashFile *f = (CrashFile *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int crashShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **pages) {
    CrashFile *f = (CrashFile *)file;
    return f->real->pMethods->xShmMap(f->real, region, size, extend, pages);
}

static int crashShmLock(sqlite3_file *file, int offset, int count, int flags) {
    CrashFile *f = (CrashFile *)file;
    return f->real->pMethods->xShmLock(f->real, offset, count, flags);
}

static void crashShmBarrier(sqlite3_file *file) {
    CrashFile *f = (CrashFile *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int crashShmUnmap(sqlite3_file *file, int deleteFlag) {
    CrashFile *f = (CrashFile *)file;
    return f->real->pMethods->xShmUnmap(f->real, deleteFlag);
}

// Version 2: no xFetch/xUnfetch, so SQLite never memory-maps a simulated file and every read and
// write goes through the methods above.
static const sqlite3_io_methods crashIOMethods = {
    2,
    crashClose,
    crashRead,
    crashWrite,
    crashTruncate,
    crashSync,
    crashFileSize,
    crashLock,
    crashUnlock,
    crashCheckReservedLock,
    crashFileControl,
    crashSectorSize,
    crashDeviceCharacteristics,
    crashShmMap,
    crashShmLock,
    crashShmBarrier,
    crashShmUnmap,
    NULL,
    NULL,
};

// MARK: VFS methods

static int loadFromDisk(FileState *s, sqlite3_file *real) {
    sqlite3_int64 size = 0;
    int rc = real->pMethods->xFileSize(real, &size);
    if (rc != SQLITE_OK) return rc;
    rc = reserve(s, size);
    if (rc != SQLITE_OK || size == 0) return rc;
    sqlite3_int64 offset = 0;
    while (rc == SQLITE_OK && offset < size) {
        int amount = size - offset > (1 << 24) ? (1 << 24) : (int)(size - offset);
        rc = real->pMethods->xRead(real, s->data + offset, amount, offset);
        offset += amount;
    }
    s->size = size;
    return rc;
}

static int crashOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    int type = flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL | SQLITE_OPEN_SUPER_JOURNAL);
    enter();
    Enrollment *e = name && type && !(flags & SQLITE_OPEN_DELETEONCLOSE) ? enrollmentFor(name) : NULL;
    if (!e) {
        leave();
        return unixVFS->xOpen(unixVFS, name, file, flags, outFlags);
    }
    CrashFile *f = (CrashFile *)file;
    f->base.pMethods = NULL;
    f->state = NULL;
    f->real = (sqlite3_file *)(f + 1);
    FileState *s = stateFor(name);
    int existed = 1;
    if (!s && (flags & SQLITE_OPEN_CREATE)) unixVFS->xAccess(unixVFS, name, SQLITE_ACCESS_EXISTS, &existed);
    int rc = unixVFS->xOpen(unixVFS, name, f->real, flags, outFlags);
    if (rc == SQLITE_OK && !s) {
        s = calloc(1, sizeof(FileState));
        if (s) s->path = strdup(name);
        if (!s || !s->path) {
            rc = SQLITE_NOMEM;
        } else {
            s->enrollment = e;
            s->entryDurable = existed;
            rc = loadFromDisk(s, f->real);
        }
        if (rc == SQLITE_OK) {
            s->references = 1;
            s->next = states;
            states = s;
        } else {
            if (s) {
                free(s->path);
                free(s->data);
                free(s);
            }
            s = NULL;
            if (f->real->pMethods) f->real->pMethods->xClose(f->real);
        }
    }
    if (rc == SQLITE_OK) {
        s->references++;
        f->state = s;
        f->base.pMethods = &crashIOMethods;
        e->stats.opens++;
    }
    leave();
    return rc;
}

static int crashDelete(sqlite3_vfs *vfs, const char *path, int syncDirectory) {
    (void)vfs;
    enter();
    FileState *s = stateFor(path);
    if (s) discard(s);
    leave();
    return unixVFS->xDelete(unixVFS, path, syncDirectory);
}

static int crashAccess(sqlite3_vfs *vfs, const char *path, int flags, int *result) {
    (void)vfs;
    return unixVFS->xAccess(unixVFS, path, flags, result);
}

static int crashFullPathname(sqlite3_vfs *vfs, const char *path, int size, char *output) {
    (void)vfs;
    return unixVFS->xFullPathname(unixVFS, path, size, output);
}

static void *crashDlOpen(sqlite3_vfs *vfs, const char *path) {
    (void)vfs;
    return unixVFS->xDlOpen(unixVFS, path);
}

static void crashDlError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    unixVFS->xDlError(unixVFS, size, message);
}

static void (*crashDlSym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
    (void)vfs;
    return unixVFS->xDlSym(unixVFS, handle, symbol);
}

static void crashDlClose(sqlite3_vfs *vfs, void *handle) {
    (void)vfs;
    unixVFS->xDlClose(unixVFS, handle);
}

static int crashRandomness(sqlite3_vfs *vfs, int size, char *output) {
    (void)vfs;
    return unixVFS->xRandomness(unixVFS, size, output);
}

static int crashSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return unixVFS->xSleep(unixVFS, microseconds);
}

static int crashCurrentTime(sqlite3_vfs *vfs, double *now) {
    (void)vfs;
    return unixVFS->xCurrentTime(unixVFS, now);
}

static int crashGetLastError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    return unixVFS->xGetLastError(unixVFS, size, message);
}

static int crashCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    (void)vfs;
    return unixVFS->xCurrentTimeInt64(unixVFS, now);
}

static int crashSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return unixVFS->xSetSystemCall(unixVFS, name, call);
}

static sqlite3_syscall_ptr crashGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return unixVFS->xGetSystemCall(unixVFS, name);
}

static const char *crashNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return unixVFS->xNextSystemCall(unixVFS, name);
}

/// The unix VFS's "openDirectory" system call, which it makes only to fsync the folder of
/// `path` right after: every file of that folder created so far now has a durable entry.
static int syncingOpenDirectory(const char *path, int *descriptor) {
    int rc = ((int (*)(const char *, int *))realOpenDirectory)(path, descriptor);
    if (rc != SQLITE_OK) return rc;
    const char *slash = strrchr(path, '/');
    size_t folderLength = slash ? (size_t)(slash - path) + 1 : 0;
    enter();
    Enrollment *e = enrollmentFor(path);
    if (e) e->stats.directorySyncs++;
    for (FileState *s = states; s; s = s->next) {
        const char *other = strrchr(s->path, '/');
        size_t otherLength = other ? (size_t)(other - s->path) + 1 : 0;
        if (otherLength == folderLength && strncmp(s->path, path, folderLength) == 0) s->entryDurable = 1;
    }
    leave();
    return rc;
}

static void install(void) {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    // Recursive: a sync runs the unix VFS's xSync under the lock, which may call openDirectory.
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&lock, &attributes);
    pthread_mutexattr_destroy(&attributes);

    unixVFS = sqlite3_vfs_find("unix");
    if (!unixVFS || unixVFS->iVersion < 3) {
        installResult = SQLITE_NOTFOUND;
        return;
    }
    realOpenDirectory = unixVFS->xGetSystemCall(unixVFS, "openDirectory");
    if (!realOpenDirectory) {
        installResult = SQLITE_NOTFOUND;
        return;
    }
    int rc = unixVFS->xSetSystemCall(unixVFS, "openDirectory", (sqlite3_syscall_ptr)syncingOpenDirectory);
    if (rc != SQLITE_OK) {
        installResult = rc;
        return;
    }
    crashVFS = (sqlite3_vfs){
        .iVersion = 3,
        .szOsFile = (int)sizeof(CrashFile) + unixVFS->szOsFile,
        .mxPathname = unixVFS->mxPathname,
        .zName = "crash-simulating",
        .xOpen = crashOpen,
        .xDelete = crashDelete,
        .xAccess = crashAccess,
        .xFullPathname = crashFullPathname,
        .xDlOpen = crashDlOpen,
        .xDlError = crashDlError,
        .xDlSym = crashDlSym,
        .xDlClose = crashDlClose,
        .xRandomness = crashRandomness,
        .xSleep = crashSleep,
        .xCurrentTime = crashCurrentTime,
        .xGetLastError = crashGetLastError,
        .xCurrentTimeInt64 = crashCurrentTimeInt64,
        .xSetSystemCall = crashSetSystemCall,
        .xGetSystemCall = crashGetSystemCall,
        .xNextSystemCall = crashNextSystemCall,
    };
    installResult = sqlite3_vfs_register(&crashVFS, 1);
}

// MARK: Public functions

int crashvfs_install(void) {
    pthread_once(&installOnce, install);
    return installResult;
}

int crashvfs_is_default(void) { return installResult == SQLITE_OK && sqlite3_vfs_find(NULL) == &crashVFS; }

static char *withSlash(const char *folder) {
    size_t length = strlen(folder);
    while (length > 1 && folder[length - 1] == '/') length--;
    char *result = malloc(length + 2);
    if (!result) return NULL;
    memcpy(result, folder, length);
    result[length] = '/';
    result[length + 1] = 0;
    return result;
}

int crashvfs_enroll(const char *folder) {
    if (crashvfs_install() != SQLITE_OK) return -1;
    char *resolved = realpath(folder, NULL);
    if (!resolved) return -1;
    enter();
    int rc = -1;
    if (!enrollmentOf(folder)) {
        Enrollment *e = calloc(1, sizeof(Enrollment));
        if (e) {
            e->folder = withSlash(folder);
            e->resolved = withSlash(resolved);
        }
        if (e && e->folder && e->resolved) {
            e->next = enrollments;
            enrollments = e;
            rc = 0;
        } else if (e) {
            free(e->folder);
            free(e->resolved);
            free(e);
        }
    }
    leave();
    free(resolved);
    return rc;
}

void crashvfs_crash(const char *folder) {
    if (installResult != SQLITE_OK) return;
    enter();
    Enrollment *e = enrollmentOf(folder);
    if (e) crashLocked(e, 1);
    leave();
}

void crashvfs_arm(const char *folder, long long operation) {
    if (installResult != SQLITE_OK) return;
    enter();
    Enrollment *e = enrollmentOf(folder);
    if (e) e->armedAt = operation;
    leave();
}

CrashVFSStats crashvfs_stats(const char *folder) {
    CrashVFSStats stats = {0};
    if (installResult != SQLITE_OK) return stats;
    enter();
    Enrollment *e = enrollmentOf(folder);
    if (e) stats = e->stats;
    leave();
    return stats;
}

void crashvfs_withdraw(const char *folder) {
    if (installResult != SQLITE_OK) return;
    enter();
    Enrollment *e = enrollmentOf(folder);
    if (e) {
        crashLocked(e, 0);
        // Kept (a few bytes) rather than freed: a handle left open still points at it.
        e->withdrawn = 1;
    }
    leave();
}
