import Foundation
import ParameterSpecs
import Yams

extension ModelSweep {
    /// Keys of a model entry that are not hyperparameters: `samples` (random draws) and `seed`
    /// (the sampler's seed). A model cannot have hyperparameters with these names.
    public static let reservedKeys = ["samples", "seed"]

    /// Most values a `range` may expand to.
    public static let maximumRangeValues = 10_000

    /// Reads `models:`: a non-empty mapping from model name to its spaces, in file order.
    /// With `adaptive` (search `random` or `tpe`) the random spaces need no `samples`: the
    /// search's `trials` is the budget, and a `samples` or `seed` on an entry is an error.
    static func parseAll(_ entry: YAMLEntry, catalog: ModelCatalog, adaptive: Bool = false) throws(SweepSpecError) -> [ModelSweep] {
        let map = try entry.map("model names to their hyperparameter spaces, e.g. {mf: {factors: [16, 32]}}")
        guard !map.entries.isEmpty else {
            throw entry.error(
                "'models' must name at least one model; known models: \(catalog.names.joined(separator: ", "))")
        }
        var sweeps: [ModelSweep] = []
        for modelEntry in map.entries {
            guard let model = catalog.model(named: modelEntry.key) else {
                throw modelEntry.keyError(
                    "unknown model '\(modelEntry.key)'\(DidYouMean.separator(for: modelEntry.key, among: catalog.names))known models: \(catalog.names.joined(separator: ", "))"
                )
            }
            sweeps.append(try ModelSweep(modelEntry, model: model, adaptive: adaptive))
        }
        return sweeps
    }

    /// Reads one model entry: hyperparameter spaces plus the reserved `samples` and `seed`.
    init(_ entry: YAMLEntry, model: ModelCatalog.Model, adaptive: Bool = false) throws(SweepSpecError) {
        guard entry.value.mapping != nil || entry.scalar == .null else {
            throw entry.error(
                "'\(entry.key)' must be a mapping from hyperparameter to values (or empty for the defaults), got \(entry.value.phrase)"
            )
        }
        let map = try entry.map("hyperparameter spaces", allowEmpty: true)
        let accepted = model.parameters.map(\.name)
        var spaces: [String: ParameterSpace] = [:]
        var parameterEntries: [String: YAMLEntry] = [:]
        var samplesEntry: YAMLEntry?
        var seedEntry: YAMLEntry?
        for parameter in map.entries {
            switch parameter.key {
            case "samples": samplesEntry = parameter
            case "seed": seedEntry = parameter
            default:
                guard let spec = model.parameters.first(where: { $0.name == parameter.key }) else {
                    let list =
                        accepted.isEmpty
                        ? "model '\(model.name)' takes no hyperparameters"
                        : "accepted: \(accepted.joined(separator: ", "))"
                    throw parameter.keyError(
                        "unknown hyperparameter '\(parameter.key)' for model '\(model.name)'\(DidYouMean.separator(for: parameter.key, among: accepted))\(list)"
                    )
                }
                spaces[parameter.key] = try Self.space(parameter, spec: spec)
                parameterEntries[parameter.key] = parameter
            }
        }
        let random = spaces.keys.sorted().filter { spaces[$0]!.isRandom }
        var samples: Int?
        var samplingSeed: UInt64 = 0
        if adaptive {
            if let extra = samplesEntry ?? seedEntry {
                throw extra.error(
                    "'\(extra.key)' belongs to grid sweeps with random spaces; with 'search: {method: random|tpe, trials: N, seed: S}' the search's 'trials' and 'seed' say how many configurations are drawn and how")
            }
        } else if random.isEmpty {
            if let samplesEntry {
                throw samplesEntry.error(
                    "'samples' only applies to random spaces (uniform, loguniform, choice); '\(model.name)' has none")
            }
            if let seedEntry {
                throw seedEntry.error(
                    "'seed' on a model entry seeds its random spaces and '\(model.name)' has none; training seeds go in the top-level 'seeds'"
                )
            }
        } else {
            guard let samplesEntry else {
                let names = random.map { "\($0): \(spaces[$0]!.kindName)" }.joined(separator: ", ")
                throw entry.reader.error(
                    line: entry.line, key: "\(entry.path).samples",
                    "model '\(model.name)' has random spaces (\(names)) and needs 'samples: N' (how many draws) on its entry"
                )
            }
            samples = try samplesEntry.int(in: 1...100_000, "a number of draws in 1…100000")
            samplingSeed = try seedEntry?.seed() ?? 0
        }
        var defaults: [String: ParameterValue] = [:]
        for spec in model.parameters where spaces[spec.name] == nil {
            defaults[spec.name] = (try? spec.validate(spec.defaultValue).get()) ?? spec.defaultValue
        }
        var conditions: [String: ParameterSpec.Condition] = [:]
        for spec in model.parameters { conditions[spec.name] = spec.appliesWhen }
        // A conditional parameter given values while its condition can never hold is a mistake
        // (its values would all be dropped): say so instead of silently running the defaults.
        for name in spaces.keys.sorted() {
            guard let condition = conditions[name], let parameter = parameterEntries[name] else { continue }
            let possible: [ParameterValue]
            switch spaces[condition.parameter] {
            case .values(let values)?, .choice(let values)?: possible = values
            case nil: possible = defaults[condition.parameter].map { [$0] } ?? []
            default: possible = []
            }
            guard possible.contains(where: condition.isMet) else {
                let taken = possible.map { "\($0)" }.joined(separator: ", ")
                throw parameter.keyError(
                    "'\(name)' applies only when \(condition.phrase), and this entry's '\(condition.parameter)' only takes \(taken); add \(condition.values.joined(separator: " or ")) to '\(condition.parameter)' or remove '\(name)'"
                )
            }
        }
        self.init(
            model: model.name, spaces: spaces, defaults: defaults, samples: samples, samplingSeed: samplingSeed,
            conditions: conditions)
    }

