import ParameterSpecs
import Sweep

/// Turns messages into frames and frames back into messages, checking every field.
///
/// Frame layout (framing version 3):
///
///     byte 0      framing version (`WireCodec.frameVersion`)
///     byte 1      message type (`0x01…0x07` worker → coordinator, `0x81…0x86` coordinator → worker)
///     bytes 2…    payload: the message's fields in a fixed order, in the binary primitives
///                 `WireWriter` documents (varints, 8-byte doubles, length-prefixed UTF-8)
///
/// The fields of each message, in order (`ticket` = trial string, attempt int, epoch unsigned;
/// `hello` = protocol version int, worker id, host, version strings, slots int, models list, pid int,
/// session string):
///
///     hello       hello
///     heartbeat   running: list of ticket, slots int
///     progress    ticket, epoch int, has-total bool [, total epochs int], values map
///     result      ticket, values map, timings map
///     failure     ticket, kind string (`infrastructure` | `deterministic`), message string
///     goodbye     returning: list of ticket
///     reattach    hello, running: list of ticket, leases-through epoch unsigned
///     welcome     heartbeat interval ms int, liveness int
///     reject      code string (`Rejection.Code`), message string
///     lease       ticket, model string, parameters: count then (name, value) in ascending name
///                 order, a value being a type byte (0 int, 1 double, 2 string, 3 bool) and the
///                 value; seed unsigned, dataset string, timeout ms int
///     cancel      ticket, reason string
///     confirm     list of ticket
///     heartbeat, shutdown   no fields
///
/// Version 1 carried JSON; version 2 is binary because JSON parsing was the largest single cost
/// of a short trial at the coordinator; version 3 added the session to `hello`, `leasesThrough`
/// to `reattach` and the `confirm` message (protocol version 2). The same message always encodes to the same bytes (map
/// keys sorted). Decoding is total: any byte string either decodes to a message that passes the
/// `WireLimits` checks or throws a `WireError` naming the message and field; it never traps and
/// never allocates more than the frame's size. Bytes after the last field are an error: a new
/// field means a new framing version, which the header check reports as "upgrade the older side".
///
/// The *protocol* version (`WireCodec.protocolVersion`, carried in `hello`) is separate from the
/// framing version: a worker speaking another protocol version still decodes, so the coordinator
/// can reject it with a message naming both versions.
/// - Complexity: O(frame size) time and memory.
public struct WireCodec: Sendable {
    /// The coordinator/worker protocol this build speaks.
    public static let protocolVersion = 2
    /// The frame layout this build reads and writes.
    public static let frameVersion: UInt8 = 3

    public var limits: WireLimits

    public init(limits: WireLimits = WireLimits()) { self.limits = limits }

    // MARK: Worker → coordinator

    public func encode(_ message: WorkerMessage) throws(WireError) -> [UInt8] {
        try validate(message)
        var writer = WireWriter()
        switch message {
        case .hello(let hello):
            writer.header(.hello)
            writer.hello(hello)
        case .heartbeat(let running, let slots):
            writer.header(.heartbeat)
            writer.tickets(running)
            writer.int(slots)
        case .progress(let ticket, let progress):
            writer.header(.progress)
            writer.ticket(ticket)
            writer.int(progress.epoch)
            writer.bool(progress.totalEpochs != nil)
            if let total = progress.totalEpochs { writer.int(total) }
            writer.numbers(progress.values)
        case .result(let ticket, let metrics):
            writer.header(.result)
            writer.ticket(ticket)
            writer.numbers(metrics.values)
            writer.numbers(metrics.timings)
        case .failure(let ticket, let failure):
            writer.header(.failure)
            writer.ticket(ticket)
            writer.string(failure.kind.rawValue)
            writer.string(failure.message)
        case .goodbye(let returning):
            writer.header(.goodbye)
            writer.tickets(returning)
        case .reattach(let hello, let running, let through):
            writer.header(.reattach)
            writer.hello(hello)
            writer.tickets(running)
            writer.unsigned(through.rawValue)
        }
        return try checkedSize(writer.bytes, message.kind)
    }

