import Sweep

// The JSON shapes of the payloads. They are the wire format: field names and meanings never
// change within one framing version; new optional fields may be added (decoders ignore unknown
// keys). Durations travel as whole milliseconds, lease tickets as flat objects, parameter values
// as one-key objects (`{"double":0.01}`) so an integer never turns into a double.

struct TicketPayload: Codable {
    var trial: String
    var attempt: Int
    var epoch: UInt64

    init(_ ticket: LeaseTicket) {
        trial = ticket.trial.rawValue
        attempt = ticket.attempt
        epoch = ticket.epoch.rawValue
    }

    var value: LeaseTicket { LeaseTicket(trial: TrialID(rawValue: trial), attempt: attempt, epoch: LeaseEpoch(epoch)) }
}

struct HelloPayload: Codable {
    var protocolVersion: Int
    var workerID: String
    var host: String
    var version: String
    var slots: Int
    var models: [String]
    var pid: Int

    init(_ hello: WorkerHello) {
        protocolVersion = hello.protocolVersion
        workerID = hello.workerID.rawValue
        host = hello.host
        version = hello.version
        slots = hello.slots
        models = hello.models
        pid = hello.pid
    }

    var value: WorkerHello {
        WorkerHello(
            protocolVersion: protocolVersion, workerID: WorkerID(workerID), host: host, version: version, slots: slots,
            models: models, pid: pid)
    }
}

struct HeartbeatPayload: Codable {
    var running: [TicketPayload]
    var slots: Int
}

struct ProgressPayload: Codable {
    var ticket: TicketPayload
    var epoch: Int
    var totalEpochs: Int?
    var values: [String: Double]
}

struct ResultPayload: Codable {
    var ticket: TicketPayload
    var values: [String: Double]
    var timings: [String: Double]
}

struct FailurePayload: Codable {
    var ticket: TicketPayload
    /// `FailureKind.rawValue`: `infrastructure` or `deterministic`.
    var kind: String
    var message: String
}

struct GoodbyePayload: Codable {
    var returning: [TicketPayload]
}

struct ReattachPayload: Codable {
    var hello: HelloPayload
    var running: [TicketPayload]
}

struct WelcomePayload: Codable {
    var heartbeatIntervalMilliseconds: Int64
    var liveness: Int
}

struct RejectPayload: Codable {
    /// `Rejection.Code.rawValue`.
    var code: String
    var message: String
}

struct LeasePayload: Codable {
    var ticket: TicketPayload
    var model: String
    var parameters: [String: ParameterPayload]
    var seed: UInt64
    var dataset: String
    var timeoutMilliseconds: Int64
}

struct CancelPayload: Codable {
    var ticket: TicketPayload
    var reason: String
}

/// Messages without fields travel as `{}`.
struct EmptyPayload: Codable {}

/// A `ParameterValue` as a one-key object: `{"int":3}`, `{"double":0.5}`, `{"string":"x"}`, `{"bool":true}`.
struct ParameterPayload: Codable {
    var value: ParameterValue

    init(_ value: ParameterValue) { self.value = value }

    private enum Key: String, CodingKey, CaseIterable {
        case int, double, string, bool
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "a parameter value is an object with exactly one of the keys int, double, string, bool"
                ))
        }
        switch key {
        case .int: value = .int(try container.decode(Int.self, forKey: key))
        case .double: value = .double(try container.decode(Double.self, forKey: key))
        case .string: value = .string(try container.decode(String.self, forKey: key))
        case .bool: value = .bool(try container.decode(Bool.self, forKey: key))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch value {
        case .int(let int): try container.encode(int, forKey: .int)
        case .double(let double): try container.encode(double, forKey: .double)
        case .string(let string): try container.encode(string, forKey: .string)
        case .bool(let bool): try container.encode(bool, forKey: .bool)
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded toward zero and clamped to `Int64`.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflowAgain) = milliseconds.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflowAgain { return seconds < 0 ? .min : .max }
        return total
    }
}
