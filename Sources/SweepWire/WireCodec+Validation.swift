import Sweep

// Field checks shared by encoding and decoding: the same `WireLimits` bound both directions.

extension WireCodec {
    func validate(_ message: WorkerMessage) throws(WireError) {
        let check = FieldCheck(limits: limits, message: message.kind)
        switch message {
        case .hello(let hello):
            try check.hello(hello, "")
        case .heartbeat(let running, let slots):
            try check.tickets(running, "running")
            try check.range(slots, 0...limits.maxSlots, "slots")
        case .progress(let ticket, let progress):
            try check.ticket(ticket, "ticket")
            try check.range(progress.epoch, 0...Int.max, "epoch")
            if let total = progress.totalEpochs { try check.range(total, 0...Int.max, "totalEpochs") }
            try check.numbers(progress.values, "values")
        case .result(let ticket, let metrics):
            try check.ticket(ticket, "ticket")
            try check.numbers(metrics.values, "values")
            try check.numbers(metrics.timings, "timings")
        case .failure(let ticket, let failure):
            try check.ticket(ticket, "ticket")
            try check.text(failure.message, "message")
        case .goodbye(let returning):
            try check.tickets(returning, "returning")
        case .reattach(let hello, let running, _):
            try check.hello(hello, "hello.")
            try check.tickets(running, "running")
        }
    }

    func validate(_ message: CoordinatorMessage) throws(WireError) {
        let check = FieldCheck(limits: limits, message: message.kind)
        switch message {
        case .welcome(let interval, let liveness):
            try check.duration(interval, "heartbeatIntervalMilliseconds")
            try check.range(liveness, 1...1000, "liveness")
        case .reject(let rejection):
            try check.text(rejection.message, "message")
        case .lease(let lease):
            try check.ticket(lease.ticket, "ticket")
            try check.identifier(lease.config.model, "model")
            try check.count(lease.config.parameters.count, "parameters")
            for (name, value) in lease.config.parameters {
                try check.identifier(name, "parameters")
                if case .string(let text) = value { try check.text(text, "parameters.\(name)") }
            }
            try check.text(lease.dataset, "dataset")
            try check.duration(lease.timeout, "timeoutMilliseconds")
        case .cancel(let ticket, let reason):
            try check.ticket(ticket, "ticket")
            try check.text(reason, "reason")
        case .confirm(let tickets):
            try check.tickets(tickets, "tickets")
        case .heartbeat, .shutdown:
            break
        }
    }
}

/// Checks one message's fields against the limits; errors name the message and the field.
struct FieldCheck {
    let limits: WireLimits
    let message: String

    func identifier(_ value: String, _ field: String) throws(WireError) {
        let size = value.utf8.count
        guard size > 0 else { throw .invalidField(message: message, field: field, detail: "must not be empty") }
        guard size <= limits.maxIdentifierBytes else {
            throw .fieldTooLarge(message: message, field: field, size: size, limit: limits.maxIdentifierBytes)
        }
    }

    func text(_ value: String, _ field: String) throws(WireError) {
        let size = value.utf8.count
        guard size <= limits.maxTextBytes else {
            throw .fieldTooLarge(message: message, field: field, size: size, limit: limits.maxTextBytes)
        }
    }

    func count(_ count: Int, _ field: String) throws(WireError) {
        guard count <= limits.maxCollectionCount else {
            throw .fieldTooLarge(message: message, field: field, size: count, limit: limits.maxCollectionCount)
        }
    }

    func range(_ value: Int, _ range: ClosedRange<Int>, _ field: String) throws(WireError) {
        guard range.contains(value) else {
            let upper = range.upperBound == .max ? "" : "\(range.upperBound)"
            throw .invalidField(
                message: message, field: field, detail: "must be in \(range.lowerBound)…\(upper), got \(value)")
        }
    }

    func duration(_ value: Duration, _ field: String) throws(WireError) {
        guard value >= .milliseconds(1), value <= limits.maxDuration else {
            throw .invalidField(
                message: message, field: field,
                detail: "must be between 1 ms and \(limits.maxDuration), got \(value)")
        }
    }

    func ticket(_ ticket: LeaseTicket, _ field: String) throws(WireError) {
        try identifier(ticket.trial.rawValue, "\(field).trial")
        try range(ticket.attempt, 1...limits.maxAttempt, "\(field).attempt")
        guard ticket.epoch.rawValue >= 1 else {
            throw .invalidField(message: message, field: "\(field).epoch", detail: "must be at least 1, got 0")
        }
    }

    func tickets(_ tickets: [LeaseTicket], _ field: String) throws(WireError) {
        try count(tickets.count, field)
        for (index, element) in tickets.enumerated() { try ticket(element, "\(field)[\(index)]") }
    }

    func numbers(_ values: [String: Double], _ field: String) throws(WireError) {
        try count(values.count, field)
        for name in values.keys { try identifier(name, "\(field) key") }
    }

    func hello(_ hello: WorkerHello, _ prefix: String) throws(WireError) {
        try identifier(hello.workerID.rawValue, "\(prefix)workerID")
        try identifier(hello.host, "\(prefix)host")
        try identifier(hello.version, "\(prefix)version")
        try range(hello.slots, 0...limits.maxSlots, "\(prefix)slots")
        try count(hello.models.count, "\(prefix)models")
        for (index, model) in hello.models.enumerated() { try identifier(model, "\(prefix)models[\(index)]") }
        try range(hello.pid, 0...Int.max, "\(prefix)pid")
        try identifier(hello.session, "\(prefix)session")
    }
}
