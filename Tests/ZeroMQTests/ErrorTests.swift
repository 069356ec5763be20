import Testing
@testable import ZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Errors")
struct ErrorTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:not-a-port", ZMQError.Kind.invalidArgument, "Invalid argument"),
        ("tcp://127.0.0.1", ZMQError.Kind.invalidArgument, "Invalid argument"),
        ("bogus://somewhere", ZMQError.Kind.protocolNotSupported, "Protocol not supported"),
        ("no-transport-at-all", ZMQError.Kind.invalidArgument, "Invalid argument"),
    ])
    func invalidEndpointNamesOperationAndReason(endpoint: String, kind: ZMQError.Kind, reason: String) throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .rep)
        let error = #expect(throws: ZMQError.self) { try socket.bind(endpoint) }
        #expect(error?.kind == kind)
        #expect(error?.operation == "zmq_bind(\"\(endpoint)\")")
        #expect(error?.message == reason)
        #expect(error?.description.contains("zmq_bind(\"\(endpoint)\")") == true)
        #expect(error?.description.contains(reason) == true)
        #expect(error?.description.contains("errno \(error?.code ?? 0)") == true)
        #expect(error?.isRetryable == false)
    }

    @Test func bindingAnEndpointTwiceIsAddressInUse() throws {
        let context = try ZMQContext()
        let first = try makeTestSocket(context, .rep)
        let endpoint = try bindEphemeralTCP(first)
        let second = try makeTestSocket(context, .rep)
        let error = #expect(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error?.kind == .addressInUse)
        #expect(error?.description.contains("Address already in use") == true)
    }

    @Test func timedOutReceiveIsNilNotAnError() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .pull)
        try socket.setReceiveTimeout(.milliseconds(10))
        try socket.bind(uniqueInprocEndpoint())
        #expect(try socket.receive() == nil)
    }

    @Test func closedSocketThrowsSocketClosed() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .pair)
        socket.close(linger: .zero)
        #expect(socket.isClosed)
        socket.close()
        let error = #expect(throws: ZMQError.self) { try socket.send("late") }
        #expect(error?.kind == .socketClosed)
        #expect(error?.description.contains("closed") == true)
        #expect(throws: ZMQError.self) { try socket.bind(uniqueInprocEndpoint()) }
        #expect(throws: ZMQError.self) { try socket.linger }
    }

    @Test func invalidOptionValueNamesTheOption() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .dealer)
        let error = #expect(throws: ZMQError.self) { try socket.setRoutingID([UInt8](repeating: 7, count: 256)) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.operation.contains("ZMQ_ROUTING_ID") == true)
    }

    @Test func retryableAndTerminatedClassification() {
        let wouldBlock = ZMQError(operation: "zmq_msg_recv(PULL)", code: EAGAIN)
        #expect(wouldBlock.kind == .wouldBlock)
        #expect(wouldBlock.isRetryable)
        #expect(!wouldBlock.isContextTerminated)
        let interrupted = ZMQError(operation: "zmq_poll", code: EINTR)
        #expect(interrupted.isRetryable)
        #expect(interrupted.description == "zmq_poll failed: Interrupted system call (errno \(EINTR), EINTR)")
        let invalid = ZMQError(operation: "zmq_bind(\"x\")", code: EINVAL)
        #expect(!invalid.isRetryable)
    }
}
