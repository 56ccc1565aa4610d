// UI module (see DESIGN.md).
