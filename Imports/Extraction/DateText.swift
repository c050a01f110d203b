import Foundation
import PMCMS

/// Reads dates as pages write them and returns them as `YYYY-MM-DD`, or as a UTC timestamp
/// `YYYY-MM-DDTHH:MM:SSZ` when the source gives a time.
enum DateText {
    private static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
        "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
        "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]
    private static let monthPattern = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

    /// A machine-written date (`datetime`, JSON-LD, meta tags): ISO 8601 with or without time
    /// and offset, or an RFC 2822 date; falls back to the human forms.
    static func machine(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        let iso = #"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?"#
        if let match = firstMatch(iso, in: text) {
            guard let year = match.int(1), let month = match.int(2), let dayNumber = match.int(3) else { return nil }
            guard let hour = match.int(4), let minute = match.int(5) else { return day(year, month, dayNumber) }
            return timestamp(year, month, dayNumber, hour, minute, match.int(6) ?? 0, zone: match.string(7))
        }
        let rfc = #"(\d{1,2})\s+"# + monthPattern + #"[a-z]*\.?\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|Z|[+-]\d{4})?"#
        if let match = firstMatch(rfc, in: text), let dayNumber = match.int(1), let month = match.month(2),
           let year = match.int(3), let hour = match.int(4), let minute = match.int(5) {
            return timestamp(year, month, dayNumber, hour, minute, match.int(6) ?? 0, zone: match.string(7))
        }
        return human(text)
    }

    /// The first date written for people in `text`: "09 Jun 2026", "9th June, 2026",
    /// "June 9, 2026", "2026-06-09", "09/06/2026" (day first unless `monthFirst` or impossible).
    static func human(_ text: String, monthFirst: Bool = false) -> String? {
        var found: [(offset: Int, date: String)] = []
        if let match = firstMatch(#"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"#, in: text),
           let y = match.int(1), let m = match.int(2), let d = match.int(3), let date = day(y, m, d) {
            found.append((match.offset, date))
        }
        let dayMonth = #"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+"# + monthPattern + #"\b\.?,?[\s-]+(\d{4})\b"#
        if let match = firstMatch(dayMonth, in: text), let d = match.int(1), let m = match.month(2), let y = match.int(3),
           let date = day(y, m, d) {
            found.append((match.offset, date))
        }
        let monthDay = #"\b"# + monthPattern + #"\b\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"#
        if let match = firstMatch(monthDay, in: text), let m = match.month(1), let d = match.int(2), let y = match.int(3),
           let date = day(y, m, d) {
            found.append((match.offset, date))
        }
        if let match = firstMatch(#"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b"#, in: text), let a = match.int(1), let b = match.int(2),
           let y = match.int(3) {
            let dayFirst = a > 12 || (!monthFirst && b <= 12)
            if let date = dayFirst ? day(y, b, a) : day(y, a, b) { found.append((match.offset, date)) }
        }
        return found.min { $0.offset < $1.offset }?.date
    }

    /// The date following an edit marker in a short line of visible text ("Last edited on: …",
    /// "Last updated", "Updated", "Modified", "Reviewed"), else nil.
    static func editDate(inLine text: String, monthFirst: Bool = false) -> String? {
        let marker = #"(?:last\s+)?(?:edited|updated|modified|reviewed|revised)(?:\s+on)?\s*[:\-–]?\s*"#
        guard let match = firstMatch(marker, in: text) else { return nil }
        let rest = (text as NSString).substring(from: match.offset + match.length)
        return human(String(rest.prefix(60)), monthFirst: monthFirst)
    }

    /// The date following a publication marker ("Published", "Posted on"), else nil.
    static func publishDate(inLine text: String, monthFirst: Bool = false) -> String? {
        let marker = #"(?:published|posted|first\s+published)(?:\s+on)?\s*[:\-–]?\s*"#
        guard let match = firstMatch(marker, in: text) else { return nil }
        let rest = (text as NSString).substring(from: match.offset + match.length)
        return human(String(rest.prefix(60)), monthFirst: monthFirst)
    }

    private static func day(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard (1000...9999).contains(year) else { return nil }
        let text = String(format: "%04d-%02d-%02d", year, month, day)
        return Timestamp.isValid(text) ? text : nil
    }

    private static func timestamp(_ year: Int, _ month: Int, _ dayNumber: Int, _ hour: Int, _ minute: Int, _ second: Int, zone: String?) -> String? {
        guard let date = day(year, month, dayNumber) else { return nil }
        var offset = "Z"
        if let zone, zone.first == "+" || zone.first == "-" {
            let digits = zone.dropFirst().filter(\.isNumber)
            let hours = digits.prefix(2)
            let minutes = digits.dropFirst(2).prefix(2)
            offset = "\(zone.first ?? "+")\(hours):\(minutes.isEmpty ? "00" : String(minutes))"
        }
        let text = date + String(format: "T%02d:%02d:%02d", hour, minute, second) + offset
        guard let parsed = Timestamp.parse(text) else { return date }
        return Timestamp.format(parsed)
    }

    // MARK: Regular expressions

    private struct Match {
        let result: NSTextCheckingResult
        let text: NSString
        var offset: Int { result.range.location }
        var length: Int { result.range.length }
        func string(_ group: Int) -> String? {
            let range = result.range(at: group)
            return range.location == NSNotFound ? nil : text.substring(with: range)
        }
        func int(_ group: Int) -> Int? { string(group).flatMap { Int($0) } }
        func month(_ group: Int) -> Int? { string(group).flatMap { DateText.months[$0.lowercased()] } }
    }

    private static func firstMatch(_ pattern: String, in text: String) -> Match? {
        guard let regex = RegexCache.shared.regex(pattern, options: [.caseInsensitive]) else { return nil }
        let ns = text as NSString
        guard let result = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return Match(result: result, text: ns)
    }
}
