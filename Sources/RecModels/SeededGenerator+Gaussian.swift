internal import Foundation
internal import RecData

extension SeededGenerator {
    /// Two independent standard normal draws by Box–Muller from two ``nextUnit()`` draws.
    mutating func nextGaussianPair() -> (Double, Double) {
        let u1 = 1 - nextUnit()  // (0, 1]: log stays finite
        let u2 = nextUnit()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }

    /// Shuffles `order` in place with the same Fisher–Yates walk as ``shuffle(_:)``, over a
    /// buffer and inside this module so that per-epoch shuffles are specialised, not dispatched.
    mutating func shuffle<Element>(_ order: UnsafeMutableBufferPointer<Element>) {
        guard order.count > 1 else { return }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, next(below: i + 1))
        }
    }
}
