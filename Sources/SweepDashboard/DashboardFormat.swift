import Foundation
import HTMLRender

/// Small, locale-free texts the pages share: durations, ages, rates, escaped links.
enum DashboardFormat {
    /// `42 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        if s < 86_400 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86_400) d \(s % 86_400 / 3600) h"
    }

    /// `2026-12-06 13:48:17 UTC`.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `12 s ago`; `just now` under a second.
    static func age(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        return seconds < 1 ? "just now" : "\(duration(seconds)) ago"
    }

    /// `<a href="…">text</a>`, both escaped.
    static func link(_ href: String, _ text: String) -> String {
        "<a href=\"\(XMLText.escaped(href))\">\(XMLText.escaped(text))</a>"
    }

    static func escaped(_ text: String) -> String { XMLText.escaped(text) }
}