    /// Decodes a frame a worker sent. Throws for anything but a valid worker message.
    public func decodeWorkerMessage(_ frame: some Collection<UInt8>) throws(WireError) -> WorkerMessage {
        let (tag, bytes) = try header(of: frame)
        var reader = WireReader(bytes, from: 2, message: tag.messageName, limits: limits)
        let message: WorkerMessage
        switch tag {
        case .hello:
            message = .hello(try reader.hello(""))
        case .heartbeat:
            let running = try reader.tickets("running")
            message = .heartbeat(running: running, slots: try reader.int("slots"))
        case .progress:
            let ticket = try reader.ticket("ticket")
            let epoch = try reader.int("epoch")
            let total = try reader.bool("totalEpochs present") ? try reader.int("totalEpochs") : nil
            message = .progress(ticket, TrialProgress(epoch: epoch, totalEpochs: total, values: try reader.numbers("values")))
        case .result:
            let ticket = try reader.ticket("ticket")
            let values = try reader.numbers("values")
            message = .result(ticket, TrialMetrics(values: values, timings: try reader.numbers("timings")))
        case .failure:
            let ticket = try reader.ticket("ticket")
            let kindName = try reader.string("kind")
            guard let kind = FailureKind(rawValue: kindName) else {
                throw .invalidField(
                    message: tag.messageName, field: "kind",
                    detail: "must be 'infrastructure' or 'deterministic', got '\(kindName.prefix(64))'")
            }
            message = .failure(ticket, TrialFailure(kind: kind, message: try reader.string("message")))
        case .goodbye:
            message = .goodbye(returning: try reader.tickets("returning"))
        case .reattach:
            let hello = try reader.hello("hello.")
            let running = try reader.tickets("running")
            message = .reattach(hello, running: running, leasesThrough: LeaseEpoch(try reader.unsigned("leasesThrough")))
        case .welcome, .reject, .lease, .cancel, .confirm, .coordinatorHeartbeat, .shutdown:
            throw .wrongDirection(message: tag.messageName, expected: "worker → coordinator")
        }
        try reader.finish()
        try validate(message)
        return message
    }

    // MARK: Coordinator → worker

    public func encode(_ message: CoordinatorMessage) throws(WireError) -> [UInt8] {
        try validate(message)
        var writer = WireWriter()
        switch message {
        case .welcome(let interval, let liveness):
            writer.header(.welcome)
            writer.signed(interval.wholeMilliseconds)
            writer.int(liveness)
        case .reject(let rejection):
            writer.header(.reject)
            writer.string(rejection.code.rawValue)
            writer.string(rejection.message)
        case .lease(let lease):
            writer.header(.lease)
            writer.ticket(lease.ticket)
            writer.string(lease.config.model)
            writer.parameters(lease.config.parameters)
            writer.unsigned(lease.config.seed)
            writer.string(lease.dataset)
            writer.signed(lease.timeout.wholeMilliseconds)
        case .cancel(let ticket, let reason):
            writer.header(.cancel)
            writer.ticket(ticket)
            writer.string(reason)
        case .confirm(let tickets):
            writer.header(.confirm)
            writer.tickets(tickets)
        case .heartbeat:
            writer.header(.coordinatorHeartbeat)
        case .shutdown:
            writer.header(.shutdown)
        }
        return try checkedSize(writer.bytes, message.kind)
    }

    /// Decodes a frame the coordinator sent. Throws for anything but a valid coordinator message.
    public func decodeCoordinatorMessage(_ frame: some Collection<UInt8>) throws(WireError) -> CoordinatorMessage {
        let (tag, bytes) = try header(of: frame)
        var reader = WireReader(bytes, from: 2, message: tag.messageName, limits: limits)
        let message: CoordinatorMessage
        switch tag {
        case .welcome:
            let interval = try reader.signed("heartbeatIntervalMilliseconds")
            guard interval > 0 else {
                throw .invalidField(
                    message: tag.messageName, field: "heartbeatIntervalMilliseconds", detail: "must be positive, got \(interval)")
            }
            message = .welcome(heartbeatInterval: .milliseconds(interval), liveness: try reader.int("liveness"))
        case .reject:
            let codeName = try reader.string("code")
            guard let code = Rejection.Code(rawValue: codeName) else {
                let known = Rejection.Code.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidField(
                    message: tag.messageName, field: "code", detail: "must be one of \(known), got '\(codeName.prefix(64))'")
            }
            message = .reject(Rejection(code: code, message: try reader.string("message")))
        case .lease:
            let ticket = try reader.ticket("ticket")
            let model = try reader.string("model")
            let parameters = try reader.parameters("parameters")
            let seed = try reader.unsigned("seed")
            let dataset = try reader.string("dataset")
            let timeout = try reader.signed("timeoutMilliseconds")
            guard timeout > 0 else {
                throw .invalidField(message: tag.messageName, field: "timeoutMilliseconds", detail: "must be positive, got \(timeout)")
            }
            message = .lease(
                TrialLease(
                    ticket: ticket, config: TrialConfig(model: model, parameters: parameters, seed: seed), dataset: dataset,
                    timeout: .milliseconds(timeout)))
        case .cancel:
            let ticket = try reader.ticket("ticket")
            message = .cancel(ticket, reason: try reader.string("reason"))
        case .confirm:
            message = .confirm(try reader.tickets("tickets"))
        case .coordinatorHeartbeat:
            message = .heartbeat
        case .shutdown:
            message = .shutdown
        case .hello, .heartbeat, .progress, .result, .failure, .goodbye, .reattach:
            throw .wrongDirection(message: tag.messageName, expected: "coordinator → worker")
        }
        try reader.finish()
        try validate(message)
        return message
    }

