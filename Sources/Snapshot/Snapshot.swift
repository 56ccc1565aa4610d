// Snapshot module: .strata files (see docs/strata-format.md).
