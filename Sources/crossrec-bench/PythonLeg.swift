import Foundation

/// Runs a peer library's leg of a benchmark: `python3 -c SCRIPT ARGUMENTS…`, its standard output
/// collected. Used by the data (pandas), models (Surprise, implicit) and sweep (Optuna, Ray Tune)
/// benchmarks, each of which treats a failure as "peer not measured" and says so.
enum PythonLeg {
    /// The script's standard output, or why there is none. `showErrors` passes the script's
    /// stderr through (progress lines, tracebacks); otherwise it is discarded.
    static func run(
        _ script: String, arguments: [String], environment: [String: String] = [:], showErrors: Bool = false
    ) -> Result<Data, BenchmarkError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        if !showErrors { process.standardError = FileHandle.nullDevice }
        do { try process.run() } catch { return .failure(BenchmarkError("could not start python3: \(error)")) }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(BenchmarkError("python3 exited with status \(process.terminationStatus)"))
        }
        return .success(output)
    }
}
