import ParameterSpecs
import Sweep
import SweepWire
import Testing

/// A deterministic discrete-event simulation of one coordinator and several workers: the real
/// `CoordinatorCore` and `WorkerCore`s exchange real frames (`WireCodec`) over an in-memory network
/// with latency, a simulated trainer runs leases, and crashes are injected at chosen points.
///
/// - **The coordinator shell is modelled as the real one works** (`CoordinatorService`): all
///   coordinator-bound events due at the same instant form one batch handed to the core at once;
///   the batch's `persist` commands are committed together (one transaction), and only then are
///   its messages sent, as one multipart message per connection.
/// - **A coordinator crash** happens at batch boundaries that persist something: before the k-th
///   such batch commits (it is lost, and nothing of it was sent), or after it commits and before
///   its sends (`coordinatorCrashAfterCommit`). Messages to the dead coordinator are dropped, and
///   after `coordinatorRestartDelay` a new core loads `initial.applying(persisted)`.
/// - **Connections**: each worker connection (a worker process, and each reconnect) has its own
///   id, as routing ids do; messages on a dead connection are dropped.
/// - Checks along the way: a worker receiving a lease, or a confirmation, the store does not
///   know; any frame that fails to encode or decode.
/// - A worker crash happens right after the worker has carried out the actions of its k-th event:
///   its trials die, messages to it are dropped, and after `workerRestartDelay` (if any) a new
///   process with the same id and a new pid (so a new session) connects and says hello.
struct SweepSimulation {
    struct Options {
        var workers: [(id: WorkerID, slots: Int)] = [("w1", 2), ("w2", 1)]
        var latency: Duration = .milliseconds(5)
        var configuration = CoordinatorCore.Configuration()
        /// Crash at the k-th batch that persists something (1-based).
        var coordinatorCrashAtBatch: Int?
        /// `false`: before that batch commits; `true`: after it commits, before its sends.
        var coordinatorCrashAfterCommit = false
        var coordinatorRestartDelay: Duration = .milliseconds(300)
        var workerCrash: (id: WorkerID, afterEvents: Int)?
        /// `nil`: the crashed worker never comes back.
        var workerRestartDelay: Duration? = .seconds(1)
        var timeLimit: Duration = .seconds(900)
    }

    /// The seven trials of the test sweep: six succeed, one diverges (a deterministic failure).
    static func sweep() -> SweepSnapshot {
        let trials = (1...7).map { number in
            var parameters: [String: ParameterValue] = [
                "factors": .int(8 * number), "lr": .double(0.01 * Double(number)),
                "duration_ms": .int(700 + 250 * (number % 4)),
            ]
            if number == 5 { parameters["diverges"] = .bool(true) }
            let config = TrialConfig(model: "mf", parameters: parameters, seed: UInt64(number))
            return TrialRecord(
                id: TrialID(config: config, datasetFingerprint: "sim"), config: config, timeout: .seconds(60))
        }
        return SweepSnapshot(sweepID: "sim-sweep", dataset: "synthetic:sim", trials: trials)
    }

    /// The simulated trainer: duration from `duration_ms`, metrics a pure function of the config.
    enum Trainer {
        static func duration(_ config: TrialConfig) -> Duration {
            .milliseconds(config.parameters["duration_ms"]?.intValue ?? 1000)
        }

