public import ParameterSpecs

/// One entry of `models:`: the model, the space of each hyperparameter named in the file, and the
/// catalog defaults of the others.
///
/// Every configuration this entry yields sets *every* parameter of the model (named ones from
/// their space, the others from ``defaults``), so a trial's identity covers its full resolved
/// configuration: writing `factors: 64` when 64 is the default gives the same ids as leaving it out.
/// The exception is a conditional parameter (``ParameterSpec/appliesWhen``) whose condition the
/// configuration does not meet: it is left out, so its grid values do not multiply those trials.
public struct ModelSweep: Sendable, Hashable, Codable {
    /// Model name as the catalog knows it.
    public var model: String
    /// Spaces of the parameters named in the sweep file.
    public var spaces: [String: ParameterSpace]
    /// Catalog defaults of the parameters the file leaves out.
    public var defaults: [String: ParameterValue]
    /// Random draws (each crossed with the grid of the explicit spaces); set iff a space is random.
    public var samples: Int?
    /// Seed of the sampler drawing the random spaces (`seed:` on the model entry; default 0).
    public var samplingSeed: UInt64
    /// The model's conditional parameters, by name (see ``ParameterSpec/appliesWhen``).
    public var conditions: [String: ParameterSpec.Condition]

    public init(
        model: String, spaces: [String: ParameterSpace], defaults: [String: ParameterValue] = [:], samples: Int? = nil,
        samplingSeed: UInt64 = 0, conditions: [String: ParameterSpec.Condition] = [:]
    ) {
        self.model = model
        self.spaces = spaces
        self.defaults = defaults
        self.samples = samples
        self.samplingSeed = samplingSeed
        self.conditions = conditions
    }

    /// `configuration` without the conditional parameters whose condition it does not meet.
    public func removingInactive(_ configuration: [String: ParameterValue]) -> [String: ParameterValue] {
        guard !conditions.isEmpty else { return configuration }
        return configuration.filter { name, _ in
            conditions[name].map { $0.isMet(by: configuration[$0.parameter]) } ?? true
        }
    }

    /// Configurations this entry yields before seeds and de-duplication:
    /// `samples × Π(grid sizes)` (samples counts as 1 without random spaces).
    public var configurationCount: Int {
        var count = samples ?? 1
        for case .values(let values) in spaces.values {
            let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
            count = overflow ? .max : product
        }
        return count
    }
}
