/// An immutable hash map from byte strings (UTF-8 token text) to token ids, looked up by
/// buffer slices so the WordPiece loop asks "is this piece in the vocabulary?" without
/// building a `String` per candidate.
///
/// Open addressing with linear probing at a load factor of at most ½; keys live in one
/// contiguous byte array. FNV-1a hashing.
/// - Complexity: building O(total key bytes); a lookup O(key length) expected.
struct ByteStringTable: Sendable {
    /// Per slot: index into `values`/`offsets` + 1, or 0 for an empty slot.
    private var slots: [Int32]
    private var slotHashes: [UInt32]
    private var storage: [UInt8] = []
    /// Entry `e`'s key is `storage[offsets[e] ..< offsets[e + 1]]`.
    private var offsets: [Int32] = [0]
    private var values: [Int32] = []
    private let mask: Int
    /// The longest key in bytes: no longer piece needs looking up.
    private(set) var maxKeyLength = 0

    /// An empty table sized for `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
        slotHashes = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { values.count }

    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    /// Adds `key` → `value`, unless the key is present: then returns the value it already has
    /// and changes nothing. Precondition: fewer keys than `capacity` promised.
    mutating func insert(_ key: [UInt8], value: Int32) -> Int32? {
        if let existing = key.withUnsafeBufferPointer({ self.value(for: $0) }) { return existing }
        precondition(2 * (values.count + 1) <= slots.count, "ByteStringTable over capacity (\(values.count) keys)")
        let hash = key.withUnsafeBufferPointer { Self.hash($0) }
        var slot = Int(hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        values.append(value)
        storage.append(contentsOf: key)
        offsets.append(Int32(storage.count))
        slots[slot] = Int32(values.count)
        slotHashes[slot] = hash
        maxKeyLength = max(maxKeyLength, key.count)
        return nil
    }

    /// The value stored for exactly these bytes, or nil.
    @inline(__always)
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if key.count > maxKeyLength { return nil }
        let hash = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots in
            slotHashes.withUnsafeBufferPointer { slotHashes in
                storage.withUnsafeBufferPointer { storage in
                    offsets.withUnsafeBufferPointer { offsets in
                        var slot = Int(hash) & mask
                        while true {
                            let entry = Int(slots[slot])
                            if entry == 0 { return nil }
                            if slotHashes[slot] == hash {
                                let start = Int(offsets[entry - 1])
                                let end = Int(offsets[entry])
                                if end - start == key.count
                                    && (key.isEmpty
                                        || memcmpEqual(storage.baseAddress! + start, key.baseAddress!, key.count))
                                {
                                    return values[entry - 1]
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for index in 0..<count where a[index] != b[index] { return false }
    return true
}
