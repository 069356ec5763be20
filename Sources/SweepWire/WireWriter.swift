/// Appends the primitives of the binary payload format (framing version 2) to a byte array.
///
/// Encodings, all little-endian and self-delimiting:
///
/// - unsigned integer: LEB128 varint (7 bits per byte, low group first, at most 10 bytes);
/// - signed integer: zigzag-mapped (`0, -1, 1, -2, …` → `0, 1, 2, 3, …`), then a varint;
/// - double: the 8 bytes of its IEEE 754 bit pattern (NaN and infinities need no special case);
/// - bool and presence flags: one byte, `0` or `1`;
/// - string: byte count as a varint, then the UTF-8 bytes;
/// - list: element count as a varint, then the elements;
/// - string → double map: entry count, then (key, value) pairs in ascending key order, so the
///   same map always gives the same bytes whatever the dictionary's iteration order.
/// - Complexity: O(1) amortised per byte written.
struct WireWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func int(_ value: Int) { signed(Int64(value)) }

    mutating func double(_ value: Double) {
        let pattern = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: pattern >> UInt64(shift))) }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func strings(_ values: [String]) {
        unsigned(UInt64(values.count))
        for value in values { string(value) }
    }

    mutating func numbers(_ values: [String: Double]) {
        unsigned(UInt64(values.count))
        for key in values.keys.sorted() {
            string(key)
            double(values[key]!)
        }
    }
}
