import ArgumentParser
import Foundation
import ParameterSpecs
import RecData
import RecEncoder
import RecEval
import RecModels
import RecOffPolicy
import RecSimulation
import Sweep
import SweepRuntime

/// Runs a command body and turns the errors a user can fix (bad data, a bad request, a model that
/// refuses its parameters) into `error: …` on stderr and exit status 1, without a stack of types.
func reportingUserErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as RuntimeError {
        try fail(error)
    } catch let error as ParameterParsingError {
        try fail(error)
    } catch let error as DataError {
        try fail(error)
    } catch let error as EvaluationError {
        try fail(error)
    } catch let error as ModelError {
        try fail(error)
    } catch let error as EncoderError {
        try fail(error)
    } catch let error as EmbeddingCacheError {
        try fail(error)
    } catch let error as SweepSpecError {
        try fail(error)
    } catch let error as SimulationError {
        try fail(error)
    } catch let error as OffPolicyError {
        try fail(error)
    }
}

private func fail(_ error: some Error) throws -> Never {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    throw ExitCode(1)
}

/// A data-set file (`*.yaml`, `*.yml`): interaction files per domain and their user links, read by
/// every command that takes a data set path.
enum DescriptionFile {
    static func matches(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }
}
