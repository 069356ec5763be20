public import SeededRandom

/// The seeded generator of splits, samples and initial factors: SeededRandom's ``SplitMix64``,
/// whose sequence is fixed forever, so splits and generated data are identical across runs,
/// machines and Swift versions.
public typealias SeededGenerator = SplitMix64
