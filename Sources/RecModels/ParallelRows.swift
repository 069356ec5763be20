import Dispatch
import Foundation

/// Independent per-row work (one ALS solve per user or item) spread over threads.
///
/// Rows are handed out in ascending chunks of ``chunkRows`` to whichever thread asks next, so
/// which thread solves which row changes from run to run; results stay bit-identical for any
/// thread count only because the caller keeps to the contract: the work for a row reads shared
/// inputs that no row writes, writes only that row's output, and does the same arithmetic in the
/// same order whoever runs it (no shared accumulators).
enum ParallelRows {
    /// Rows per hand-out: enough to amortise the lock, few enough to balance rows of uneven cost.
    static let chunkRows = 16
    /// The default thread count's cap: past a few threads, the serial parts of an ALS step (the
    /// Gram matrices) and memory bandwidth dominate, and a machine shared by sweep workers
    /// should not be flooded by one trial.
    static let maximumDefaultThreads = 8

    /// `requested`, or for 0 the active processor count, at most ``maximumDefaultThreads``.
    static func threads(requested: Int) -> Int {
        requested > 0 ? requested : max(1, min(ProcessInfo.processInfo.activeProcessorCount, maximumDefaultThreads))
    }

    /// Runs `chunk` over 0..<rows in ascending ranges of at most ``chunkRows`` rows on up to
    /// `threads` threads (the calling thread is one of them; with 1 it is the only one). `chunk`
    /// returns the first row of its range that failed, or nil; once a row has failed, ranges that
    /// start after it are skipped, and every range before it is still run.
    /// - Returns: the smallest failed row, or nil: the same answer a single thread gives.
    static func firstFailure(rows: Int, threads: Int, _ chunk: @Sendable (Range<Int>) -> Int?) -> Int? {
        let queue = ChunkQueue(rows: rows, chunk: chunkRows)
        let workers = max(1, min(threads, (rows + chunkRows - 1) / chunkRows))
        @Sendable func work(_: Int) {
            while let range = queue.take() {
                if let failed = chunk(range) { queue.fail(at: failed) }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        return queue.failure
    }
}

/// The next range of rows, handed out once each under a lock, and the smallest failed row.
private final class ChunkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var failed: Int?
    private let rows: Int
    private let chunk: Int

    init(rows: Int, chunk: Int) {
        self.rows = rows
        self.chunk = chunk
    }

    func take() -> Range<Int>? {
        lock.withLock {
            guard next < rows, failed.map({ next <= $0 }) ?? true else { return nil }
            defer { next += chunk }
            return next..<min(next + chunk, rows)
        }
    }

    func fail(at row: Int) { lock.withLock { failed = min(failed ?? row, row) } }

    var failure: Int? { lock.withLock { failed } }
}

/// A factor matrix's storage written row by row from several threads, each row by one thread.
struct SharedRows: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let stride: Int

    func row(_ index: Int) -> UnsafeMutablePointer<Float> { base + index * stride }
}
