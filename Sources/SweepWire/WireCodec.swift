import Foundation
import Sweep

/// Turns messages into frames and frames back into messages, checking every field.
///
/// Frame layout (framing version 1):
///
///     byte 0      framing version (`WireCodec.frameVersion`)
///     byte 1      message type (`0x01…0x07` worker → coordinator, `0x81…0x86` coordinator → worker)
///     bytes 2…    payload: one JSON object, UTF-8, keys sorted, no whitespace
///
/// The same message always encodes to the same bytes (sorted keys, shortest round-trip doubles;
/// NaN and infinities travel as the strings `nan`, `inf`, `-inf`). Decoding is total: any byte
/// string either decodes to a message that passes the `WireLimits` checks or throws a `WireError`
/// that says what is wrong; it never traps. Encoding checks the same limits, so a message that
/// encodes also decodes. Unknown JSON keys are ignored, so later builds may add optional fields.
///
/// The *protocol* version (`WireCodec.protocolVersion`, carried in `hello`) is separate from the
/// framing version: a worker speaking another protocol version still decodes, so the coordinator
/// can reject it with a message naming both versions.
/// - Complexity: O(frame size) time and memory.
public struct WireCodec: Sendable {
    /// The coordinator/worker protocol this build speaks.
    public static let protocolVersion = 1
    /// The frame layout this build reads and writes.
    public static let frameVersion: UInt8 = 1

    public var limits: WireLimits

    public init(limits: WireLimits = WireLimits()) { self.limits = limits }

    // MARK: Worker → coordinator

    public func encode(_ message: WorkerMessage) throws(WireError) -> [UInt8] {
        try validate(message)
        switch message {
        case .hello(let hello):
            return try frame(.hello, HelloPayload(hello))
        case .heartbeat(let running, let slots):
            return try frame(.heartbeat, HeartbeatPayload(running: running.map(TicketPayload.init), slots: slots))
        case .progress(let ticket, let progress):
            return try frame(
                .progress,
                ProgressPayload(
                    ticket: TicketPayload(ticket), epoch: progress.epoch, totalEpochs: progress.totalEpochs,
                    values: progress.values))
        case .result(let ticket, let metrics):
            return try frame(
                .result, ResultPayload(ticket: TicketPayload(ticket), values: metrics.values, timings: metrics.timings))
        case .failure(let ticket, let failure):
            return try frame(
                .failure,
                FailurePayload(ticket: TicketPayload(ticket), kind: failure.kind.rawValue, message: failure.message))
        case .goodbye(let returning):
            return try frame(.goodbye, GoodbyePayload(returning: returning.map(TicketPayload.init)))
        case .reattach(let hello, let running):
            return try frame(
                .reattach, ReattachPayload(hello: HelloPayload(hello), running: running.map(TicketPayload.init)))
        }
    }

    /// Decodes a frame a worker sent. Throws for anything but a valid worker message.
    public func decodeWorkerMessage(_ frame: some Collection<UInt8>) throws(WireError) -> WorkerMessage {
        let (tag, body) = try header(of: frame)
        let message: WorkerMessage
        switch tag {
        case .hello:
            message = .hello(try payload(HelloPayload.self, body, tag).value)
        case .heartbeat:
            let decoded = try payload(HeartbeatPayload.self, body, tag)
            message = .heartbeat(running: decoded.running.map(\.value), slots: decoded.slots)
        case .progress:
            let decoded = try payload(ProgressPayload.self, body, tag)
            message = .progress(
                decoded.ticket.value,
                TrialProgress(epoch: decoded.epoch, totalEpochs: decoded.totalEpochs, values: decoded.values))
        case .result:
            let decoded = try payload(ResultPayload.self, body, tag)
            message = .result(decoded.ticket.value, TrialMetrics(values: decoded.values, timings: decoded.timings))
        case .failure:
            let decoded = try payload(FailurePayload.self, body, tag)
            guard let kind = FailureKind(rawValue: decoded.kind) else {
                throw .invalidField(
                    message: tag.messageName, field: "kind",
                    detail: "must be 'infrastructure' or 'deterministic', got '\(decoded.kind.prefix(64))'")
            }
            message = .failure(decoded.ticket.value, TrialFailure(kind: kind, message: decoded.message))
        case .goodbye:
            message = .goodbye(returning: try payload(GoodbyePayload.self, body, tag).returning.map(\.value))
        case .reattach:
            let decoded = try payload(ReattachPayload.self, body, tag)
            message = .reattach(decoded.hello.value, running: decoded.running.map(\.value))
        case .welcome, .reject, .lease, .cancel, .coordinatorHeartbeat, .shutdown:
            throw .wrongDirection(message: tag.messageName, expected: "worker → coordinator")
        }
        try validate(message)
        return message
    }

    // MARK: Coordinator → worker

    public func encode(_ message: CoordinatorMessage) throws(WireError) -> [UInt8] {
        try validate(message)
        switch message {
        case .welcome(let interval, let liveness):
            return try frame(
                .welcome, WelcomePayload(heartbeatIntervalMilliseconds: interval.wholeMilliseconds, liveness: liveness))
        case .reject(let rejection):
            return try frame(.reject, RejectPayload(code: rejection.code.rawValue, message: rejection.message))
        case .lease(let lease):
            return try frame(
                .lease,
                LeasePayload(
                    ticket: TicketPayload(lease.ticket), model: lease.config.model,
                    parameters: lease.config.parameters.mapValues(ParameterPayload.init), seed: lease.config.seed,
                    dataset: lease.dataset, timeoutMilliseconds: lease.timeout.wholeMilliseconds))
        case .cancel(let ticket, let reason):
            return try frame(.cancel, CancelPayload(ticket: TicketPayload(ticket), reason: reason))
        case .heartbeat:
            return try frame(.coordinatorHeartbeat, EmptyPayload())
        case .shutdown:
            return try frame(.shutdown, EmptyPayload())
        }
    }

