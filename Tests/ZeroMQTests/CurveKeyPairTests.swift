import Testing
import ZeroMQ

@Suite("CurveKeyPair", .enabled(if: ZMQ.has("curve"), "libzmq was built without CURVE"))
struct CurveKeyPairTests {
    @Test func generatedKeysAreZ85AndConsistent() throws {
        let keys = try CurveKeyPair.generate()
        #expect(keys.publicKey.count == 40)
        #expect(keys.secretKey.count == 40)
        #expect(keys.publicKey != keys.secretKey)
        try CurveKeyPair.validate(keys.publicKey)
        try CurveKeyPair.validate(keys.secretKey)
        #expect(try CurveKeyPair.derivePublicKey(fromSecretKey: keys.secretKey) == keys.publicKey)
        #expect(try CurveKeyPair(publicKey: keys.publicKey, secretKey: keys.secretKey) == keys)
        #expect(try CurveKeyPair(secretKey: keys.secretKey) == keys)
        #expect(try CurveKeyPair.generate() != keys)
    }

    @Test func descriptionHidesTheSecretKey() throws {
        let keys = try CurveKeyPair.generate()
        #expect(!keys.description.contains(keys.secretKey))
        #expect(keys.description.contains(keys.publicKey))
    }

    /// The key pair from the ZeroMQ RFC 26 / zmq_curve_public documentation.
    @Test func derivesTheDocumentedPublicKey() throws {
        let secret = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
        let expectedPublic = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
        #expect(try CurveKeyPair.derivePublicKey(fromSecretKey: secret) == expectedPublic)
    }

    @Test func wrongLengthIsExplained() throws {
        let error = #expect(throws: CurveKeyError.self) {
            try CurveKeyPair(publicKey: "short", secretKey: try CurveKeyPair.generate().secretKey)
        }
        #expect(error == .wrongLength(role: "CURVE public key", length: 5))
        #expect(error?.description.contains("must be 40 Z85 characters") == true)
        #expect(error?.description.contains("got 5") == true)
    }

    @Test func characterOutsideZ85IsLocated() throws {
        var characters = Array(try CurveKeyPair.generate().secretKey)
        characters[7] = "~"
        let error = #expect(throws: CurveKeyError.self) {
            try CurveKeyPair(secretKey: String(characters))
        }
        #expect(error == .invalidCharacter(role: "CURVE secret key", character: "~", offset: 7))
        #expect(error?.description.contains("'~' at offset 7") == true)
    }

    @Test func z85GroupAboveUInt32IsNotDecodable() {
        // "#####" is 85^5 - 1 > 2^32 - 1.
        let key = String(repeating: "#", count: 40)
        #expect(throws: CurveKeyError.notDecodable(role: "CURVE key")) { try CurveKeyPair.validate(key) }
    }

    @Test func mismatchedPairIsRejected() throws {
        let first = try CurveKeyPair.generate()
        let second = try CurveKeyPair.generate()
        let error = #expect(throws: CurveKeyError.self) {
            try CurveKeyPair(publicKey: first.publicKey, secretKey: second.secretKey)
        }
        #expect(error == .mismatchedKeyPair)
        #expect(error?.description.contains("does not belong") == true)
    }

    @Test func nonASCIICharacterIsRejected() {
        let key = "é" + String(repeating: "a", count: 39)
        #expect(throws: CurveKeyError.invalidCharacter(role: "CURVE key", character: "é", offset: 0)) {
            try CurveKeyPair.validate(key)
        }
    }
}
