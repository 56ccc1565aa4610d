import Snapshot
import UI

/// The panels' state a snapshot keeps (`view.json` → `panels`): the inspector's tab, channel and zoom, whether
/// the input panel is folded and the model library shown. Unknown or missing keys keep today's defaults.
struct ViewerPanels: Equatable {
    var inspector = InspectorState()
    var inputCollapsed = false
    var showLibrary = false

    /// As JSON for `SnapshotView.panels`.
    var json: JSONValue {
        .object([
            "inspector": .object([
                "tab": .string(inspector.tab.rawValue), "channel": .number(Double(inspector.channel)),
                "zoom": .number(Double(inspector.zoom)),
            ]),
            "input_panel": .object(["collapsed": .bool(inputCollapsed)]),
            "library": .bool(showLibrary),
        ])
    }

    /// Reads what `json` wrote; anything else in `panels` is ignored.
    init(json: JSONValue) {
        guard case let .object(root) = json else { return }
        if case let .object(inspectorJSON)? = root["inspector"] {
            if case let .string(tab)? = inspectorJSON["tab"], let known = InspectorTab(rawValue: tab) { inspector.tab = known }
            if case let .number(channel)? = inspectorJSON["channel"], channel.isFinite { inspector.channel = max(Int(channel), 0) }
            if case let .number(zoom)? = inspectorJSON["zoom"], zoom.isFinite { inspector.zoom = min(max(Int(zoom), 0), 30) }
        }
        if case let .object(input)? = root["input_panel"], case let .bool(collapsed)? = input["collapsed"] {
            inputCollapsed = collapsed
        }
        if case let .bool(library)? = root["library"] { showLibrary = library }
    }

    init(inspector: InspectorState, inputCollapsed: Bool, showLibrary: Bool) {
        (self.inspector, self.inputCollapsed, self.showLibrary) = (inspector, inputCollapsed, showLibrary)
    }
}

extension ViewerApp {
    /// The panels as they are now.
    var panels: ViewerPanels {
        ViewerPanels(inspector: uiState.inspector.state, inputCollapsed: inputState.panel.collapsed,
                     showLibrary: uiState.showLibrary)
    }

    /// Puts the panels as a snapshot stored them; the inspector first follows the stored selection, so the
    /// stored tab, channel and zoom are not reset by it.
    func restore(_ panels: ViewerPanels) {
        var inspector = InspectorState(tab: panels.inspector.tab)
        inspector.follow(controller.viewState.selection)
        inspector.channel = panels.inspector.channel
        inspector.zoom = panels.inspector.zoom
        uiState.inspector.state = inspector
        inputState.panel.collapsed = panels.inputCollapsed
        uiState.showLibrary = panels.showLibrary
    }
}
