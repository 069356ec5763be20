import Foundation
import Testing

@testable import SweepRuntime

@Suite("CURVE key files")
struct CurveKeyFilesTests {
    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "crossrec-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func generatedKeysReadBackAndSecretIsPrivate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written = try CurveKeyFiles.generate(name: "worker-1", folder: folder)
        let pair = try CurveKeyFiles.loadKeyPair(path: written.secretKeyPath)
        #expect(pair.publicKey == written.publicKey)
        #expect(try CurveKeyFiles.loadPublicKey(path: written.publicKeyPath) == written.publicKey)
        let mode = try FileManager.default.attributesOfItem(atPath: written.secretKeyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: RuntimeError.self) { try CurveKeyFiles.generate(name: "worker-1", folder: folder) }
        #expect(try CurveKeyFiles.generate(name: "worker-1", folder: folder, overwrite: true).publicKey != written.publicKey)
    }

    @Test func allowListFromFolderAndFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let a = try CurveKeyFiles.generate(name: "a", folder: folder + "/workers")
        let b = try CurveKeyFiles.generate(name: "b", folder: folder + "/workers")
        #expect(try CurveKeyFiles.loadAllowList(path: folder + "/workers") == [a.publicKey, b.publicKey])
        let list = folder + "/allow.txt"
        try "# workers\n\(a.publicKey)\n\n\(b.publicKey)\n".write(toFile: list, atomically: true, encoding: .utf8)
        #expect(try CurveKeyFiles.loadAllowList(path: list) == [a.publicKey, b.publicKey])
        try "\(a.publicKey)\nnot-a-key\n".write(toFile: list, atomically: true, encoding: .utf8)
        let error = try #require(throws: RuntimeError.self) { try CurveKeyFiles.loadAllowList(path: list) }
        #expect(error.description.hasPrefix("\(list):2: not a CURVE public key"))
    }
}
