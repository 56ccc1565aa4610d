// Scene module (see DESIGN.md).
