import Foundation
import Snapshot
import Testing
import UI
@testable import Viewer

@Suite struct ViewerPanelsTests {
    @Test func panelsRoundTripThroughTheirJSON() throws {
        var inspector = InspectorState(tab: .table)
        inspector.channel = 5
        inspector.zoom = 2
        let panels = ViewerPanels(inspector: inspector, inputCollapsed: true, showLibrary: true)
        let data = try JSONEncoder().encode(panels.json)
        let back = ViewerPanels(json: try JSONDecoder().decode(JSONValue.self, from: data))
        #expect(back.inspector.tab == .table && back.inspector.channel == 5 && back.inspector.zoom == 2)
        #expect(back.inputCollapsed && back.showLibrary)
    }

    @Test func unknownOrBrokenPanelsKeepTheDefaults() {
        let odd = ViewerPanels(json: .object([
            "inspector": .object(["tab": .string("Sideways"), "channel": .number(-3), "zoom": .number(.infinity)]),
            "library": .string("yes"), "other": .number(1),
        ]))
        #expect(odd.inspector.tab == .summary && odd.inspector.channel == 0 && odd.inspector.zoom == 0)
        #expect(!odd.showLibrary && !odd.inputCollapsed)
        #expect(ViewerPanels(json: .array([])) == ViewerPanels(json: .object([:])))
    }
}