    // MARK: Framing

    private func checkedSize(_ bytes: [UInt8], _ name: String) throws(WireError) -> [UInt8] {
        guard bytes.count <= limits.maxFrameBytes else {
            throw .unencodable(
                message: name, detail: "the frame would be \(bytes.count) bytes, over the limit of \(limits.maxFrameBytes)")
        }
        return bytes
    }

    private func header(of frame: some Collection<UInt8>) throws(WireError) -> (WireTag, [UInt8]) {
        let count = frame.count
        guard count <= limits.maxFrameBytes else { throw .frameTooLarge(byteCount: count, limit: limits.maxFrameBytes) }
        guard count >= 2 else { throw .truncatedFrame(byteCount: count) }
        let bytes = Array(frame)
        guard bytes[0] == Self.frameVersion else { throw .unsupportedFrameVersion(bytes[0], supported: Self.frameVersion) }
        guard let tag = WireTag(rawValue: bytes[1]) else { throw .unknownMessageType(tag: bytes[1]) }
        return (tag, bytes)
    }
}

// MARK: Composite fields

extension WireWriter {
    mutating func header(_ tag: WireTag) {
        byte(WireCodec.frameVersion)
        byte(tag.rawValue)
    }

    mutating func ticket(_ ticket: LeaseTicket) {
        string(ticket.trial.rawValue)
        int(ticket.attempt)
        unsigned(ticket.epoch.rawValue)
    }

    mutating func tickets(_ tickets: [LeaseTicket]) {
        unsigned(UInt64(tickets.count))
        for element in tickets { ticket(element) }
    }

    mutating func hello(_ hello: WorkerHello) {
        int(hello.protocolVersion)
        string(hello.workerID.rawValue)
        string(hello.host)
        string(hello.version)
        int(hello.slots)
        strings(hello.models)
        int(hello.pid)
        string(hello.session)
    }

    mutating func parameters(_ parameters: [String: ParameterValue]) {
        unsigned(UInt64(parameters.count))
        for name in parameters.keys.sorted() {
            string(name)
            switch parameters[name]! {
            case .int(let value):
                byte(0)
                int(value)
            case .double(let value):
                byte(1)
                double(value)
            case .string(let value):
                byte(2)
                string(value)
            case .bool(let value):
                byte(3)
                bool(value)
            }
        }
    }
}

extension WireReader {
    mutating func ticket(_ field: String) throws(WireError) -> LeaseTicket {
        let trial = try string("\(field).trial")
        let attempt = try int("\(field).attempt")
        return LeaseTicket(trial: TrialID(rawValue: trial), attempt: attempt, epoch: LeaseEpoch(try unsigned("\(field).epoch")))
    }

    mutating func tickets(_ field: String) throws(WireError) -> [LeaseTicket] {
        let count = try count(field)
        var tickets: [LeaseTicket] = []
        tickets.reserveCapacity(count)
        for index in 0..<count { tickets.append(try ticket("\(field)[\(index)]")) }
        return tickets
    }

    mutating func hello(_ prefix: String) throws(WireError) -> WorkerHello {
        let protocolVersion = try int("\(prefix)protocolVersion")
        let workerID = try string("\(prefix)workerID")
        let host = try string("\(prefix)host")
        let version = try string("\(prefix)version")
        let slots = try int("\(prefix)slots")
        let models = try strings("\(prefix)models")
        let pid = try int("\(prefix)pid")
        let session = try string("\(prefix)session")
        return WorkerHello(
            protocolVersion: protocolVersion, workerID: WorkerID(workerID), host: host, version: version, slots: slots,
            models: models, pid: pid, session: session)
    }

    /// Parameters: names strictly ascending (no duplicates), each value a type byte and the value.
    mutating func parameters(_ field: String) throws(WireError) -> [String: ParameterValue] {
        let count = try count(field)
        var parameters: [String: ParameterValue] = Dictionary(minimumCapacity: count)
        var previous: String?
        for _ in 0..<count {
            let name = try string("\(field) name")
            if let previous, !(previous < name) {
                throw malformed(field, "names must be unique and in ascending order ('\(name.prefix(64))' after '\(previous.prefix(64))')")
            }
            let path = "\(field).\(name.prefix(64))"
            switch try byte(path) {
            case 0: parameters[name] = .int(try int(path))
            case 1: parameters[name] = .double(try double(path))
            case 2: parameters[name] = .string(try string(path))
            case 3: parameters[name] = .bool(try bool(path))
            case let other: throw malformed(path, "unknown value type \(other) (0 int, 1 double, 2 string, 3 bool)")
            }
            previous = name
        }
        return parameters
    }
}
