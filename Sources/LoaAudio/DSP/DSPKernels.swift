/// Inner loops shared by the FIR filters. A plain `acc += x * h` loop is one long dependency
/// chain the compiler may not reorder; eight independent accumulators run ~2× faster in
/// release. Plain scalars rather than SIMD8 because SIMD types are very slow in debug builds,
/// where the tests run.
enum DSPKernels {
    /// Σ x[j]·h[j] for j in 0..<count.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ h: UnsafePointer<Float>, count: Int) -> Float {
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var a4: Float = 0, a5: Float = 0, a6: Float = 0, a7: Float = 0
        var j = 0
        while j + 8 <= count {
            a0 += x[j] * h[j]; a1 += x[j + 1] * h[j + 1]; a2 += x[j + 2] * h[j + 2]; a3 += x[j + 3] * h[j + 3]
            a4 += x[j + 4] * h[j + 4]; a5 += x[j + 5] * h[j + 5]; a6 += x[j + 6] * h[j + 6]; a7 += x[j + 7] * h[j + 7]
            j += 8
        }
        var acc = ((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7))
        while j < count { acc += x[j] * h[j]; j += 1 }
        return acc
    }

    /// Σ x[j]·(h0[j] + w·(h1[j] − h0[j])): a dot product with a row interpolated between two.
    @inline(__always)
    static func interpolatedDot(_ x: UnsafePointer<Float>, _ h0: UnsafePointer<Float>, _ h1: UnsafePointer<Float>,
                                weight: Float, count: Int) -> Float {
        let a = dot(x, h0, count: count), b = dot(x, h1, count: count)
        return a + weight * (b - a)
    }
}
