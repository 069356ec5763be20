import Testing
import ZeroMQ

@Suite("Poller")
struct PollerTests {
    @Test func pollTimesOutWhenNothingIsSent() throws {
        let context = try ZMQContext()
        let receiver = try makeTestSocket(context, .pull)
        let sender = try makeTestSocket(context, .push)
        let endpoint = uniqueInprocEndpoint()
        try receiver.bind(endpoint)
        try sender.connect(endpoint)

        var poller = ZMQPoller()
        poller.register(receiver, for: .readable)
        let clock = ContinuousClock()
        let start = clock.now
        let ready = try poller.poll(timeout: .milliseconds(150))
        let elapsed = clock.now - start
        #expect(ready.isEmpty)
        #expect(elapsed >= .milliseconds(100), "returned early after \(elapsed)")
        #expect(elapsed < testTimeout, "blocked for \(elapsed)")
        #expect(try poller.poll(timeout: .zero).isEmpty)
    }

    @Test func pollReportsTheSocketThatBecameReadable() throws {
        let context = try ZMQContext()
        let quiet = try makeTestSocket(context, .pull)
        let busy = try makeTestSocket(context, .pull)
        let sender = try makeTestSocket(context, .push)
        try quiet.bind(uniqueInprocEndpoint())
        let busyEndpoint = uniqueInprocEndpoint()
        try busy.bind(busyEndpoint)
        try sender.connect(busyEndpoint)

        var poller = ZMQPoller()
        let quietIndex = poller.register(quiet)
        let busyIndex = poller.register(busy, for: .readable)
        #expect(quietIndex == 0 && busyIndex == 1)

        try sender.send("wake up")
        let ready = try poller.poll(timeout: testTimeout)
        #expect(ready.map(\.index) == [busyIndex])
        #expect(ready.first?.events == .readable)
        #expect(ready.first?.socket === busy)
        #expect(try busy.events.contains(.readable))
        #expect(text(try busy.receive(flags: .dontWait)) == "wake up")
        #expect(try poller.poll(timeout: .milliseconds(10)).isEmpty)
    }

    @Test func pollReportsWritableAndStaticPollWorks() throws {
        let context = try ZMQContext()
        let left = try makeTestSocket(context, .pair)
        let right = try makeTestSocket(context, .pair)
        let endpoint = uniqueInprocEndpoint()
        try left.bind(endpoint)
        try right.connect(endpoint)
        let ready = try ZMQPoller.poll([.init(right, [.readable, .writable])], timeout: testTimeout)
        #expect(ready.count == 1)
        #expect(ready.first?.events == .writable)
    }

    @Test func pollingAClosedSocketThrows() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .pull)
        socket.close()
        let error = #expect(throws: ZMQError.self) {
            try ZMQPoller.poll([.init(socket)], timeout: .zero)
        }
        #expect(error?.kind == .socketClosed)
    }
}
