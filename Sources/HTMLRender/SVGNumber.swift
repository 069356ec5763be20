internal import Foundation

/// Locale-free numbers for SVG attributes and chart labels.
public enum SVGNumber {
    /// A coordinate or length with one decimal (`292.0`), through C's `%.1f`. A non-finite value
    /// (which no chart should pass, but a NaN in an attribute makes the whole SVG invalid) is
    /// written `0.0`.
    public static func coordinate(_ value: Double) -> String {
        String(format: "%.1f", value.isFinite ? value : 0)
    }

    /// A value label with six significant digits (`0.812345`, `1.5e+06`); `nan`, `inf`, `-inf`
    /// for non-finite values.
    public static func label(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        return String(format: "%.6g", value)
    }
}
