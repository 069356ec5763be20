/// A two-way map between a data set's own ids (`"196"`, `"U81994"`, `"N55528"`) and dense
/// indices `0..<count` used by every column and model.
///
/// Indices are handed out in first-seen order, so loading the same file gives the same indices.
/// Canonical decimal ids (no sign, no leading zero) below 2^24 are looked up in a flat table
/// without creating a `String`, which keeps parsing I/O-bound; all other ids go through a
/// dictionary. `"007"` and `"7"` are different ids.
/// - Complexity: `intern` is O(1) amortised; memory is O(count + largest numeric id).
public struct IDMap: Sendable, Equatable {
    /// External ids by dense index.
    public private(set) var ids: [String] = []
    private var byString: [String: Int32] = [:]
    /// Dense index + 1 by numeric id (0 = absent).
    private var byNumber: [Int32] = []

    static let numericLimit = 1 << 24

    public init() {}

    /// A map whose indices follow `ids` in order. Duplicate ids are a programmer error.
    public init(_ ids: [String]) {
        for id in ids {
            let before = count
            precondition(intern(id) == Int32(before), "IDMap(_:) given duplicate id '\(id)'")
        }
    }

    public var count: Int { ids.count }

    public subscript(index: Int32) -> String { ids[Int(index)] }

    /// The dense index of an external id, or nil when it has not been seen.
    public func index(of id: String) -> Int32? {
        if let number = IDMap.canonicalNumber(id.utf8) {
            return number < byNumber.count && byNumber[number] != 0 ? byNumber[number] - 1 : nil
        }
        return byString[id]
    }

    /// The dense index of `id`, adding it when new.
    @discardableResult
    public mutating func intern(_ id: String) -> Int32 {
        if let number = IDMap.canonicalNumber(id.utf8) { return intern(number: number) { id } }
        if let existing = byString[id] { return existing }
        let index = Int32(ids.count)
        ids.append(id)
        byString[id] = index
        return index
    }

    /// `intern` for an id given as raw bytes, creating a `String` only for new non-numeric ids.
    @inline(__always)
    mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        if let number = IDMap.canonicalNumber(bytes) {
            return intern(number: number) { String(decoding: bytes, as: UTF8.self) }
        }
        return intern(String(decoding: bytes, as: UTF8.self))
    }

    /// Index of an id given as bytes, without adding it.
    @inline(__always)
    func index(bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if let number = IDMap.canonicalNumber(bytes) {
            return number < byNumber.count && byNumber[number] != 0 ? byNumber[number] - 1 : nil
        }
        return byString[String(decoding: bytes, as: UTF8.self)]
    }

    /// `intern` for a canonical numeric id below ``numericLimit``.
    @inline(__always)
    mutating func intern(number: Int) -> Int32 {
        if number < byNumber.count {
            let stored = byNumber[number]
            if stored != 0 { return stored - 1 }
        }
        return intern(number: number) { String(number) }
    }

    /// Index of a canonical numeric id, without adding it.
    @inline(__always)
    func index(number: Int) -> Int32? {
        number < byNumber.count && byNumber[number] != 0 ? byNumber[number] - 1 : nil
    }

    @inline(__always)
    private mutating func intern(number: Int, text: () -> String) -> Int32 {
        if number < byNumber.count {
            let stored = byNumber[number]
            if stored != 0 { return stored - 1 }
        } else {
            let newCount = Swift.min(IDMap.numericLimit, Swift.max(number + 1, byNumber.count * 2, 1024))
            byNumber.append(contentsOf: repeatElement(0, count: newCount - byNumber.count))
        }
        let index = Int32(ids.count)
        ids.append(text())
        byNumber[number] = index + 1
        return index
    }

    /// The value of a canonical non-negative decimal below `numericLimit`, else nil.
    @inline(__always)
    static func canonicalNumber<C: Collection<UInt8>>(_ bytes: C) -> Int? {
        var iterator = bytes.makeIterator()
        guard let first = iterator.next() else { return nil }
        let firstDigit = first &- 0x30
        guard firstDigit < 10 else { return nil }
        var value = Int(firstDigit)
        var length = 1
        while let byte = iterator.next() {
            let digit = byte &- 0x30
            guard digit < 10, value != 0 else { return nil }
            value = value * 10 + Int(digit)
            length += 1
            if length > 8 { return nil }
        }
        return value < numericLimit ? value : nil
    }

    public static func == (lhs: IDMap, rhs: IDMap) -> Bool { lhs.ids == rhs.ids }
}
