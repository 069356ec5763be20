import RecNN
import Testing

@Suite("Learning-rate schedule")
struct ScheduleTests {
    /// Warm-up 10, total 110, final 0.1, peak 1: p = (s − 10) / 100.
    @Test func cosineValues() {
        let schedule = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 110, final: 0.1, decay: .cosine)
        #expect(schedule.rate(at: 0) == 0.1)
        #expect(schedule.rate(at: 4) == 0.5)
        #expect(schedule.rate(at: 9) == 1)
        #expect(schedule.rate(at: 10) == 1)
        // p = 0.25: 0.1 + 0.9 · (1 + cos(π/4)) / 2 = 0.868198.
        #expect(abs(schedule.rate(at: 35) - 0.868_198) < 1e-6)
        // p = 0.5: 0.1 + 0.9 / 2.
        #expect(abs(schedule.rate(at: 60) - 0.55) < 1e-6)
        #expect(abs(schedule.rate(at: 109) - 0.1) < 1e-3)
        #expect(schedule.rate(at: 110) == 0.1)
        #expect(schedule.rate(at: 10_000) == 0.1)
    }

    @Test func linearAndConstantValues() {
        let linear = LearningRateSchedule(peak: 0.01, warmupSteps: 0, totalSteps: 100, final: 0, decay: .linear)
        #expect(linear.rate(at: 0) == 0.01)
        #expect(abs(linear.rate(at: 25) - 0.0075) < 1e-9)
        #expect(abs(linear.rate(at: 99) - 0.0001) < 1e-9)
        #expect(linear.rate(at: 100) == 0)
        let constant = LearningRateSchedule(peak: 0.5, warmupSteps: 2, totalSteps: 10, decay: .constant)
        #expect([0, 1, 2, 9, 50].map { constant.rate(at: $0) } == [0.25, 0.5, 0.5, 0.5, 0.5])
    }
}
