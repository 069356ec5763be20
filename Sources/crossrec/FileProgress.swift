import Foundation

/// Per-file download progress on stderr: each file's name, then ``ProgressPrinter``'s lines for files of
/// at least ``minimumReportedSize`` bytes (percentages of a 53-byte JSON file are noise).
final class FileProgress: @unchecked Sendable {
    static let minimumReportedSize: Int64 = 1_000_000

    private let lock = NSLock()
    private var currentFile: String?
    /// The printer of the current file, once it has printed something.
    private var printer: ProgressPrinter?

    func update(file: String, done: Int64, total: Int64?) {
        lock.lock()
        if file != currentFile {
            printer?.finish()
            printer = nil
            currentFile = file
            FileHandle.standardError.write(Data("  \(file)\n".utf8))
        }
        if printer == nil, let total, total >= Self.minimumReportedSize { printer = ProgressPrinter() }
        let printer = self.printer
        lock.unlock()
        printer?.update(done: done, total: total)
    }

    func finish() {
        lock.withLock {
            printer?.finish()
            printer = nil
        }
    }
}
