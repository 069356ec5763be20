public import Foundation

/// Hash functions kept only for checking what publishers serve (MovieLens publishes MD5 sums).
public enum Insecure {
    /// MD5 (RFC 1321), streaming. Not for anything an attacker may choose: crossrec uses it only to
    /// compare a download with the checksum its publisher serves, beside a pinned SHA-256.
    public struct MD5: Sendable {
        private var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
        private var block = BlockBuffer()

        public init() {}

        public mutating func update(data: some DataProtocol) {
            for region in data.regions {
                region.withUnsafeBytes { update(bufferPointer: $0) }
            }
        }

        public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
            block.append(bufferPointer) { Self.compress(&state, $0) }
        }

        public func finalize() -> Digest {
            var copy = self
            copy.block.pad(lengthBigEndian: false) { Self.compress(&copy.state, $0) }
            var bytes: [UInt8] = []
            for word in copy.state { for shift in stride(from: 0, through: 24, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) } }
            return Digest(bytes: bytes)
        }

        public static func hash(data: some DataProtocol) -> Digest {
            var hasher = MD5()
            hasher.update(data: data)
            return hasher.finalize()
        }

        /// A 16-byte MD5 digest.
        public struct Digest: Sequence, Hashable, Sendable, CustomStringConvertible {
            public let bytes: [UInt8]
            public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
            public var description: String { Hex.lowercase(bytes) }
        }

        private static let shifts: [UInt32] = [
            7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
            5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
            4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
            6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
        ]

        /// floor(|sin(i + 1)| × 2³²), as RFC 1321 tabulates them.
        private static let constants: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4_294_967_296)) }

        private static func compress(_ state: inout [UInt32], _ block: UnsafeRawBufferPointer) {
            let m = (0..<16).map { (t: Int) -> UInt32 in block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self).littleEndian }
            var a = state[0], b = state[1], c = state[2], d = state[3]
            for i in 0..<64 {
                var f: UInt32
                let g: Int
                switch i {
                case 0..<16: f = (b & c) | (~b & d); g = i
                case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * i) % 16
                }
                f = f &+ a &+ constants[i] &+ m[g]
                a = d
                d = c
                c = b
                b = b &+ f.rotatedLeft(shifts[i])
            }
            state[0] &+= a
            state[1] &+= b
            state[2] &+= c
            state[3] &+= d
        }
    }
}
