/// SIMD kernels over rows of `Float` whose length is padded to a multiple of ``lanes``.
///
/// Every factor row in this module is stored with ``paddedCount(_:)`` floats and zero padding,
/// so the kernels never need a scalar tail. Each kernel adds in one fixed order, so results are
/// bit-identical for a given build on any machine (Swift does not fuse multiply-adds).
enum VectorKernels {
    /// Floats per SIMD step.
    static let lanes = 8

    /// `count` rounded up to a multiple of ``lanes``.
    @inline(__always)
    static func paddedCount(_ count: Int) -> Int { (count + lanes - 1) / lanes * lanes }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ vector: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>, _ offset: Int) {
        UnsafeMutableRawPointer(pointer + offset).storeBytes(of: vector, as: SIMD8<Float>.self)
    }

    /// Σ a[k]·b[k] over `count` floats (a multiple of ``lanes``), in two interleaved partial sums
    /// (even and odd 8-blocks) to halve the dependency chain.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var even = SIMD8<Float>.zero, odd = SIMD8<Float>.zero
        var k = 0
        while k + 2 * lanes <= count {
            even += load(a, k) * load(b, k)
            odd += load(a, k + lanes) * load(b, k + lanes)
            k += 2 * lanes
        }
        if k < count { even += load(a, k) * load(b, k) }
        return sum(even + odd)
    }

    /// The lanes of `vector` added as a tree (halves, then quarters, then the last pair): three
    /// dependent additions instead of seven.
    @inline(__always)
    static func sum(_ vector: SIMD8<Float>) -> Float {
        let quarters = vector.lowHalf + vector.highHalf
        let pairs = quarters.lowHalf + quarters.highHalf
        return pairs[0] + pairs[1]
    }

    /// y ← y + alpha·x over `count` floats (a multiple of ``lanes``).
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var k = 0
        while k < count {
            store(load(y, k) + a * load(x, k), y, k)
            k += lanes
        }
    }

    /// y ← x + beta·y over `count` floats (a multiple of ``lanes``).
    @inline(__always)
    static func xpby(_ x: UnsafePointer<Float>, _ beta: Float, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let b = SIMD8<Float>(repeating: beta)
        var k = 0
        while k < count {
            store(load(x, k) + b * load(y, k), y, k)
            k += lanes
        }
    }
}