        static func outcome(_ config: TrialConfig) -> TrialCompletion {
            if config.parameters["diverges"]?.boolValue == true {
                return .failed(TrialFailure(kind: .deterministic, message: "diverged: loss is NaN at epoch 2"))
            }
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in "\(config.label) seed \(config.seed)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return .finished(
                TrialMetrics(values: ["rmse": 0.8 + Double(hash % 1000) / 10_000, "ndcg@10": Double(hash % 97) / 100]))
        }
    }

    enum Event {
        case workerStart(WorkerID)
        case workerConnected(WorkerID, life: Int)
        case toCoordinator(ConnectionID, [UInt8])
        case toWorker(ConnectionID, [[UInt8]])
        case coordinatorTick(generation: Int, life: Int)
        case coordinatorRestart
        case workerTick(WorkerID, generation: Int, life: Int)
        case trialProgress(WorkerID, LeaseTicket, life: Int)
        case trialDone(WorkerID, LeaseTicket, TrialCompletion, life: Int)

        var isForCoordinator: Bool {
            switch self {
            case .toCoordinator, .coordinatorTick: return true
            default: return false
            }
        }
    }

    struct Scheduled {
        var at: ProtocolInstant
        var sequence: Int
        var event: Event
    }

    struct SimulatedWorker {
        var core: WorkerCore?
        var life = 0
        var wakeGeneration = 0
        var handled = 0
        var pid: Int
        var connections = 0
        var connection: ConnectionID?
        var exited = false
        var restartPending = false
        var cancelled: Set<LeaseTicket> = []
    }

    let options: Options
    let initial: SweepSnapshot
    let codec = WireCodec()
    var now: ProtocolInstant = .zero
    var queue: [Scheduled] = []
    var sequence = 0

    var coordinator: CoordinatorCore?
    var coordinatorLife = 0
    var coordinatorWakeGeneration = 0
    var coordinatorCrashed = false
    var persistingBatches = 0
    var persisted: [StoreCommand] = []
    var summaries: [SweepSummary] = []
    var workers: [WorkerID: SimulatedWorker] = [:]
    var workerOfConnection: [ConnectionID: WorkerID] = [:]
    var workerCrashed = false
    /// Tickets some worker received a lease for (and started or queued).
    var delivered: Set<LeaseTicket> = []
    /// Wire errors and other anomalies; a correct run has none.
    var problems: [String] = []
    var eventsProcessed = 0

    init(options: Options = Options(), initial: SweepSnapshot = SweepSimulation.sweep()) {
        self.options = options
        self.initial = initial
    }

    /// The store's final state.
    var store: SweepSnapshot { initial.applying(persisted) }

    enum Outcome: Hashable {
        case finished(TrialMetrics)
        case failed(TrialFailure)
        case open(TrialState)
    }

    /// Final outcome per trial: the counted metrics of finished trials (from the persisted
    /// `trialFinished` commands: the core keeps no metrics), the failure of failed ones.
    var outcomes: [TrialID: Outcome] {
        var counted: [TrialID: TrialMetrics] = [:]
        for case .trialFinished(let trial, _, let metrics, _) in persisted { counted[trial] = metrics }
        var outcomes: [TrialID: Outcome] = [:]
        for record in store.trials {
            switch record.state {
            case .finished: outcomes[record.id] = counted[record.id].map(Outcome.finished) ?? .open(record.state)
            case .failed(_, let failure): outcomes[record.id] = .failed(failure)
            case .pending, .running, .stopped: outcomes[record.id] = .open(record.state)
            }
        }
        return outcomes
    }

    var isDone: Bool {
        !summaries.isEmpty && coordinator != nil
            && workers.values.allSatisfy { $0.exited || ($0.core == nil && !$0.restartPending) }
    }

    mutating func run() {
        coordinator = CoordinatorCore(configuration: options.configuration)
        coordinatorBatch([.storeLoaded(initial)])
        for (offset, worker) in options.workers.enumerated() {
            workers[worker.id] = SimulatedWorker(pid: 1000 + offset * 100)
            schedule(after: .milliseconds(10 * offset), .workerStart(worker.id))
        }
        while !isDone, let next = popEarliest() {
            guard next.at.offset <= options.timeLimit else {
                problems.append("time limit reached at \(next.at)")
                return
            }
            now = max(now, next.at)
            eventsProcessed += 1
            if next.event.isForCoordinator {
                // The shell's poll round: everything for the coordinator due now, as one batch.
                var batch = [next.event]
                while let index = queue.indices.filter({ queue[$0].at <= now && queue[$0].event.isForCoordinator })
                    .min(by: { queue[$0].sequence < queue[$1].sequence })
                {
                    batch.append(queue.remove(at: index).event)
                    eventsProcessed += 1
                }
                processCoordinatorBatch(batch)
            } else {
                process(next.event)
            }
        }
    }

    // MARK: Event loop

    mutating func schedule(after delay: Duration, _ event: Event) { schedule(at: now + delay, event) }

    mutating func schedule(at instant: ProtocolInstant, _ event: Event) {
        sequence += 1
        queue.append(Scheduled(at: max(instant, now), sequence: sequence, event: event))
    }

    mutating func popEarliest() -> Scheduled? {
        guard
            let index = queue.indices.min(by: {
                (queue[$0].at, queue[$0].sequence) < (queue[$1].at, queue[$1].sequence)
            })
        else { return nil }
        return queue.remove(at: index)
    }

    mutating func processCoordinatorBatch(_ batch: [Event]) {
        guard coordinator != nil else { return }
        var events: [CoordinatorEvent] = []
        for event in batch {
            switch event {
            case .toCoordinator(let connection, let frame):
                do throws(WireError) {
                    events.append(.workerMessage(Peer(connection: connection), try codec.decodeWorkerMessage(frame)))
                } catch {
                    problems.append("coordinator could not decode a frame from \(connection): \(error)")
                }
            case .coordinatorTick(let generation, let life):
                if life == coordinatorLife, generation == coordinatorWakeGeneration { events.append(.tick) }
            default:
                break
            }
        }
        if !events.isEmpty { coordinatorBatch(events) }
    }

    mutating func process(_ event: Event) {
        switch event {
        case .workerStart(let id):
            let slots = options.workers.first { $0.id == id }!.slots
            let pid = workers[id]!.pid
            let hello = WorkerHello(
                workerID: id, host: "sim", version: "test", slots: slots, models: ["mf"], pid: pid,
                session: "session-\(id)-\(pid)")
            workers[id]!.core = WorkerCore(configuration: WorkerCore.Configuration(hello: hello))
            workers[id]!.restartPending = false
            openConnection(id)
            workerHandle(id, [.connected])
        case .workerConnected(let id, let life):
            guard workers[id]?.life == life else { return }
            openConnection(id)
            workerHandle(id, [.connected])
        case .toWorker(let connection, let frames):
            guard let id = workerOfConnection[connection], workers[id]?.connection == connection else { return }
            var events: [WorkerEvent] = []
            for frame in frames {
                do throws(WireError) {
                    let message = try codec.decodeCoordinatorMessage(frame)
                    switch message {
                    case .lease(let lease):
                        if !persisted.contains(.trialLeased(lease.ticket, worker: id)) {
                            problems.append("worker \(id) received lease \(lease.ticket), which the store does not know")
                        }
                        delivered.insert(lease.ticket)
                    case .confirm(let tickets):
                        for ticket in tickets where !isDurablyAnswered(ticket, by: id) {
                            problems.append("worker \(id) got a confirmation of \(ticket), which the store does not know")
                        }
                    default:
                        break
                    }
                    events.append(.coordinatorMessage(message))
                } catch {
                    problems.append("worker \(id) could not decode a frame: \(error)")
                }
            }
            workerHandle(id, events)
        case .workerTick(let id, let generation, let life):
            guard workers[id]?.life == life, workers[id]?.wakeGeneration == generation else { return }
            workerHandle(id, [.tick])
        case .trialProgress(let id, let ticket, let life):
            guard workers[id]?.life == life, workers[id]?.cancelled.contains(ticket) == false else { return }
            workerHandle(id, [.trialProgress(ticket, TrialProgress(epoch: 1, totalEpochs: 2, values: ["loss": 0.5]))])
        case .trialDone(let id, let ticket, let completion, let life):
            guard workers[id]?.life == life, workers[id]?.cancelled.contains(ticket) == false else { return }
            workerHandle(id, [.trialCompleted(ticket, completion)])
        case .coordinatorRestart:
            coordinatorLife += 1
            coordinator = CoordinatorCore(configuration: options.configuration)
            coordinatorBatch([.storeLoaded(initial.applying(persisted))])
        case .toCoordinator, .coordinatorTick:
            processCoordinatorBatch([event])
        }
    }

    /// Whether the store holds an answer (a result, failure or duplicate) for `ticket` from `id`.
    func isDurablyAnswered(_ ticket: LeaseTicket, by id: WorkerID) -> Bool {
        persisted.contains { command in
            switch command {
            case .trialFinished(ticket.trial, ticket.attempt, _, id), .duplicateResult(ticket, id, _): return true
            case .trialFailed(ticket.trial, ticket.attempt, _, _): return true
            default: return false
            }
        }
    }

    mutating func openConnection(_ id: WorkerID) {
        workers[id]!.connections += 1
        let connection = ConnectionID("\(id)/\(workers[id]!.life)/\(workers[id]!.connections)")
        workers[id]!.connection = connection
        workerOfConnection[connection] = id
    }

    // MARK: Shells

    /// The coordinator shell: one batch in, commit its persists, then send its messages.
    mutating func coordinatorBatch(_ events: [CoordinatorEvent]) {
        guard var core = coordinator else { return }
        let actions = core.handle(events, now: now)
        coordinator = core
        var commands: [StoreCommand] = []
        var outgoing: [ConnectionID: [[UInt8]]] = [:]
        var order: [ConnectionID] = []
        var wakeUp: ProtocolInstant?
        for action in actions {
            switch action {
            case .send(let connection, let message):
                do throws(WireError) {
                    let frame = try codec.encode(message)
                    if outgoing[connection] == nil { order.append(connection) }
                    outgoing[connection, default: []].append(frame)
                } catch {
                    problems.append("coordinator could not encode \(message.kind): \(error)")
                }
            case .persist(let command):
                commands.append(command)
            case .scheduleWakeUp(let instant):
                wakeUp = instant
            case .log:
                break
            case .sweepFinished(let summary):
                summaries.append(summary)
            }
        }
        if !commands.isEmpty {
            persistingBatches += 1
            if !coordinatorCrashed, !options.coordinatorCrashAfterCommit,
                persistingBatches == options.coordinatorCrashAtBatch
            {
                return crashCoordinator()
            }
            persisted += commands
            if !coordinatorCrashed, options.coordinatorCrashAfterCommit,
                persistingBatches == options.coordinatorCrashAtBatch
            {
                return crashCoordinator()
            }
        }
        for connection in order {
            schedule(after: options.latency, .toWorker(connection, outgoing[connection]!))
        }
        if let wakeUp {
            coordinatorWakeGeneration += 1
            schedule(at: wakeUp, .coordinatorTick(generation: coordinatorWakeGeneration, life: coordinatorLife))
        }
    }

    mutating func crashCoordinator() {
        coordinatorCrashed = true
        coordinator = nil
        schedule(after: options.coordinatorRestartDelay, .coordinatorRestart)
    }

    mutating func workerHandle(_ id: WorkerID, _ events: [WorkerEvent]) {
        guard var core = workers[id]?.core else { return }
        let actions = core.handle(events, now: now)
        workers[id]!.core = core
        workers[id]!.handled += 1
        let life = workers[id]!.life
        for action in actions {
            switch action {
            case .send(let message):
                do throws(WireError) {
                    if let connection = workers[id]!.connection {
                        schedule(after: options.latency, .toCoordinator(connection, try codec.encode(message)))
                    }
                } catch {
                    problems.append("worker \(id) could not encode \(message.kind): \(error)")
                }
            case .startTrial(let lease):
                let duration = Trainer.duration(lease.config)
                schedule(after: duration / 2, .trialProgress(id, lease.ticket, life: life))
                schedule(after: duration, .trialDone(id, lease.ticket, Trainer.outcome(lease.config), life: life))
            case .cancelTrial(let ticket):
                workers[id]!.cancelled.insert(ticket)
            case .reconnect:
                workers[id]!.connection = nil
                schedule(after: .milliseconds(50), .workerConnected(id, life: life))
            case .scheduleWakeUp(let instant):
                workers[id]!.wakeGeneration += 1
                schedule(at: instant, .workerTick(id, generation: workers[id]!.wakeGeneration, life: life))
            case .log:
                break
            case .exit:
                workers[id]!.exited = true
            }
        }
        if !workerCrashed, let crash = options.workerCrash, crash.id == id, workers[id]!.handled == crash.afterEvents {
            workerCrashed = true
            workers[id]!.core = nil
            workers[id]!.connection = nil
            workers[id]!.life += 1
            workers[id]!.exited = false
            workers[id]!.pid += 1
            if let delay = options.workerRestartDelay {
                workers[id]!.restartPending = true
                schedule(after: delay, .workerStart(id))
            }
        }
    }
}
