import Testing

@testable import SweepRuntime

@Suite("Coordinator log lines")
struct CoordinatorLogTests {
    @Test func peerSuppliedTextCannotGarbleTheTerminal() {
        // A random ZeroMQ routing id (leading 0x00, then random bytes) decoded as UTF-8.
        let routingID = String(decoding: [0x00, 0x6B, 0xE9, 0x1B, 0x45], as: UTF8.self)
        #expect(ProcessLog.printable("rejected hello from \(routingID)") == "rejected hello from \\u{0}k\\u{fffd}\\u{1b}E")
        #expect(ProcessLog.printable("worker local-1 lost: silent for 3 s, «ok»") == "worker local-1 lost: silent for 3 s, «ok»")
    }
}
