import ParameterSpecs
import Testing

/// `--param name=value` text to typed values, and the messages that say what is accepted.
@Suite("ParameterParsing")
struct ParameterParsingTests {
    static let catalog = ModelCatalog(models: [
        ModelCatalog.Model(
            name: "mf", family: "cf",
            parameters: [
                ParameterSpec(name: "factors", kind: .int(1...512), defaultValue: .int(32), help: "k"),
                ParameterSpec(name: "lr", kind: .double(0.0001...1), defaultValue: .double(0.01), help: "rate"),
                ParameterSpec(name: "lr_bias", kind: .doubleOrSame(0...1, as: "lr"), defaultValue: .string("lr"), help: "b"),
                ParameterSpec(name: "solver", kind: .choice(["cg", "cholesky"]), defaultValue: .string("cg"), help: "s"),
                ParameterSpec(name: "biases", kind: .bool, defaultValue: .bool(true), help: "b"),
            ], metrics: ["rmse"]),
        ModelCatalog.Model(name: "noop", family: "builtin", parameters: [], metrics: []),
    ])

    @Test func typedValuesByKind() throws {
        let parsed = try ParameterParsing.parse(
            ["factors=8", "lr=0.05", "lr_bias=lr", "solver=cholesky", "biases=no"], model: "mf", catalog: Self.catalog)
        #expect(parsed == ["factors": .int(8), "lr": .double(0.05), "lr_bias": .string("lr"), "solver": .string("cholesky"), "biases": .bool(false)])
        // An integer where a number is expected is accepted as a double.
        #expect(try ParameterParsing.parse(["lr=1"], model: "mf", catalog: Self.catalog) == ["lr": .double(1)])
    }

    @Test(arguments: [
        (["factors=8"], "nosuch", "unknown model 'nosuch'; known models: mf, noop"),
        (["factors"], "mf", "--param 'factors': expected name=value"),
        (["depth=3"], "mf", "model 'mf' has no hyperparameter 'depth'; accepted: factors, lr, lr_bias, solver, biases"),
        (["depth=3"], "noop", "model 'noop' has no hyperparameter 'depth'; accepted: none"),
        (["factors=eight"], "mf", "--param factors: must be an integer in 1…512, got 'eight'"),
        (["factors=0"], "mf", "--param 'factors' must be an integer in 1…512, got 0"),
        (["solver=lu"], "mf", "--param 'solver' must be one of cg, cholesky, got 'lu'"),
        (["biases=maybe"], "mf", "--param biases: must be true or false, got 'maybe'"),
    ])
    func rejectsWithAMessageThatSaysWhatIsAccepted(assignments: [String], model: String, message: String) {
        #expect(throws: ParameterParsingError(message)) {
            try ParameterParsing.parse(assignments, model: model, catalog: Self.catalog)
        }
    }
}