    /// One parameter's space: scalar, list, or a one-key mapping (`range`, `uniform`, `loguniform`, `choice`).
    static func space(_ entry: YAMLEntry, spec: ParameterSpec) throws(SweepSpecError) -> ParameterSpace {
        switch entry.value {
        case .sequence(let sequence):
            guard !sequence.isEmpty else {
                throw entry.error("'\(entry.key)' has an empty list; give at least one value")
            }
            return .values(try Array(sequence).map { node throws(SweepSpecError) in try value(node, entry, spec) })
        case .mapping:
            let forms = ["range", "uniform", "loguniform", "choice"]
            let form = try entry.map("a space").single("space", allowed: forms)
            switch form.key {
            case "range": return .values(try range(form, parameter: entry.key, spec: spec))
            case "choice":
                let nodes = try form.list("a non-empty list of values")
                guard !nodes.isEmpty else { throw form.error("'choice' for '\(entry.key)' needs at least one value") }
                return .choice(try nodes.map { node throws(SweepSpecError) in try value(node, entry, spec) })
            default:
                let logarithmic = form.key == "loguniform"
                let (low, high, integer) = try bounds(form, parameter: entry.key, spec: spec, logarithmic: logarithmic)
                return logarithmic
                    ? .logUniform(low: low, high: high, integer: integer)
                    : .uniform(low: low, high: high, integer: integer)
            }
        case .scalar, .alias:
            return .values([try value(entry.value, entry, spec)])
        }
    }

    /// A scalar checked by `ParameterSpec.validate`, in the normalized form it returns.
    private static func value(_ node: Node, _ entry: YAMLEntry, _ spec: ParameterSpec) throws(SweepSpecError)
        -> ParameterValue
    {
        guard let scalar = YAMLScalar(node) else {
            throw entry.error(
                "'\(spec.name)' must be \(spec.expectation) (or a list of them), got \(node.phrase)", at: node)
        }
        guard let value = scalar.parameterValue else {
            throw entry.error("'\(spec.name)' has no value; give \(spec.expectation)", at: node)
        }
        switch spec.validate(value) {
        case .success(let normalized): return normalized
        case .failure(let error): throw entry.error("\(error)", at: node)
        }
    }

