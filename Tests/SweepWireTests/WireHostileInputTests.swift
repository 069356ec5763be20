import Sweep
import SweepWire
import Testing

@Suite("WireCodec: hostile input")
struct WireHostileInputTests {
    let codec = WireCodec()

    func workerError(_ frame: [UInt8]) -> WireError? {
        do throws(WireError) {
            _ = try codec.decodeWorkerMessage(frame)
            return nil
        } catch {
            return error
        }
    }

    func coordinatorError(_ frame: [UInt8]) -> WireError? {
        do throws(WireError) {
            _ = try codec.decodeCoordinatorMessage(frame)
            return nil
        } catch {
            return error
        }
    }

    // An independent spelling of the version-2 primitives (see `WireCodec`), so these frames
    // are built from the documented layout rather than by the encoder under test.
    static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }
    static func int(_ value: Int) -> [UInt8] { varint(UInt64(bitPattern: Int64(value) << 1 ^ Int64(value) >> 63)) }
    static func str(_ text: String) -> [UInt8] { varint(UInt64(text.utf8.count)) + Array(text.utf8) }
    static func ticket(_ trial: String, attempt: Int, epoch: UInt64) -> [UInt8] {
        str(trial) + int(attempt) + varint(epoch)
    }
    static let okTicket = ticket("t", attempt: 1, epoch: 1)

    func frame(_ tag: UInt8, _ payload: [UInt8]) -> [UInt8] { [WireCodec.frameVersion, tag] + payload }

    @Test func framingErrors() {
        #expect(workerError([]) == .truncatedFrame(byteCount: 0))
        #expect(workerError([2]) == .truncatedFrame(byteCount: 1))
        #expect(workerError([1, 1] + Array("{}".utf8)) == .unsupportedFrameVersion(1, supported: WireCodec.frameVersion))
        #expect(workerError([2, 0x02, 0, 2]) == .unsupportedFrameVersion(2, supported: WireCodec.frameVersion))
        #expect(workerError([WireCodec.frameVersion, 0x42]) == .unknownMessageType(tag: 0x42))
        #expect(workerError(frame(0x83, [])) == .wrongDirection(message: "lease", expected: "worker → coordinator"))
        #expect(coordinatorError(frame(0x01, [])) == .wrongDirection(message: "hello", expected: "coordinator → worker"))
        let small = WireCodec(limits: WireLimits(maxFrameBytes: 64))
        #expect(throws: WireError.frameTooLarge(byteCount: 100, limit: 64)) {
            try small.decodeWorkerMessage([UInt8](repeating: 2, count: 100))
        }
        #expect(WireError.unsupportedFrameVersion(1, supported: 2).description.contains("upgrade"))
    }

    @Test func payloadErrorsNameTheMessageAndField() {
        // Truncated inside the first ticket's attempt.
        #expect(
            workerError(frame(0x02, [1] + Self.str("t")))
                == .malformedPayload(message: "heartbeat", detail: "field 'running[0].attempt': the frame ends early"))
        // The last field missing.
        #expect(
            workerError(frame(0x02, [0]))
                == .malformedPayload(message: "heartbeat", detail: "field 'slots': the frame ends early"))
        // Bytes after the last field.
        #expect(
            workerError(frame(0x02, [0] + Self.int(1) + [9, 9]))
                == .malformedPayload(message: "heartbeat", detail: "2 unexpected byte(s) after the last field"))
        // A string longer than the frame, and one that is not UTF-8.
        #expect(
            workerError(frame(0x06, [1, 50, 0x61]))
                == .malformedPayload(message: "goodbye", detail: "field 'returning[0].trial': claims 50 bytes but only 1 remain"))
        #expect(
            workerError(frame(0x06, [1, 2, 0xC3, 0x28] + Self.int(1) + [1]))
                == .malformedPayload(message: "goodbye", detail: "field 'returning[0].trial': not valid UTF-8"))
        // A count larger than the bytes left cannot make the decoder allocate.
        #expect(
            workerError(frame(0x06, Self.varint(1000)))
                == .malformedPayload(message: "goodbye", detail: "field 'returning': claims 1000 elements but only 0 bytes remain"))
        // Integers that overflow 64 bits are an error, not a trap.
        #expect(
            workerError(frame(0x02, [0] + [UInt8](repeating: 0xFF, count: 11) + [1]))
                == .malformedPayload(message: "heartbeat", detail: "field 'slots': integer does not fit in 64 bits"))
        // A bool that is neither 0 nor 1.
        #expect(
            workerError(frame(0x03, Self.okTicket + Self.int(1) + [7]))
                == .malformedPayload(message: "progress", detail: "field 'totalEpochs present': expected 0 or 1, got 7"))
        // Metric keys out of order or repeated (the encoder always sorts them).
        let one = [UInt8](repeating: 0, count: 8)
        #expect(
            workerError(frame(0x04, Self.okTicket + [2] + Self.str("b") + one + Self.str("a") + one + [0]))?.description
                .contains("keys must be unique and in ascending order") == true)
        #expect(
            workerError(frame(0x04, Self.okTicket + [2] + Self.str("a") + one + Self.str("a") + one + [0]))?.description
                .contains("keys must be unique and in ascending order") == true)
    }

    @Test func outOfRangeAndUnknownValuesAreRejected() {
        #expect(
            workerError(frame(0x02, [0] + Self.int(-3)))
                == .invalidField(message: "heartbeat", field: "slots", detail: "must be in 0…1024, got -3"))
        #expect(
            workerError(frame(0x06, [1] + Self.ticket("t", attempt: 0, epoch: 1)))
                == .invalidField(message: "goodbye", field: "returning[0].attempt", detail: "must be in 1…10000, got 0"))
        #expect(
            workerError(frame(0x06, [1] + Self.ticket("t", attempt: 1, epoch: 0)))
                == .invalidField(message: "goodbye", field: "returning[0].epoch", detail: "must be at least 1, got 0"))
        #expect(
            workerError(frame(0x06, [1] + Self.ticket("", attempt: 1, epoch: 1)))
                == .invalidField(message: "goodbye", field: "returning[0].trial", detail: "must not be empty"))
        #expect(
            workerError(frame(0x05, Self.okTicket + Self.str("cosmic-ray") + Self.str("")))
                == .invalidField(
                    message: "failure", field: "kind",
                    detail: "must be 'infrastructure' or 'deterministic', got 'cosmic-ray'"))
        #expect(
            coordinatorError(frame(0x82, Self.str("go-away") + Self.str("")))?.description.contains(
                "must be one of version-mismatch") == true)
        let leaseHead = Self.okTicket + Self.str("mf")
        #expect(
            coordinatorError(frame(0x83, leaseHead + [0] + Self.varint(1) + Self.str("d") + Self.int(-5)))
                == .invalidField(message: "lease", field: "timeoutMilliseconds", detail: "must be positive, got -5"))
        #expect(
            coordinatorError(frame(0x81, Self.int(1000) + Self.int(0)))
                == .invalidField(message: "welcome", field: "liveness", detail: "must be in 1…1000, got 0"))
        #expect(
            coordinatorError(frame(0x83, leaseHead + [1] + Self.str("x") + [9, 1] + Self.varint(1) + Self.str("d") + Self.int(5)))
                == .malformedPayload(
                    message: "lease", detail: "field 'parameters.x': unknown value type 9 (0 int, 1 double, 2 string, 3 bool)"))
        // The same lease with a valid int parameter decodes: the frames above fail for the reason named.
        #expect(
            coordinatorError(frame(0x83, leaseHead + [1] + Self.str("x") + [0] + Self.int(1) + Self.varint(1) + Self.str("d") + Self.int(5)))
                == nil)
    }

    @Test func oversizedFieldsAreRejectedOnBothSides() {
        var hello = Fixture.hello("w1")
        hello.host = String(repeating: "h", count: 300)
        #expect(throws: WireError.fieldTooLarge(message: "hello", field: "host", size: 300, limit: 256)) {
            try codec.encode(WorkerMessage.hello(hello))
        }
        func helloFrame(host: String, models: [String]) -> [UInt8] {
            frame(
                0x01,
                Self.int(1) + Self.str("w1") + Self.str(host) + Self.str("v") + Self.int(1) + Self.varint(UInt64(models.count))
                    + models.flatMap(Self.str) + Self.int(1) + Self.str("session-1"))
        }
        #expect(helloFrame(host: "h", models: ["mf"]).count > 2 && workerError(helloFrame(host: "h", models: ["mf"])) == nil)
        #expect(
            workerError(helloFrame(host: hello.host, models: ["mf"]))
                == .fieldTooLarge(message: "hello", field: "host", size: 300, limit: 256))
        #expect(
            workerError(helloFrame(host: "h", models: Array(repeating: "mf", count: 2000)))
                == .fieldTooLarge(message: "hello", field: "models", size: 2000, limit: 1024))

        let essay = String(repeating: "x", count: 70_000)
        let failure = WorkerMessage.failure(
            LeaseTicket(trial: TrialID(rawValue: "t"), attempt: 1, epoch: 1),
            TrialFailure(kind: .deterministic, message: essay))
        #expect(throws: WireError.fieldTooLarge(message: "failure", field: "message", size: 70_000, limit: 65_536)) {
            try codec.encode(failure)
        }
        #expect(
            workerError(frame(0x05, Self.okTicket + Self.str("deterministic") + Self.str(essay)))
                == .fieldTooLarge(message: "failure", field: "message", size: 70_000, limit: 65_536))
    }
}
