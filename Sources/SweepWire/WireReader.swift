/// Reads the primitives `WireWriter` writes, checking each against the bytes left and the
/// limits before allocating, so a hostile frame can neither trap nor make the reader allocate
/// more than the frame's own size. Every error names the message and the field.
/// - Complexity: O(1) per fixed-size primitive, O(n) for an n-byte string.
struct WireReader {
    private let bytes: [UInt8]
    private var position: Int
    private let limits: WireLimits
    /// The message being read, for errors.
    let message: String

    init(_ bytes: [UInt8], from position: Int, message: String, limits: WireLimits) {
        self.bytes = bytes
        self.position = position
        self.message = message
        self.limits = limits
    }

    var remaining: Int { bytes.count - position }

    func malformed(_ field: String, _ detail: String) -> WireError {
        .malformedPayload(message: message, detail: "field '\(field)': \(detail)")
    }

    mutating func byte(_ field: String) throws(WireError) -> UInt8 {
        guard position < bytes.count else { throw malformed(field, "the frame ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func unsigned(_ field: String) throws(WireError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte(field)
            let group = UInt64(next & 0x7F)
            guard shift < 64, shift < 63 || group <= 1 else { throw malformed(field, "integer does not fit in 64 bits") }
            value |= group << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func signed(_ field: String) throws(WireError) -> Int64 {
        let raw = try unsigned(field)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func int(_ field: String) throws(WireError) -> Int {
        let value = try signed(field)
        guard let int = Int(exactly: value) else { throw malformed(field, "integer out of range") }
        return int
    }

    mutating func double(_ field: String) throws(WireError) -> Double {
        guard remaining >= 8 else { throw malformed(field, "the frame ends early (a number needs 8 bytes)") }
        var pattern: UInt64 = 0
        for offset in 0..<8 { pattern |= UInt64(bytes[position + offset]) << UInt64(offset * 8) }
        position += 8
        return Double(bitPattern: pattern)
    }

    mutating func bool(_ field: String) throws(WireError) -> Bool {
        switch try byte(field) {
        case 0: return false
        case 1: return true
        case let other: throw malformed(field, "expected 0 or 1, got \(other)")
        }
    }

    mutating func string(_ field: String) throws(WireError) -> String {
        let count = try unsigned(field)
        guard count <= UInt64(limits.maxTextBytes) else {
            throw .fieldTooLarge(message: message, field: field, size: Int(clamping: count), limit: limits.maxTextBytes)
        }
        guard count <= UInt64(remaining) else {
            throw malformed(field, "claims \(count) bytes but only \(remaining) remain")
        }
        let end = position + Int(count)
        guard let text = String(validating: bytes[position..<end], as: UTF8.self) else {
            throw malformed(field, "not valid UTF-8")
        }
        position = end
        return text
    }

    /// An element count, bounded by the collection limit and by the bytes left (every element
    /// takes at least one byte), so no count can cause a large allocation.
    mutating func count(_ field: String) throws(WireError) -> Int {
        let count = try unsigned(field)
        guard count <= UInt64(limits.maxCollectionCount) else {
            throw .fieldTooLarge(
                message: message, field: field, size: Int(clamping: count), limit: limits.maxCollectionCount)
        }
        guard count <= UInt64(remaining) else {
            throw malformed(field, "claims \(count) elements but only \(remaining) bytes remain")
        }
        return Int(count)
    }

    mutating func strings(_ field: String) throws(WireError) -> [String] {
        let count = try count(field)
        var values: [String] = []
        values.reserveCapacity(count)
        for index in 0..<count { values.append(try string("\(field)[\(index)]")) }
        return values
    }

    /// A string → double map; keys must be strictly ascending (the only order `WireWriter`
    /// writes), which also rules out duplicates.
    mutating func numbers(_ field: String) throws(WireError) -> [String: Double] {
        let count = try count(field)
        var values: [String: Double] = Dictionary(minimumCapacity: count)
        var previous: String?
        for _ in 0..<count {
            let key = try string("\(field) key")
            if let previous, !(previous < key) {
                throw malformed(field, "keys must be unique and in ascending order ('\(key.prefix(64))' after '\(previous.prefix(64))')")
            }
            values[key] = try double("\(field).\(key.prefix(64))")
            previous = key
        }
        return values
    }

    /// Throws unless every byte was read: a longer payload is another layout, not this one.
    func finish() throws(WireError) {
        guard remaining == 0 else {
            throw .malformedPayload(message: message, detail: "\(remaining) unexpected byte(s) after the last field")
        }
    }
}
