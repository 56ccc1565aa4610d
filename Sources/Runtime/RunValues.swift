import StrataCore

/// The values of one run by slot: what the run was fed and computed, over the plan's constants.
///
/// The constants are read where the plan holds them. A run that started from a copy of the plan's constants array
/// made the copy at its first write, retaining every constant, and released them all at its end.
struct RunValues {
    private var computed: [Tensor?]
    private let constants: [Tensor?]

    /// No value computed yet over `constants` (one entry per slot, nil where the run computes the value).
    init(constants: [Tensor?]) {
        self.constants = constants
        computed = Array(repeating: nil, count: constants.count)
    }

    /// The value of `slot`: the one the run stored there, else the plan's constant. Storing nil drops the run's
    /// value.
    subscript(slot: Int) -> Tensor? {
        get { computed[slot] ?? constants[slot] }
        set { computed[slot] = newValue }
    }
}
