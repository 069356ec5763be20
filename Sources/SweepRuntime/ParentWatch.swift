import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Ends a local worker when the `crossrec sweep run` that started it is gone.
///
/// `sweep run --workers N` stops its workers on the way out, but a coordinator that dies at once
/// (SIGKILL, the OOM killer, a crash, `timeout -s KILL`, a CI job cancelled) cannot; its workers
/// were reparented and reconnected forever, training trials whose results had nowhere to go. A
/// thread compares the parent process id with the one the worker was started by, every
/// ``interval``, and exits the process when it changed: there is no coordinator to hand a trial
/// back to, so nothing is lost by not finishing it.
public enum ParentWatch {
    public static let interval: Duration = .milliseconds(250)

    /// Starts watching; exits at once (status 1) when `parent` is already not the parent.
    public static func start(parent: Int32) {
        if getppid() != parent { exit(parent) }
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: 0.25)
                if getppid() != parent { exit(parent) }
            }
        }
        thread.name = "parent-watch"
        thread.start()
    }

    private static func exit(_ parent: Int32) -> Never {
        let line = "worker: the sweep run that started it (pid \(parent)) has ended; exiting\n"
        FileHandle.standardError.write(Data(line.utf8))
        // _exit: other threads are running trials; no atexit handlers or destructors race with them.
        _exit(1)
    }
}
