import Foundation

/// A `.safetensors` file mapped into memory, read-only.
///
/// Layout: an unsigned 64-bit little-endian header length n, n bytes of JSON header mapping each
/// tensor name to `{"dtype": "F32", "shape": [d₀, d₁, …], "data_offsets": [begin, end]}` (plus a
/// `__metadata__` entry, ignored), then the data: tensor t occupies bytes [begin, end) after the
/// header, row-major and little-endian.
///
/// The file is `mmap`ed (`PROT_READ`, `MAP_PRIVATE`), never read into memory: a tensor's pages are
/// loaded by the kernel when first touched and belong to the page cache, so a 90 MB model costs
/// resident memory only for the pages a forward pass reads.
///
/// - Complexity: opening parses the header, O(header bytes + tensors); a tensor lookup is O(rank).
/// - Contract: every buffer handed out points into the mapping and is valid while this object
///   lives; the mapping is removed in `deinit`. Every error names the file and what is wrong with it.
public final class SafetensorsFile: @unchecked Sendable {
    /// One header entry.
    public struct TensorInfo: Sendable, Hashable {
        /// `F32`, `F16`, `BF16`, `I64`, … as the header spells it.
        public var dtype: String
        public var shape: [Int]
        /// Byte range within the data section (after the header).
        public var dataOffsets: Range<Int>
    }

    public let path: String
    /// Tensors by name; `__metadata__` is not among them.
    public let tensors: [String: TensorInfo]
    private let mapping: UnsafeMutableRawPointer
    private let mappedBytes: Int
    /// File offset of the data section: 8 + header length.
    private let dataStart: Int

    /// Maps the file at `path` and validates its header: every entry well formed, every tensor's
    /// byte range inside the file and, for known dtypes, as long as its shape requires.
    /// - Throws: `EncoderError.badModelFile` naming `path`: unreadable, truncated (header or data
    ///   shorter than declared), header not JSON, or an entry malformed.
    public init(path: String) throws {
        #if _endian(big)
            throw EncoderError.badModelFile(
                path: path, reason: "safetensors data is little-endian; this host is big-endian")
        #endif
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw EncoderError.badModelFile(path: path, reason: "cannot open it (\(reason))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw EncoderError.badModelFile(path: path, reason: "cannot stat it (\(String(cString: strerror(errno))))")
        }
        let size = Int(status.st_size)
        guard size >= 8 else {
            throw EncoderError.badModelFile(
                path: path,
                reason: "truncated: \(size) bytes, shorter than the 8-byte header length that starts a safetensors "
                    + "file; download the model again")
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw EncoderError.badModelFile(path: path, reason: "cannot map it (\(String(cString: strerror(errno))))")
        }
        var headerLength: UInt64 = 0
        for byte in 0..<8 {
            headerLength |= UInt64(mapped.load(fromByteOffset: byte, as: UInt8.self)) << (8 * UInt64(byte))
        }
        guard headerLength <= UInt64(size - 8) else {
            munmap(mapped, size)
            throw EncoderError.badModelFile(
                path: path,
                reason: "truncated: the header length says \(headerLength) bytes of JSON but only \(size - 8) bytes "
                    + "follow it; download the model again")
        }
        let dataStart = 8 + Int(headerLength)
        let dataBytes = size - dataStart
        let parsed: [String: TensorInfo]
        do {
            let header = Data(bytes: mapped + 8, count: Int(headerLength))
            parsed = try Self.parseHeader(header, dataBytes: dataBytes, fileBytes: size)
        } catch let reason as HeaderProblem {
            munmap(mapped, size)
            throw EncoderError.badModelFile(path: path, reason: reason.text)
        }
        self.mapping = mapped
        self.mappedBytes = size
        self.dataStart = dataStart
        self.tensors = parsed
    }

    deinit { munmap(mapping, mappedBytes) }

