// GLRenderer module (see DESIGN.md).