    /// `{from, to, step}`: integers (step defaults to 1) or numbers (step required), `to` included
    /// when the steps land on it; doubles rounded to 12 significant digits so 0.1 + 2 × 0.1 is 0.3.
    private static func range(_ form: YAMLEntry, parameter: String, spec: ParameterSpec) throws(SweepSpecError)
        -> [ParameterValue]
    {
        let map = try form.map("{from: 10, to: 50, step: 10}")
        try map.rejectUnknownKeys(allowed: ["from", "to", "step"])
        let from = try map.require("from", hint: "the first value")
        let to = try map.require("to", hint: "the last value")
        var values: [ParameterValue] = []
        switch spec.kind {
        case .int:
            let first = try from.int(in: Int.min...Int.max, "an integer")
            let last = try to.int(in: Int.min...Int.max, "an integer")
            let step = try map["step"]?.int(in: 1...Int.max, "a positive integer") ?? 1
            guard first <= last else {
                throw to.error("'to' (\(last)) must not be below 'from' (\(first)) in the range for '\(parameter)'")
            }
            guard (last - first) / step < maximumRangeValues else {
                throw form.error("the range for '\(parameter)' has more than \(maximumRangeValues) values")
            }
            values = stride(from: first, through: last, by: step).map { .int($0) }
        case .double, .doubleOrSame, .doubleOrWord:
            let first = try from.double("a number")
            let last = try to.double("a number")
            let step = try map.require("step", hint: "the increment, e.g. 'step: 0.01'").double("a positive number") {
                $0 > 0
            }
            guard first <= last else {
                throw to.error("'to' (\(last)) must not be below 'from' (\(first)) in the range for '\(parameter)'")
            }
            let steps = ((last - first) / step + 1e-9).rounded(.down)
            guard steps < Double(maximumRangeValues) else {
                throw form.error("the range for '\(parameter)' has more than \(maximumRangeValues) values")
            }
            values = (0...Int(steps)).map { .double(Sampling.roundSignificant(first + Double($0) * step, digits: 12)) }
        case .choice, .bool:
            throw form.error("'range' needs a numeric parameter; '\(parameter)' must be \(spec.expectation)")
        }
        var checked: [ParameterValue] = []
        for value in values {
            switch spec.validate(value) {
            case .success(let normalized): checked.append(normalized)
            case .failure(let error): throw form.error("\(error) (from the range)")
            }
        }
        return checked
    }

    /// `[a, b]` with a < b inside the parameter's range (and a > 0 for loguniform); integer
    /// parameters need integer bounds.
    private static func bounds(
        _ form: YAMLEntry, parameter: String, spec: ParameterSpec, logarithmic: Bool
    ) throws(SweepSpecError) -> (Double, Double, Bool) {
        let integer: Bool
        switch spec.kind {
        case .int: integer = true
        case .double, .doubleOrSame, .doubleOrWord: integer = false
        case .choice, .bool:
            throw form.error(
                "'\(form.key)' needs a numeric parameter; '\(parameter)' must be \(spec.expectation) (use 'choice' instead)"
            )
        }
        let shape =
            "a list of two \(integer ? "integers" : "numbers") [low, high] with low < high\(logarithmic ? " and low > 0" : "")"
        guard let nodes = form.value.sequence.map(Array.init), nodes.count == 2 else {
            throw form.error("'\(form.key)' for '\(parameter)' must be \(shape), got \(form.value.phrase)")
        }
        var ends: [Double] = []
        for node in nodes {
            let number: Double?
            switch YAMLScalar(node) {
            case .int(let int): number = Double(int)
            case .double(let double) where !integer && double.isFinite: number = double
            default: number = nil
            }
            guard let number else {
                throw form.error("'\(form.key)' for '\(parameter)' must be \(shape), got \(node.phrase)", at: node)
            }
            let asValue: ParameterValue = integer ? .int(Int(number)) : .double(number)
            if case .failure(let error) = spec.validate(asValue) {
                throw form.error("\(error) (a '\(form.key)' bound)", at: node)
            }
            ends.append(number)
        }
        guard ends[0] < ends[1], !logarithmic || ends[0] > 0 else {
            throw form.error(
                "'\(form.key)' for '\(parameter)' must be \(shape), got [\(nodes.map { $0.scalar?.string ?? "?" }.joined(separator: ", "))]"
            )
        }
        return (ends[0], ends[1], integer)
    }
}
