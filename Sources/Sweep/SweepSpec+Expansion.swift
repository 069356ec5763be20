public import ParameterSpecs
import SeededRandom

extension SweepSpec {
    /// Every trial of the sweep, each once, in a deterministic order:
    /// models in file order; within a model, random draws in draw order (one block per sample);
    /// within a draw, the cartesian product of the explicit spaces with parameters sorted by name
    /// (the first name varies slowest) and each space's values in file order; seeds innermost,
    /// in file order. A trial already listed (same id) is skipped and counted.
    ///
    /// Ids are `TrialID(config:datasetFingerprint:)`, so they depend on resolved values only: the
    /// order of keys in the file, spacing and comments change nothing, and adding a grid value adds
    /// exactly the trials that have it.
    /// - Complexity: O(trials × parameters).
    ///
    /// An adaptive search (`search: random|tpe`) expands to nothing: its trials are suggested
    /// while the sweep runs (see ``plannedTrials``).
    public func expand() -> SweepExpansion {
        if search.isAdaptive { return SweepExpansion(trials: [], duplicatesRemoved: 0) }
        let fingerprint = datasetFingerprint
        var seen: Set<TrialID> = []
        var trials: [SweepTrial] = []
        var duplicates = 0
        for model in models {
            for parameters in model.configurations() {
                for seed in seeds {
                    let config = TrialConfig(model: model.model, parameters: parameters, seed: seed)
                    let id = TrialID(config: config, datasetFingerprint: fingerprint)
                    if seen.insert(id).inserted {
                        trials.append(SweepTrial(id: id, config: config))
                    } else {
                        duplicates += 1
                    }
                }
            }
        }
        return SweepExpansion(trials: trials, duplicatesRemoved: duplicates)
    }
}

extension SweepSpec {
    /// Trials an adaptive search will run at most: `trials` configurations per model entry, each
    /// once per seed; nil for a grid (its expansion says).
    public var plannedTrials: Int? {
        guard search.isAdaptive, let trials = search.trials else { return nil }
        return trials * seeds.count * models.count
    }
}

extension ModelSweep {
    /// The entry's parameter sets without seeds, duplicates included, in ``SweepSpec/expand()`` order.
    /// Conditional parameters are left out of the sets whose condition they do not meet.
    ///
    /// Random spaces: a ``SplitMix64`` seeded with ``samplingSeed`` draws, for each of ``samples``
    /// draws, one value per random parameter in name order; each draw is crossed with the grid.
    /// The draws do not depend on the grid, so editing a grid never changes what was drawn.
    public func configurations() -> [[String: ParameterValue]] {
        let names = spaces.keys.sorted()
        let gridNames = names.filter { !spaces[$0]!.isRandom }
        let randomNames = names.filter { spaces[$0]!.isRandom }

        var draws: [[String: ParameterValue]] = [[:]]
        if !randomNames.isEmpty {
            var generator = SplitMix64(seed: samplingSeed)
            draws = (0..<(samples ?? 1)).map { _ in
                var draw: [String: ParameterValue] = [:]
                for name in randomNames { draw[name] = Sampling.draw(spaces[name]!, using: &generator) }
                return draw
            }
        }

        var grid: [[String: ParameterValue]] = [defaults]
        for name in gridNames {
            guard case .values(let values) = spaces[name]! else { continue }
            grid = grid.flatMap { partial in
                values.map { value in
                    var next = partial
                    next[name] = value
                    return next
                }
            }
        }

        return draws.flatMap { draw in grid.map { removingInactive($0.merging(draw) { _, drawn in drawn }) } }
    }
}
