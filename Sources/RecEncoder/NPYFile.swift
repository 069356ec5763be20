public import Foundation

/// A float32 matrix in NumPy's `.npy` format (version 1.0), as `numpy.save` writes it and `numpy.load`
/// reads it: for `crossrec embed --output FILE.npy`.
///
/// Layout: the magic `\x93NUMPY`, the version bytes `1 0`, the header length as a little-endian UInt16,
/// then the header — the dictionary `{'descr': '<f4', 'fortran_order': False, 'shape': (N, D), }`, padded
/// with spaces (numpy's 21-digit growth room for the first axis, then up to a multiple of 64 bytes for the
/// whole preamble) and ending in `\n` — then the N × D little-endian float32 values in C (row-major) order.
/// ``write(_:rows:columns:to:)`` produces the same bytes as `numpy.save(path, array.astype('<f4'))`.
public struct NPYFile: Sendable, Equatable {
    /// What cannot be read, with the file.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String

        public var description: String { "\(path): \(reason)" }
    }

    /// The array's shape: `[N, D]` for a matrix, `[N]` for a vector.
    public var shape: [Int]
    /// The values in C order.
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// numpy's `ARRAY_ALIGN`: the preamble (magic, version, length, header) is a multiple of this.
    static let alignment = 64
    /// numpy's `GROWTH_AXIS_MAX_DIGITS`: room left after the dictionary to rewrite the first axis in place.
    static let growthAxisMaxDigits = 21

    /// The header dictionary and padding for `shape`, ending in `\n`, exactly as numpy 1.x/2.x writes it.
    static func header(shape: [Int]) -> [UInt8] {
        let shapeText =
            shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        if let first = shape.first {
            header += String(repeating: " ", count: growthAxisMaxDigits - String(first).count)
        }
        let unpadded = magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (alignment - unpadded % alignment) % alignment) + "\n"
        return Array(header.utf8)
    }

    /// Writes a `rows × columns` matrix (`values` row-major) to `url`: to a temporary file beside it, then
    /// renamed over `url`, so readers see the old file or the whole new one.
    /// - Throws: the file system's error.
    public static func write(_ values: [Float], rows: Int, columns: Int, to url: URL) throws {
        precondition(
            rows >= 0 && columns >= 0 && rows * columns == values.count, "\(rows) × \(columns) ≠ \(values.count) values"
        )
        try write(NPYFile(shape: [rows, columns], values: values), to: url)
    }

    /// Writes `file` to `url` atomically (see ``write(_:rows:columns:to:)``).
    public static func write(_ file: NPYFile, to url: URL) throws {
        let header = header(shape: file.shape)
        precondition(header.count <= Int(UInt16.max), "header of \(header.count) bytes does not fit version 1.0")
        var bytes = magic + [1, 0]
        withUnsafeBytes(of: UInt16(header.count).littleEndian) { bytes += $0 }
        bytes += header
        var data = Data(bytes)
        #if _endian(little)
            file.values.withUnsafeBytes { data.append(contentsOf: $0) }
        #else
            for value in file.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        #endif
        try data.write(to: url, options: .atomic)
    }

    /// Reads a little-endian float32, C-order `.npy` file of version 1.0, 2.0 or 3.0.
    /// - Throws: ``FormatError`` naming the file and what is wrong (another dtype, Fortran order, a
    ///   truncated body, …); the file system's error when it cannot be read.
    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let path = url.path
        func fail(_ reason: String) -> FormatError { FormatError(path: path, reason: reason) }
        let bytes = [UInt8](data)
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else {
            throw fail("not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated preamble") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw fail("format version \(major).\(bytes[7]) is not supported (1.0, 2.0, 3.0 are)")
        }
        guard bytes.count >= headerStart + headerLength else { throw fail("truncated header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f4'") else {
            throw fail(
                "dtype is not little-endian float32 ('<f4'); header: \(header.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        guard header.contains("'fortran_order': False") else { throw fail("Fortran-ordered arrays are not supported") }
        guard let open = header.range(of: "'shape': ("),
            let close = header[open.upperBound...].firstIndex(of: ")")
        else { throw fail("header has no shape tuple") }
        let dimensions = header[open.upperBound..<close].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        var shape: [Int] = []
        for dimension in dimensions {
            guard let value = Int(dimension), value >= 0 else { throw fail("shape entry '\(dimension)' is not a size") }
            shape.append(value)
        }
        let count = shape.reduce(1, *)
        let bodyStart = headerStart + headerLength
        guard bytes.count - bodyStart == count * 4 else {
            throw fail("shape \(shape) needs \(count * 4) bytes of data, the file has \(bytes.count - bodyStart)")
        }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { destination in
            bytes.withUnsafeBytes { source in
                destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[bodyStart...]))
            }
        }
        #if _endian(big)
            values = values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #endif
        self.init(shape: shape, values: values)
    }
}
