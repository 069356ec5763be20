import Checksums
import Foundation

/// Short, stable SHA-256 fingerprints as lowercase hex: trial ids, and the form in which a
/// worker's session token is kept (the coordinator compares and stores fingerprints, never the
/// token itself).
public enum Fingerprint {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The first `bytes` bytes of SHA-256(`text` as UTF-8), as `2 × bytes` hex digits.
    /// - Complexity: O(text length).
    public static func sha256Hex(_ text: String, bytes: Int = 16) -> String {
        precondition((1...32).contains(bytes), "a SHA-256 fingerprint has 1…32 bytes, asked for \(bytes)")
        let digest = SHA256.hash(data: Data(text.utf8))
        // Hex by table: `String(format:)` per byte cost more than the hash itself.
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * bytes)
        for byte in digest.prefix(bytes) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
