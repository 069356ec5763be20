import Foundation

/// Independent fits (ensemble members, the weights `other_weight: auto` tries) run `threads` at a
/// time. Each job depends only on its index, so the results do not depend on `threads`.
///
/// With more than one thread the jobs run on threads of their own (not the dispatch pool, which a
/// caller running folds on it, `compare --all-folds --jobs`, may have filled) and their progress
/// is handed back to the calling thread, one report at a time (``ProgressRelay``): a sweep
/// worker's progress writes to a ZeroMQ socket that thread owns. With one thread the jobs run in
/// order on the calling thread.
enum ParallelFits {
    /// `job(j, report)` for j in 0..<count, job j on thread j mod `threads`, each of its epochs
    /// given to `report`, which hands it to `progress(j, epoch)` on the calling thread. After a
    /// stop, reports get stop without being handed on and jobs not yet started are skipped (nil).
    static func run<Value>(
        count: Int, threads: Int, progress: (Int, EpochProgress) -> TrainingDecision,
        _ job: @escaping @Sendable (Int, (EpochProgress) -> TrainingDecision) throws(ModelError) -> Value
    ) -> [Result<Value, ModelError>?] {
        let threads = max(1, min(threads, count))
        if threads == 1 {
            var results: [Result<Value, ModelError>?] = Array(repeating: nil, count: count)
            var stopped = false
            for j in 0..<count where !stopped {
                results[j] = Result { () throws(ModelError) in
                    try job(j) { step in
                        if stopped { return .stop }
                        let decision = progress(j, step)
                        if decision == .stop { stopped = true }
                        return decision
                    }
                }
            }
            return results
        }
        let relay = ProgressRelay()
        let results = Slots<Result<Value, ModelError>>(count: count)
        for worker in 0..<threads {
            relay.workerStarted()
            Thread {
                defer { relay.workerEnded() }
                for j in Swift.stride(from: worker, to: count, by: threads) where !relay.stopped {
                    results.store(j, Result { () throws(ModelError) in try job(j) { relay.report(member: j, $0) } })
                }
            }.start()
        }
        relay.serve(progress)
        return results.values
    }
}

/// Progress from member threads, handed one report at a time to the thread that serves it
/// (``serve(_:)``), each member thread waiting for its decision; after a stop every report gets
/// stop without being served, and members not yet started are skipped.
final class ProgressRelay: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [(ticket: Int, member: Int, step: EpochProgress)] = []
    private var decisions: [Int: TrainingDecision] = [:]
    private var nextTicket = 0
    private var running = 0
    private var stop = false

    var stopped: Bool { condition.withLock { stop } }

    func workerStarted() { condition.withLock { running += 1 } }

    func workerEnded() {
        condition.withLock {
            running -= 1
            condition.broadcast()
        }
    }

    /// On a member thread: waits until the serving thread has decided on this report.
    func report(member: Int, _ step: EpochProgress) -> TrainingDecision {
        condition.lock()
        defer { condition.unlock() }
        if stop { return .stop }
        let ticket = nextTicket
        nextTicket += 1
        pending.append((ticket, member, step))
        condition.broadcast()
        while decisions[ticket] == nil { condition.wait() }
        return decisions.removeValue(forKey: ticket)!
    }

    /// On the calling thread: hands each report to `handle` in arrival order until every member
    /// thread has ended.
    func serve(_ handle: (Int, EpochProgress) -> TrainingDecision) {
        condition.lock()
        defer { condition.unlock() }
        while running > 0 || !pending.isEmpty {
            guard !pending.isEmpty else {
                condition.wait()
                continue
            }
            let report = pending.removeFirst()
            let decision: TrainingDecision
            if stop {
                decision = .stop
            } else {
                condition.unlock()
                decision = handle(report.member, report.step)
                condition.lock()
            }
            if decision == .stop { stop = true }
            decisions[report.ticket] = decision
            condition.broadcast()
        }
    }
}

/// A value handed to threads that only read it (an unfitted model's settings).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Results stored by index from several threads.
final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }

    var values: [Value?] { lock.withLock { slots } }
}
