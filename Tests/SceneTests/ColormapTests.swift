import Testing

@testable import Scene

@Suite struct ColormapTests {
    @Test(arguments: colormapSamples)
    func tableMatchesMatplotlib(_ sample: ColormapSample) {
        let map = Colormap.named(sample.map)
        #expect(map.table.count == 256)
        let c = map.table[sample.index]
        let tolerance: Float = 1 / 255 + 1e-6
        #expect(
            abs(c.r - sample.rgb.0) <= tolerance && abs(c.g - sample.rgb.1) <= tolerance
                && abs(c.b - sample.rgb.2) <= tolerance, "\(c) vs \(sample.rgb)")
        let viaRange = map.color(for: Float(sample.index) / 255 * 4 - 2, lo: -2, hi: 2)
        #expect(viaRange == c)
    }

    @Test func everyMapHas256Entries() {
        for name in ColormapName.allCases {
            #expect(Colormap.named(name).table.count == 256, "\(name)")
            #expect(Colormap.named(name).rgba8.count == 1024)
        }
    }

    @Test func defaultRunsFromDarkBluePurpleToYellow() {
        let t = Colormap.named(.default).table
        let low = t[0]
        let high = t[255]
        #expect(low.b > low.r && low.b > low.g && low.r + low.g + low.b < 0.5)
        #expect(high.r > 0.9 && high.g > 0.8 && high.b < 0.5)
        #expect(t[160].r > t[160].b, "the upper middle is red/orange")
    }

    @Test func nanAndInfinitiesHaveTheirOwnColours() {
        for name in ColormapName.allCases {
            let map = Colormap.named(name)
            #expect(map.color(for: .nan, lo: 0, hi: 1) == map.nan)
            #expect(map.color(for: .infinity, lo: 0, hi: 1) == map.positiveInfinity)
            #expect(map.color(for: -.infinity, lo: 0, hi: 1) == map.negativeInfinity)
            #expect(map.nan != map.positiveInfinity && map.positiveInfinity != map.negativeInfinity)
            #expect(!map.table.contains(map.nan), "\(name): NaN colour is also a table colour")
        }
    }

    @Test func valuesClampToTheEnds() {
        let map = Colormap.named(.viridis)
        #expect(map.color(for: -10, lo: 0, hi: 1) == map.table[0])
        #expect(map.color(for: 10, lo: 0, hi: 1) == map.table[255])
        #expect(map.color(for: 3, lo: 3, hi: 3) == map.table[128])
    }
}
