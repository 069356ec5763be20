import CrashSimulatingVFS
import Foundation
import SweepStore
import SweepWire
import Testing

/// An OS crash (power loss) for the stores in one folder, through the `CrashSimulatingVFS` test
/// VFS: SQLite's default VFS in this test process, which keeps every write to a file of the
/// folder in memory until SQLite syncs that file, so `crash()` leaves on disk exactly what a
/// machine that lost power may have kept. Other folders, so other tests, are not affected.
///
/// After `crash()`, close the stores that were open (their files are dead: every I/O fails)
/// before reopening the path.
final class SimulatedPowerLoss {
    let folder: URL

    /// Where to put simulated stores: a RAM file system when there is one, since the simulation
    /// needs SQLite's fsync calls, not their cost (a few milliseconds each on a disk).
    static let scratchFolder: URL = {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
            FileManager.default.isWritableFile(atPath: "/dev/shm")
        {
            return URL(fileURLWithPath: "/dev/shm")
        }
        return FileManager.default.temporaryDirectory
    }()

    /// Creates `folder` and simulates power loss for the files SQLite opens in it from now on.
    init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let installed = crashvfs_install()
        try #require(installed == 0, "could not install the crash-simulating VFS: SQLite error \(installed)")
        try #require(crashvfs_is_default() != 0, "the crash-simulating VFS is not SQLite's default VFS")
        try #require(crashvfs_enroll(folder.path) == 0, "could not enroll \(folder.path)")
    }

    /// Stops simulating the folder; call when its stores are closed.
    func withdraw() { crashvfs_withdraw(folder.path) }

    /// Power loss now: everything not synced is gone, files created in a folder never synced since
    /// are deleted.
    func crash() { crashvfs_crash(folder.path) }

    /// Makes the `operation`-th write, truncation or sync in the folder (see `stats.operations`)
    /// a power loss instead: it fails with an I/O error and `crash()` runs.
    func arm(atOperation operation: Int) { crashvfs_arm(folder.path, Int64(operation)) }

    var stats: CrashVFSStats { crashvfs_stats(folder.path) }
}

/// What a store holds, comparable between stores written with the same clock.
struct StoreContent: Equatable, CustomStringConvertible {
    var sweeps: [SweepRecord]
    var snapshot: SweepSnapshot?
    var events: [StoreEvent]

    init(_ store: SweepStore) throws {
        sweeps = try store.sweeps()
        snapshot = try sweeps.first.map { try store.snapshot(sweep: $0.id) }
        events = try store.events(limit: 10_000)
    }

    var description: String {
        guard let snapshot else { return "no sweep, \(events.count) event(s)" }
        return "\(sweeps.count) sweep(s) \(snapshot.counts), lease epoch \(snapshot.leaseEpochHighWater), "
            + "\(events.count) event(s)"
    }
}
