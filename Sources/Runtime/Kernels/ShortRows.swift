/// Copies and zero fills of a few floats, the rows and padding columns of small planes, done inline.
///
/// The optimiser turns a plain element loop back into a call to memset or memmove, and at these sizes the call
/// costs more than the work: the phase-plane copy of a 14×14 conv made 7,000 calls to memset for 4 bytes each,
/// a tenth of the conv's time. Short tails are written as unrolled stores, which it leaves alone.
enum ShortRows {
    /// Sets `count` floats at `p` to zero.
    @inline(__always)
    static func zero(_ p: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 8 <= count {
            UnsafeMutableRawPointer(p + i).storeBytes(of: SIMD8<Float>(), as: SIMD8<Float>.self)
            i &+= 8
        }
        let left = count &- i
        if left >= 4 {
            UnsafeMutableRawPointer(p + i).storeBytes(of: SIMD4<Float>(), as: SIMD4<Float>.self)
            i &+= 4
        }
        if count &- i >= 2 {
            UnsafeMutableRawPointer(p + i).storeBytes(of: SIMD2<Float>(), as: SIMD2<Float>.self)
            i &+= 2
        }
        if i < count { p[i] = 0 }
    }

    /// Copies `count` floats from `from` to `to` (not overlapping), eight at a time.
    @inline(__always)
    static func copy(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 8 <= count {
            UnsafeMutableRawPointer(to + i).storeBytes(of: UnsafeRawPointer(from + i).loadUnaligned(as: SIMD8<Float>.self),
                                                       as: SIMD8<Float>.self)
            i &+= 8
        }
        if count &- i >= 4 {
            UnsafeMutableRawPointer(to + i).storeBytes(of: UnsafeRawPointer(from + i).loadUnaligned(as: SIMD4<Float>.self),
                                                       as: SIMD4<Float>.self)
            i &+= 4
        }
        if count &- i >= 2 {
            UnsafeMutableRawPointer(to + i).storeBytes(of: UnsafeRawPointer(from + i).loadUnaligned(as: SIMD2<Float>.self),
                                                       as: SIMD2<Float>.self)
            i &+= 2
        }
        if i < count { to[i] = from[i] }
    }
}
