import Foundation
import Testing
import ZeroMQ

@Suite("Context and version")
struct ContextTests {
    @Test func versionIsTheLinkedLibzmq() {
        let version = ZMQ.version
        #expect(version >= ZMQ.Version(major: 4, minor: 2, patch: 0))
        #expect(version.description == "\(version.major).\(version.minor).\(version.patch)")
    }

    @Test func ioThreadsAreConfigurable() throws {
        #expect(try ZMQContext(ioThreads: 2).ioThreads == 2)
        #expect(try ZMQContext().ioThreads == 1)
        #expect(throws: ZMQError.self) { try ZMQContext(ioThreads: -1) }
    }

    @Test func shutdownFromAnotherThreadEndsABlockedReceiveWithETERM() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)
        try socket.setLinger(.zero)
        // A safety net only: if shutdown did not interrupt, receive returns nil and the test fails.
        try socket.setReceiveTimeout(.seconds(5))
        try socket.bind(uniqueInprocEndpoint())

        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.1)
            context.shutdown()
        }
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: ZMQError.self) { try socket.receive() }
        #expect(error?.isContextTerminated == true)
        #expect(error?.kind == .contextTerminated)
        #expect(error?.isRetryable == false)
        #expect(clock.now - start < .seconds(4))
        // After shutdown every call but close fails with ETERM.
        #expect(throws: ZMQError.self) { try context.socket(.push) }
        socket.close()
    }
}
