import Sweep
import SweepWire
import Testing

@Suite("WireCodec: fuzz")
struct WireFuzzTests {
    /// Decodes `frame` both ways; anything that decodes must survive a re-encode round trip.
    /// Returns how many of the two decodings succeeded. A trap would crash the test process.
    func decodeBothWays(_ frame: [UInt8], _ codec: WireCodec) -> Int {
        var decoded = 0
        if let message = try? codec.decodeWorkerMessage(frame) {
            decoded += 1
            #expect(throws: Never.self) { try codec.decodeWorkerMessage(codec.encode(message)) }
        }
        if let message = try? codec.decodeCoordinatorMessage(frame) {
            decoded += 1
            #expect(throws: Never.self) { try codec.decodeCoordinatorMessage(codec.encode(message)) }
        }
        return decoded
    }

    @Test func tenThousandRandomByteStringsDecodeOrThrow() {
        var random = SplitMix64(seed: 0xC0FFEE)
        let codec = WireCodec()
        for _ in 0..<10_000 {
            let count = Int.random(in: 0...96, using: &random)
            var frame = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Half of them get a valid header so the payload decoder is exercised, not just the header check.
            if frame.count >= 2, random.chance(0.5) {
                frame[0] = WireCodec.frameVersion
                frame[1] = random.pick([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86])
            }
            _ = decodeBothWays(frame, codec)
        }
    }

    @Test func tenThousandMutatedValidFramesDecodeOrThrow() throws {
        var random = SplitMix64(seed: 42)
        let codec = WireCodec()
        var seeds: [[UInt8]] = []
        for message in WireCodecTests.workerMessages { seeds.append(try codec.encode(message)) }
        for message in WireCodecTests.coordinatorMessages { seeds.append(try codec.encode(message)) }
        let interesting: [UInt8] = [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0xC3, 0x28, 0x61]
        var survivors = 0
        for _ in 0..<10_000 {
            var frame = random.pick(seeds)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                guard !frame.isEmpty else { break }
                let at = Int.random(in: 0..<frame.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: frame[at] = UInt8.random(in: 0...255, using: &random)
                case 1: frame[at] = random.pick(interesting)
                case 2: frame.remove(at: at)
                case 3: frame.insert(random.pick(interesting), at: at)
                case 4: frame.removeSubrange(at...)
                default: frame[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                }
            }
            survivors += decodeBothWays(frame, codec)
        }
        // Some mutations (a number changed, a letter in a string) leave a valid message: they
        // must decode, so the decoder is not simply rejecting everything.
        #expect(survivors > 100)
    }
}
