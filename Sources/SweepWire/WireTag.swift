/// The message-type byte of a frame. Worker messages use 0x01…0x7F and coordinator messages
/// 0x81…0xFF, so a frame sent the wrong way is recognised as such. Values are part of the wire
/// format: never renumber, only add.
enum WireTag: UInt8, CaseIterable {
    case hello = 0x01
    case heartbeat = 0x02
    case progress = 0x03
    case result = 0x04
    case failure = 0x05
    case goodbye = 0x06
    case reattach = 0x07

    case welcome = 0x81
    case reject = 0x82
    case lease = 0x83
    case cancel = 0x84
    case coordinatorHeartbeat = 0x85
    case shutdown = 0x86
    case confirm = 0x87

    var isWorkerMessage: Bool { rawValue < 0x80 }

    /// The message's name as `WorkerMessage.kind` / `CoordinatorMessage.kind` spell it.
    var messageName: String {
        switch self {
        case .hello: return "hello"
        case .heartbeat, .coordinatorHeartbeat: return "heartbeat"
        case .progress: return "progress"
        case .result: return "result"
        case .failure: return "failure"
        case .goodbye: return "goodbye"
        case .reattach: return "reattach"
        case .welcome: return "welcome"
        case .reject: return "reject"
        case .lease: return "lease"
        case .cancel: return "cancel"
        case .shutdown: return "shutdown"
        case .confirm: return "confirm"
        }
    }
}