    /// Decodes a frame the coordinator sent. Throws for anything but a valid coordinator message.
    public func decodeCoordinatorMessage(_ frame: some Collection<UInt8>) throws(WireError) -> CoordinatorMessage {
        let (tag, body) = try header(of: frame)
        let message: CoordinatorMessage
        switch tag {
        case .welcome:
            let decoded = try payload(WelcomePayload.self, body, tag)
            guard decoded.heartbeatIntervalMilliseconds > 0 else {
                throw .invalidField(
                    message: tag.messageName, field: "heartbeatIntervalMilliseconds",
                    detail: "must be positive, got \(decoded.heartbeatIntervalMilliseconds)")
            }
            message = .welcome(
                heartbeatInterval: .milliseconds(decoded.heartbeatIntervalMilliseconds), liveness: decoded.liveness)
        case .reject:
            let decoded = try payload(RejectPayload.self, body, tag)
            guard let code = Rejection.Code(rawValue: decoded.code) else {
                let known = Rejection.Code.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidField(
                    message: tag.messageName, field: "code",
                    detail: "must be one of \(known), got '\(decoded.code.prefix(64))'")
            }
            message = .reject(Rejection(code: code, message: decoded.message))
        case .lease:
            let decoded = try payload(LeasePayload.self, body, tag)
            guard decoded.timeoutMilliseconds > 0 else {
                throw .invalidField(
                    message: tag.messageName, field: "timeoutMilliseconds",
                    detail: "must be positive, got \(decoded.timeoutMilliseconds)")
            }
            let config = TrialConfig(
                model: decoded.model, parameters: decoded.parameters.mapValues(\.value), seed: decoded.seed)
            message = .lease(
                TrialLease(
                    ticket: decoded.ticket.value, config: config, dataset: decoded.dataset,
                    timeout: .milliseconds(decoded.timeoutMilliseconds)))
        case .cancel:
            let decoded = try payload(CancelPayload.self, body, tag)
            message = .cancel(decoded.ticket.value, reason: decoded.reason)
        case .coordinatorHeartbeat:
            _ = try payload(EmptyPayload.self, body, tag)
            message = .heartbeat
        case .shutdown:
            _ = try payload(EmptyPayload.self, body, tag)
            message = .shutdown
        case .hello, .heartbeat, .progress, .result, .failure, .goodbye, .reattach:
            throw .wrongDirection(message: tag.messageName, expected: "coordinator → worker")
        }
        try validate(message)
        return message
    }

    // MARK: Framing

    private func frame(_ tag: WireTag, _ payload: some Encodable) throws(WireError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let body: Data
        do {
            body = try encoder.encode(payload)
        } catch {
            throw .unencodable(message: tag.messageName, detail: String(describing: error))
        }
        var bytes: [UInt8] = [Self.frameVersion, tag.rawValue]
        bytes.reserveCapacity(body.count + 2)
        bytes.append(contentsOf: body)
        guard bytes.count <= limits.maxFrameBytes else {
            throw .unencodable(
                message: tag.messageName,
                detail: "the frame would be \(bytes.count) bytes, over the limit of \(limits.maxFrameBytes)")
        }
        return bytes
    }

    private func header(of frame: some Collection<UInt8>) throws(WireError) -> (WireTag, Data) {
        let count = frame.count
        guard count <= limits.maxFrameBytes else { throw .frameTooLarge(byteCount: count, limit: limits.maxFrameBytes) }
        guard count >= 2 else { throw .truncatedFrame(byteCount: count) }
        var index = frame.startIndex
        let version = frame[index]
        guard version == Self.frameVersion else {
            throw .unsupportedFrameVersion(version, supported: Self.frameVersion)
        }
        index = frame.index(after: index)
        guard let tag = WireTag(rawValue: frame[index]) else { throw .unknownMessageType(tag: frame[index]) }
        return (tag, Data(frame[frame.index(after: index)...]))
    }

    private func payload<Payload: Decodable>(_ type: Payload.Type, _ body: Data, _ tag: WireTag) throws(WireError)
        -> Payload
    {
        try checkNesting(body, tag)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(Payload.self, from: body)
        } catch let error as DecodingError {
            throw .malformedPayload(message: tag.messageName, detail: Self.explain(error))
        } catch {
            throw .malformedPayload(message: tag.messageName, detail: String(describing: error))
        }
    }

    /// Rejects JSON nested deeper than `limits.maxNestingDepth` (brackets inside strings do not count).
    private func checkNesting(_ body: Data, _ tag: WireTag) throws(WireError) {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= limits.maxNestingDepth else {
                    throw .malformedPayload(
                        message: tag.messageName,
                        detail: "JSON nested deeper than \(limits.maxNestingDepth) levels")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
    }

    /// A one-line account of a `DecodingError`: where in the payload, and what was wrong.
    private static func explain(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.isEmpty ? "the payload" : "'\(text.dropFirst(text.hasPrefix(".") ? 1 : 0))'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath)): missing field '\(key.stringValue)'"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return "\(path(context.codingPath)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return String(describing: error)
        }
    }
}
