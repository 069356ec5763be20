import Foundation
import Testing

@testable import RecEncoder

/// The encoder on a tiny random BERT written by the test: batching, threads, order and input
/// errors, with no shared files needed.
@Suite("BERT encoder on a tiny model")
struct BertEncoderTests {
    static func tinyEncoder(threads: Int = 1, tokensPerPass: Int = 2048) throws -> (BertEncoder, String) {
        let folder = try SafetensorsWriter.modelFolder(SafetensorsWriter.tinyBert())
        return (try BertEncoder(modelDirectory: folder, threads: threads, tokensPerPass: tokensPerPass), folder)
    }

    /// Seeded texts of 1…24 ids in 0..<40, the first always 1 ([CLS]-like).
    static func texts(count: Int, seed: UInt64 = 3) -> [[Int32]] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in [1] + (0..<next(24)).map { _ in Int32(next(40)) } }
    }

    @Test func vectorsAreUnitLengthAndIndependentOfBatchAndThreads() throws {
        let texts = Self.texts(count: 61)
        let (single, folder) = try Self.tinyEncoder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let alone = try single.encode(tokenIDs: texts, batchSize: 1)
        #expect(alone.count == texts.count && alone.allSatisfy { $0.count == 8 })
        for vector in alone {
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        for threads in [1, 2, 3] {
            // tokensPerPass below the longest text is raised to the 24 positions: passes of ≤ 24 tokens.
            for (batchSize, tokensPerPass) in [(1, 2048), (2, 2048), (5, 1), (16, 40), (100, 2048)] {
                let encoder = try BertEncoder(modelDirectory: folder, threads: threads, tokensPerPass: tokensPerPass)
                let first = try encoder.encode(tokenIDs: texts, batchSize: batchSize)
                let again = try encoder.encode(tokenIDs: texts, batchSize: batchSize)
                #expect(first == again, "threads \(threads), batch \(batchSize): two runs differ")
                let worst = zip(first, alone).map { zip($0, $1).map { abs($0 - $1) }.max()! }.max()!
                #expect(worst < 1e-5, "threads \(threads), batch \(batchSize): \(worst) from the text alone")
            }
        }
    }

    @Test func theOrderGivenIsKept() throws {
        let texts = Self.texts(count: 20, seed: 11)
        let (encoder, folder) = try Self.tinyEncoder(threads: 2)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let vectors = try encoder.encode(tokenIDs: texts, batchSize: 1)
        let reversed = try encoder.encode(tokenIDs: texts.reversed(), batchSize: 1)
        #expect(vectors == reversed.reversed())
        let flat = try encoder.encodeFlat(tokenIDs: texts, batchSize: 1)
        #expect(flat == vectors.flatMap { $0 })
        #expect(try encoder.encode(tokenIDs: []).isEmpty)
    }

    @Test func hiddenStatesPoolToTheVector() throws {
        let text = Self.texts(count: 1, seed: 5)[0] + [7, 9]
        let (encoder, folder) = try Self.tinyEncoder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let states = try encoder.hiddenStates(tokenIDs: text)
        #expect(states.tokens == text.count && states.width == 8)
        #expect(states.embeddingOutput.count == text.count * 8 && states.lastHiddenState.count == text.count * 8)
        var mean = [Double](repeating: 0, count: 8)
        for row in 0..<text.count { for j in 0..<8 { mean[j] += Double(states.lastHiddenState[row * 8 + j]) } }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let vector = try encoder.encode(tokenIDs: [text])[0]
        for j in 0..<8 { #expect(abs(mean[j] / norm - Double(vector[j])) < 1e-6) }
        // Each embedding row is layer-normalised with γ ≈ 1, β ≈ 0: mean near 0.
        let firstRow = states.embeddingOutput[0..<8].reduce(0, +) / 8
        #expect(abs(firstRow) < 0.2)
    }

    @Test func refusesTokenIDsItCannotEncodeNamingTheText() throws {
        let (encoder, folder) = try Self.tinyEncoder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cases: [([Int32], String)] = [
            ([], "no tokens"), (Array(repeating: 1, count: 25), "25 tokens, more than the model's 24 positions"),
            ([1, 40, 2], "token id 40 is outside the model's vocabulary of 40 ids"), ([1, -3], "token id -3"),
        ]
        for (ids, expected) in cases {
            do {
                _ = try encoder.encode(tokenIDs: [[1, 2], ids])
                Issue.record("\(ids) was accepted")
            } catch {
                #expect("\(error)".hasPrefix("text 1 (0-based): ") && "\(error)".contains(expected), "\(error)")
            }
        }
    }

    @Test func planSortsByLengthCutsBatchesAndCapsTokens() {
        let lengths = [5, 3, 9, 3, 7, 1, 9, 2]
        let passes = BertEncoder.plan(lengths: lengths, batchSize: 3, tokensPerPass: 2048)
        // Sorted by (length, index): 5, 7, 1, 3, 0, 4, 2, 6; batches of 3, longest first.
        #expect(passes == [[2, 6], [3, 0, 4], [5, 7, 1]])
        let capped = BertEncoder.plan(lengths: lengths, batchSize: 8, tokensPerPass: 12)
        #expect(capped.allSatisfy { $0.reduce(0) { $0 + lengths[$1] } <= 12 })
        #expect(capped.flatMap { $0 }.sorted() == Array(0..<8))
        #expect(capped == [[6], [2], [0, 4], [5, 7, 1, 3]])
    }
}
