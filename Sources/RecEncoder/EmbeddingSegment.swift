import Checksums
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One immutable, memory-mapped file of the ``EmbeddingCache``: the vectors of a batch of texts.
///
/// Layout (integers and floats little-endian):
///
///     offset 0    8 bytes   magic "CRXEMBED"
///            8    UInt32    format version (1)
///           12    UInt32    dimension d
///           16    UInt64    rows n
///           24    32 bytes  SHA-256 of the model fingerprint's UTF-8
///           56    8 bytes   zero
///           64    n × 32    text keys (SHA-256 of each text's UTF-8)
///     64 + 32n    n × d     float32 vectors, row-major
///          end    32 bytes  SHA-256 of every byte before it
///
/// A file is named after its checksum (`<32 hex digits>.embeddings`) and only ever appears under that
/// name by a `rename(2)` of a complete, synced temporary file, so equal content gets the same name and two
/// writers of the same batch cannot conflict. Opening checks the size, header, model and checksum; a file
/// failing any check is reported as ``OpenFailure/invalid(_:)`` and never read.
final class EmbeddingSegment: @unchecked Sendable {
    static let magic = Array("CRXEMBED".utf8)
    static let formatVersion: UInt32 = 1
    static let headerSize = 64
    static let trailerSize = 32
    static let fileExtension = "embeddings"

    /// Why a file could not be opened as a segment.
    enum OpenFailure: Error {
        /// The file disappeared between listing and opening (another process deleted it).
        case gone
        /// The file is not a valid segment of this cache; the reason is worded for users.
        case invalid(String)
        /// The file could not be opened or mapped.
        case unreadable(String)
    }

    let url: URL
    let dimension: Int
    let rows: Int
    private let mapping: UnsafeRawPointer
    private let length: Int

    /// Maps the file at `url` read-only and checks it against the cache's model and dimension.
    /// - Complexity: O(file size) for the checksum.
    init(mapping url: URL, modelDigest: [UInt8], dimension: Int) throws(OpenFailure) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw code == ENOENT ? .gone : .unreadable(String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        let length = Int(info.st_size)
        let minimum = Self.headerSize + Self.trailerSize
        guard length >= minimum else {
            throw .invalid("it has \(length) bytes, fewer than the \(minimum) of an empty segment: truncated")
        }
        let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .unreadable("cannot map it: \(String(cString: strerror(errno)))")
        }
        let bytes = UnsafeRawPointer(address)
        do throws(OpenFailure) {
            rows = try Self.validate(bytes, length: length, modelDigest: modelDigest, dimension: dimension)
        } catch {
            munmap(address, length)
            throw error
        }
        self.url = url
        self.dimension = dimension
        self.mapping = bytes
        self.length = length
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: mapping), length) }

    /// The key of row `row`.
    func key(at row: Int) -> EmbeddingKey {
        precondition(row >= 0 && row < rows, "row \(row) outside 0..<\(rows) in \(url.path)")
        return EmbeddingKey(bytes: mapping + Self.headerSize + row * EmbeddingKey.byteCount)
    }

    /// Copies the vector of row `row` to `destination` (``dimension`` floats).
    func copyRow(_ row: Int, to destination: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows, "row \(row) outside 0..<\(rows) in \(url.path)")
        let source = mapping + Self.headerSize + rows * EmbeddingKey.byteCount + row * dimension * 4
        #if _endian(little)
            memcpy(destination, source, dimension * 4)
        #else
            for index in 0..<dimension {
                let bits = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                destination[index] = Float(bitPattern: bits)
            }
        #endif
    }

    /// Checks a mapped file and returns its row count.
    private static func validate(_ bytes: UnsafeRawPointer, length: Int, modelDigest: [UInt8], dimension: Int)
        throws(OpenFailure) -> Int
    {
        guard UnsafeRawBufferPointer(start: bytes, count: magic.count).elementsEqual(magic) else {
            throw .invalid("it does not start with the embedding-cache magic 'CRXEMBED'")
        }
        let version = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard version == formatVersion else {
            throw .invalid("it is in format version \(version); this crossrec reads version \(formatVersion)")
        }
        let fileDimension = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self)))
        guard fileDimension == dimension else {
            throw .invalid("it holds \(fileDimension)-dimensional vectors; this cache holds \(dimension)")
        }
        let storedRows = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        let rowBytes = EmbeddingKey.byteCount + 4 * dimension
        guard storedRows <= UInt64(length / rowBytes),
            headerSize + Int(storedRows) * rowBytes + trailerSize == length
        else {
            throw .invalid(
                "it has \(length) bytes, but its header promises \(storedRows) rows of \(rowBytes) bytes: "
                    + "truncated or overwritten")
        }
        guard UnsafeRawBufferPointer(start: bytes + 24, count: 32).elementsEqual(modelDigest) else {
            throw .invalid("it was written for another model")
        }
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(start: bytes, count: length - trailerSize))
        let stored = UnsafeRawBufferPointer(start: bytes + length - trailerSize, count: trailerSize)
        guard digest.withUnsafeBytes({ $0.elementsEqual(stored) }) else {
            throw .invalid("its checksum does not match its contents: corrupted")
        }
        return Int(storedRows)
    }
}
