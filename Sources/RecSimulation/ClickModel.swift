/// The probability that a user clicks an item shown on a slate. Clicks on a slate are
/// independent given the user (no position bias, no slate-level saturation): the simplest model
/// under which a slate's expected clicks are the sum of its items' probabilities.
public protocol ClickModel: Sendable {
    /// In [0, 1].
    func clickProbability(user: Int32, _ item: SlateItem) -> Double
    /// What the model is, for reports: the generator's planted truth, or a model fitted on data.
    var description: String { get }
}
