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

    func frame(_ tag: UInt8, _ json: String) -> [UInt8] { [1, tag] + Array(json.utf8) }

    @Test func framingErrors() {
        #expect(workerError([]) == .truncatedFrame(byteCount: 0))
        #expect(workerError([1]) == .truncatedFrame(byteCount: 1))
        #expect(workerError([2, 1] + Array("{}".utf8)) == .unsupportedFrameVersion(2, supported: 1))
        #expect(workerError([1, 0x42]) == .unknownMessageType(tag: 0x42))
        #expect(workerError(frame(0x83, "{}")) == .wrongDirection(message: "lease", expected: "worker → coordinator"))
        #expect(
            coordinatorError(frame(0x01, "{}")) == .wrongDirection(message: "hello", expected: "coordinator → worker"))
        let small = WireCodec(limits: WireLimits(maxFrameBytes: 64))
        #expect(throws: WireError.frameTooLarge(byteCount: 100, limit: 64)) {
            try small.decodeWorkerMessage([UInt8](repeating: 1, count: 100))
        }
        #expect(WireError.unsupportedFrameVersion(2, supported: 1).description.contains("upgrade"))
    }

    @Test func payloadErrorsNameTheMessageAndField() {
        // Truncated JSON.
        let truncated = workerError(frame(0x02, #"{"running":[{"attempt":1,"#))
        guard case .malformedPayload("heartbeat", _)? = truncated else {
            Issue.record("expected malformedPayload, got \(String(describing: truncated))")
            return
        }
        // Missing field.
        let missing = workerError(frame(0x02, #"{"running":[]}"#))
        #expect(missing?.description == "'heartbeat' payload is malformed: the payload: missing field 'slots'")
        // Wrong type, with its path.
        let wrongType = workerError(frame(0x02, #"{"running":[{"attempt":"one","epoch":1,"trial":"t"}],"slots":1}"#))
        #expect(wrongType?.description.contains("'running[0].attempt'") == true)
        // Not JSON at all.
        guard case .malformedPayload? = workerError(frame(0x04, "\u{00}\u{ff}garbage")) else {
            Issue.record("expected malformedPayload")
            return
        }
        // Integers that overflow are an error, not a trap.
        guard case .malformedPayload? = workerError(frame(0x02, #"{"running":[],"slots":99999999999999999999999}"#))
        else {
            Issue.record("expected malformedPayload for an overflowing integer")
            return
        }
    }

    @Test func outOfRangeAndUnknownValuesAreRejected() {
        #expect(
            workerError(frame(0x02, #"{"running":[],"slots":-3}"#))
                == .invalidField(message: "heartbeat", field: "slots", detail: "must be in 0…1024, got -3"))
        #expect(
            workerError(frame(0x06, #"{"returning":[{"attempt":0,"epoch":1,"trial":"t"}]}"#))
                == .invalidField(message: "goodbye", field: "returning[0].attempt", detail: "must be in 1…10000, got 0")
        )
        #expect(
            workerError(frame(0x06, #"{"returning":[{"attempt":1,"epoch":0,"trial":"t"}]}"#))
                == .invalidField(message: "goodbye", field: "returning[0].epoch", detail: "must be at least 1, got 0"))
        #expect(
            workerError(frame(0x06, #"{"returning":[{"attempt":1,"epoch":1,"trial":""}]}"#))
                == .invalidField(message: "goodbye", field: "returning[0].trial", detail: "must not be empty"))
        #expect(
            workerError(
                frame(0x05, #"{"kind":"cosmic-ray","message":"","ticket":{"attempt":1,"epoch":1,"trial":"t"}}"#))
                == .invalidField(
                    message: "failure", field: "kind",
                    detail: "must be 'infrastructure' or 'deterministic', got 'cosmic-ray'"))
        #expect(
            coordinatorError(frame(0x82, #"{"code":"go-away","message":""}"#))?.description.contains(
                "must be one of version-mismatch") == true)
        #expect(
            coordinatorError(
                frame(
                    0x83,
                    #"{"dataset":"d","model":"mf","parameters":{},"seed":1,"ticket":{"attempt":1,"epoch":1,"trial":"t"},"timeoutMilliseconds":-5}"#
                ))
                == .invalidField(message: "lease", field: "timeoutMilliseconds", detail: "must be positive, got -5"))
        #expect(
            coordinatorError(frame(0x81, #"{"heartbeatIntervalMilliseconds":1000,"liveness":0}"#))
                == .invalidField(message: "welcome", field: "liveness", detail: "must be in 1…1000, got 0"))
        guard
            case .malformedPayload("lease", let detail)? = coordinatorError(
                frame(
                    0x83,
                    #"{"dataset":"d","model":"mf","parameters":{"x":{"int":1,"bool":true}},"seed":1,"ticket":{"attempt":1,"epoch":1,"trial":"t"},"timeoutMilliseconds":5}"#
                ))
        else {
            Issue.record("a two-key parameter value must not decode")
            return
        }
        #expect(detail.contains("exactly one of the keys"))
    }

    @Test func oversizedFieldsAreRejectedOnBothSides() {
        var hello = Fixture.hello("w1")
        hello.host = String(repeating: "h", count: 300)
        #expect(throws: WireError.fieldTooLarge(message: "hello", field: "host", size: 300, limit: 256)) {
            try codec.encode(WorkerMessage.hello(hello))
        }
        let json =
            #"{"host":"\#(hello.host)","models":["mf"],"pid":1,"protocolVersion":1,"slots":1,"version":"v","workerID":"w1"}"#
        #expect(
            workerError(frame(0x01, json)) == .fieldTooLarge(message: "hello", field: "host", size: 300, limit: 256))

        let manyModels = "[" + Array(repeating: #""mf""#, count: 2000).joined(separator: ",") + "]"
        let crowded =
            #"{"host":"h","models":\#(manyModels),"pid":1,"protocolVersion":1,"slots":1,"version":"v","workerID":"w1"}"#
        #expect(
            workerError(frame(0x01, crowded))
                == .fieldTooLarge(message: "hello", field: "models", size: 2000, limit: 1024))

        let essay = String(repeating: "x", count: 70_000)
        let failure = WorkerMessage.failure(
            LeaseTicket(trial: TrialID(rawValue: "t"), attempt: 1, epoch: 1),
            TrialFailure(kind: .deterministic, message: essay))
        #expect(throws: WireError.fieldTooLarge(message: "failure", field: "message", size: 70_000, limit: 65_536)) {
            try codec.encode(failure)
        }
    }

    @Test func deeplyNestedJSONIsAnErrorNotAStackOverflow() {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case .malformedPayload? = workerError(frame(0x02, #"{"running":\#(nested),"slots":1}"#)) else {
            Issue.record("expected malformedPayload")
            return
        }
    }
}
