/// An ``IDMap`` fronted by a flat table for ids of the shape MIND uses: one ASCII letter and a
/// canonical decimal number (`N55528`, `U81994`).
///
/// `IDMap.intern(bytes:)` creates a `String` and hashes it for every non-numeric id; this looks
/// such ids up by their number instead, so a token that was seen before costs a digit loop and
/// one array read. The first letter seen becomes the table's prefix; ids of any other shape
/// (`N007`, `X1`, non-ASCII) go to the ``IDMap`` as they are, so indices are exactly those
/// `IDMap` would hand out on its own.
/// - Complexity: O(1) amortised per id; memory 4 bytes × largest number seen (capped at 2^24).
struct MINDIDInterner {
    private(set) var map: IDMap
    private var prefix: UInt8 = 0
    /// Dense index + 1 by number (0 = not yet seen through the table).
    private var byNumber: [Int32] = []

    static let numericLimit = 1 << 24

    init(_ map: IDMap = IDMap()) {
        self.map = map
    }

    var count: Int { map.count }

    /// The dense index of `bytes`, adding the id when new; nil when the bytes are not valid UTF-8.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let number = tableNumber(bytes)
        if number >= 0 && number < byNumber.count {
            let stored = byNumber[number]
            if stored != 0 { return stored - 1 }
        }
        guard MINDIDInterner.isValidUTF8(bytes) else { return nil }
        let index = map.intern(bytes: bytes)
        if number >= 0 {
            if number >= byNumber.count {
                let newCount = Swift.min(
                    MINDIDInterner.numericLimit, Swift.max(number + 1, byNumber.count * 2, 1024))
                byNumber.append(contentsOf: repeatElement(0, count: newCount - byNumber.count))
            }
            byNumber[number] = index + 1
        }
        return index
    }

    /// The number of a `<prefix><canonical decimal>` id below the limit, or -1.
    @inline(__always)
    private mutating func tableNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        guard n >= 2, n <= 9 else { return -1 }
        let letter = bytes[0]
        guard letter == prefix || prefix == 0 else { return -1 }
        let first = bytes[1] &- 0x30
        guard first < 10, first != 0 || n == 2 else { return -1 }
        var value = Int(first)
        var index = 2
        while index < n {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return -1 }
            value = value * 10 + Int(digit)
            index += 1
        }
        guard value < MINDIDInterner.numericLimit else { return -1 }
        if prefix == 0 {
            let lower = letter | 0x20
            guard lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") else { return -1 }
            prefix = letter
        }
        return value
    }

    @inline(__always)
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 {
            return String(validating: bytes, as: UTF8.self) != nil
        }
        return true
    }
}
