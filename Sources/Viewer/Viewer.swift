// Viewer module (see DESIGN.md).
