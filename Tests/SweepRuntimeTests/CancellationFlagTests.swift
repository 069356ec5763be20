import Foundation
import Testing

@testable import SweepRuntime

@Suite("Cancellation flag")
struct CancellationFlagTests {
    @Test func waitingRunsOutWhenNobodyCancels() {
        let flag = CancellationFlag()
        let start = ContinuousClock.now
        #expect(!flag.wait(for: .milliseconds(30)))
        #expect(ContinuousClock.now - start >= .milliseconds(30))
        #expect(!flag.isCancelled)
    }

    @Test func cancelWakesAWaiterLongBeforeItsDeadline() {
        let flag = CancellationFlag()
        let waker = Thread { Thread.sleep(forTimeInterval: 0.05); flag.cancel() }
        let start = ContinuousClock.now
        waker.start()
        #expect(flag.wait(for: .seconds(60)))
        #expect(ContinuousClock.now - start < .seconds(30), "woken by cancel, not by the 60 s deadline")
        #expect(flag.isCancelled && flag.wait(for: .seconds(60)), "a cancelled flag returns at once")
    }
}
