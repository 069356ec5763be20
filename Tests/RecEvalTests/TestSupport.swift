import Testing

/// |a − b| ≤ tolerance, treating two NaNs as equal.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return abs(a - b) <= tolerance
}

func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tolerance) }
}
