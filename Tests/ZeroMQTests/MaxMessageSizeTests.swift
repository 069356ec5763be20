import Foundation
import Testing
import ZeroMQ

@Suite("ZMQ_MAXMSGSIZE")
struct MaxMessageSizeTests {
    @Test func oversizedMessageDisconnectsTheSenderOverTCP() throws {
        let context = try ZMQContext()
        let receiver = try makeTestSocket(context, .pull)
        try receiver.setMaxMessageSize(1024)
        #expect(try receiver.maxMessageSize == 1024)
        let endpoint = try bindEphemeralTCP(receiver)

        let sender = try makeTestSocket(context, .push)
        // Queue only to live connections and never reconnect, so a dropped connection is visible
        // to the sender as "no peer": a non-blocking send then returns false.
        try sender.setImmediate(true)
        try sender.setReconnectInterval(nil)
        try sender.connect(endpoint)

        // Within the limit: delivered (the blocking send also waits for the connection).
        #expect(try sender.send([UInt8](repeating: 1, count: 1024)))
        #expect(try receiver.receive()?.count == 1024)

        // Over the limit: the receiver drops the connection and never sees the message.
        #expect(try sender.send([UInt8](repeating: 2, count: 4096)))
        try receiver.setReceiveTimeout(.milliseconds(300))
        #expect(try receiver.receive() == nil)

        let clock = ContinuousClock()
        let deadline = clock.now + testTimeout
        var disconnected = false
        while !disconnected && clock.now < deadline {
            disconnected = try sender.send([3], flags: .dontWait) == false
            if !disconnected { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(disconnected, "the sender still had a connection after sending an oversized message")
        #expect(try receiver.receive(flags: .dontWait) == nil)
    }

    @Test func unlimitedByDefault() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .pull)
        #expect(try socket.maxMessageSize == nil)
        try socket.setMaxMessageSize(10)
        try socket.setMaxMessageSize(nil)
        #expect(try socket.maxMessageSize == nil)
    }
}
