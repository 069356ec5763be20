import Foundation
import ZeroMQ

/// CURVE key files for coordinators and workers, in the ZeroMQ "certificate" spirit but plain:
/// `NAME.key` holds the secret key (mode 0600, never share it) and `NAME.pub` the public key.
/// An allow-list is a file with one public key per line (`#` comments allowed) or a folder of
/// `.pub` files.
public enum CurveKeyFiles {
    public struct Written: Sendable {
        public var secretKeyPath: String
        public var publicKeyPath: String
        public var publicKey: String
    }

    /// Generates a key pair and writes `folder/NAME.key` and `folder/NAME.pub`.
    /// Refuses to overwrite an existing secret key unless `overwrite` is set.
    public static func generate(name: String, folder: String, overwrite: Bool = false) throws -> Written {
        let pair = try CurveKeyPair.generate()
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw RuntimeError("cannot create the key folder \(folder): \(FileErrorText.reason(error, path: folder + "/x")); choose another folder with --output")
        }
        let secretPath = (folder as NSString).appendingPathComponent("\(name).key")
        let publicPath = (folder as NSString).appendingPathComponent("\(name).pub")
        if !overwrite && FileManager.default.fileExists(atPath: secretPath) {
            throw RuntimeError("\(secretPath) exists; pass --overwrite to replace it (peers holding the old public key will be refused)")
        }
        let secretText = "# crossrec CURVE secret key: keep private\n\(pair.secretKey)\n"
        try writeFile(secretText, to: secretPath, mode: 0o600)
        try writeFile("\(pair.publicKey)\n", to: publicPath, mode: 0o644)
        return Written(secretKeyPath: secretPath, publicKeyPath: publicPath, publicKey: pair.publicKey)
    }

    /// Writes `text` with the file created at `mode` from the start (a secret key is never readable
    /// by others, not even briefly); the error says why a write failed (`permission denied`).
    private static func writeFile(_ text: String, to path: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard descriptor >= 0 else {
            throw RuntimeError("cannot write \(path): \(String(cString: strerror(errno))); choose another folder with --output")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw RuntimeError("cannot write \(path): \(String(cString: strerror(errno)))") }
        _ = fchmod(descriptor, mode)
    }

    /// Reads a key pair from a `.key` file (the public key is derived from the secret).
    static func loadKeyPair(path: String) throws -> CurveKeyPair {
        let secret = try firstKey(path: path)
        do {
            return try CurveKeyPair(secretKey: secret)
        } catch {
            throw RuntimeError("\(path): not a CURVE secret key: \(error)")
        }
    }

    /// Reads a public key from a `.pub` file (or a `.key` file, deriving it).
    public static func loadPublicKey(path: String) throws -> String {
        if path.hasSuffix(".key") { return try loadKeyPair(path: path).publicKey }
        let key = try firstKey(path: path)
        do {
            try CurveKeyPair.validate(key, role: "CURVE public key")
        } catch {
            throw RuntimeError("\(path): not a CURVE public key: \(error)")
        }
        return key
    }

    /// Public keys of an allow-list file or folder of `.pub` files.
    public static func loadAllowList(path: String) throws -> Set<String> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RuntimeError("\(path): allow-list not found (a file of public keys or a folder of .pub files)")
        }
        var keys: Set<String> = []
        if isDirectory.boolValue {
            for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where name.hasSuffix(".pub") {
                keys.insert(try loadPublicKey(path: (path as NSString).appendingPathComponent(name)))
            }
        } else {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                do {
                    try CurveKeyPair.validate(line, role: "CURVE public key")
                } catch {
                    throw RuntimeError("\(path):\(number + 1): not a CURVE public key: \(error)")
                }
                keys.insert(line)
            }
        }
        if keys.isEmpty { throw RuntimeError("\(path): allow-list holds no public keys") }
        return keys
    }

    private static func firstKey(path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RuntimeError("\(path): cannot read key file")
        }
        guard let line = text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { !$0.isEmpty && !$0.hasPrefix("#") })
        else { throw RuntimeError("\(path): no key in file") }
        return line
    }
}

/// A runtime failure with a message that says what to do.
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