    /// The float32 tensor `name`, checked to have shape `shape`, as a buffer into the mapping.
    /// - Parameter shapeSource: where `shape` comes from, for the error message (`config.json`).
    /// - Throws: `EncoderError.badModelFile` naming the file and the tensor when it is missing, is
    ///   not F32 (the only dtype crossrec computes with), has another shape, or is not 4-byte aligned.
    public func floats(named name: String, shape: [Int], shapeSource: String = "config.json") throws
        -> UnsafeBufferPointer<Float>
    {
        guard let info = tensors[name] else {
            throw EncoderError.badModelFile(
                path: path,
                reason: "tensor '\(name)' is missing (the file holds \(tensors.count) tensors); is it the checkpoint "
                    + "of the model its \(shapeSource) describes?")
        }
        guard info.dtype == "F32" else {
            throw EncoderError.badModelFile(
                path: path,
                reason: "tensor '\(name)' has dtype \(info.dtype); only F32 is supported: save the model in float32 "
                    + "(e.g. `model.float().save_pretrained(…)`)")
        }
        guard info.shape == shape else {
            throw EncoderError.badModelFile(
                path: path,
                reason: "tensor '\(name)' has shape \(Self.spell(info.shape)), but \(shapeSource) implies "
                    + "\(Self.spell(shape))")
        }
        let start = dataStart + info.dataOffsets.lowerBound
        guard start % MemoryLayout<Float>.alignment == 0 else {
            throw EncoderError.badModelFile(
                path: path,
                reason: "tensor '\(name)' starts at byte \(start), not a multiple of 4, so it cannot be used in "
                    + "place; re-save the file with the safetensors library, which aligns tensors")
        }
        let count = info.dataOffsets.count / MemoryLayout<Float>.stride
        let base = UnsafeRawPointer(mapping + start).assumingMemoryBound(to: Float.self)
        return UnsafeBufferPointer(start: base, count: count)
    }

    /// `[30522, 384]`.
    static func spell(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    private struct HeaderProblem: Error { var text: String }

    /// Bytes per element of the dtypes the safetensors format defines.
    private static let elementBytes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "U64": 8, "I32": 4, "U32": 4, "I16": 2, "U16": 2,
        "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1,
    ]

    private static func parseHeader(_ header: Data, dataBytes: Int, fileBytes: Int) throws -> [String: TensorInfo] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw HeaderProblem(
                text: "the \(header.count)-byte header is not JSON (\(error.localizedDescription)); is this a "
                    + "safetensors file?")
        }
        guard let entries = object as? [String: Any] else {
            throw HeaderProblem(text: "the header is JSON but not an object of tensors; is this a safetensors file?")
        }
        var tensors: [String: TensorInfo] = [:]
        for name in entries.keys.sorted() where name != "__metadata__" {
            guard let entry = entries[name] as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = (entry["shape"] as? [Any])?.compactMap({ $0 as? Int }),
                shape.count == (entry["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 }),
                let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ $0 as? Int }), offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1]
            else {
                throw HeaderProblem(
                    text: "header entry '\(name)' is malformed: it needs \"dtype\" (a string), \"shape\" (non-negative "
                        + "integers) and \"data_offsets\" ([begin, end] with begin ≤ end)")
            }
            if let bytes = elementBytes[dtype] {
                var expected = bytes
                var overflow = false
                for dimension in shape where !overflow {
                    (expected, overflow) = expected.multipliedReportingOverflow(by: dimension)
                }
                guard !overflow, offsets[1] - offsets[0] == expected else {
                    let needed = overflow ? "more than Int.max" : String(expected)
                    throw HeaderProblem(
                        text: "tensor '\(name)' of shape \(spell(shape)) and dtype \(dtype) needs \(needed) bytes, "
                            + "but its data_offsets span \(offsets[1] - offsets[0])")
                }
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
        }
        // The tensor reaching furthest names how much data the header declares.
        let furthest = tensors.max { a, b in
            let (endA, endB) = (a.value.dataOffsets.upperBound, b.value.dataOffsets.upperBound)
            return endA != endB ? endA < endB : a.key > b.key
        }
        if let (name, info) = furthest, info.dataOffsets.upperBound > dataBytes {
            throw HeaderProblem(
                text: "truncated: tensor '\(name)' ends \(info.dataOffsets.upperBound) bytes into the data, but the "
                    + "file holds only \(dataBytes) bytes of data (\(fileBytes) bytes in all, "
                    + "\(fileBytes - dataBytes + info.dataOffsets.upperBound) declared); download the model again")
        }
        return tensors
    }
}
