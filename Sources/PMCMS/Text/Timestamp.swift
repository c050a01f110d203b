public import Foundation  // Date in the public API

/// UTC timestamps as the store writes them: ISO 8601, second precision, `Z`.
public enum Timestamp {
    /// The current time, or `PMCMS_NOW` when set, so that demos and golden tests are repeatable.
    public static func now() -> String {
        if let fixed = ProcessEnvironment.value("PMCMS_NOW"), let date = parse(fixed) {
            return format(date)
        }
        return format(Date())
    }

    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Parses `YYYY-MM-DD` (as midnight UTC) or `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`.
    public static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for i in range {
                let c = scalars[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard scalars.count >= 10, scalars[4] == 45, scalars[7] == 45,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var components = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"))
        components.year = year
        components.month = month
        components.day = day
        var offset = 0
        if scalars.count > 10 {
            guard scalars.count >= 19, scalars[10] == 84 || scalars[10] == 32, scalars[13] == 58, scalars[16] == 58,
                  let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
                  hour < 24, minute < 60, second < 61
            else { return nil }
            components.hour = hour
            components.minute = minute
            components.second = second
            var rest = Array(scalars[19...])
            if rest.first == 46 {  // fractional seconds are accepted and dropped
                rest.removeFirst()
                while let c = rest.first, c >= 48 && c <= 57 { rest.removeFirst() }
            }
            if rest == [90] || rest.isEmpty {
                offset = 0
            } else if rest.count == 6, rest[0] == 43 || rest[0] == 45, rest[3] == 58 {
                let tail = Array(rest)
                guard let h = Int(String(decoding: tail[1..<3], as: UTF8.self)),
                      let m = Int(String(decoding: tail[4..<6], as: UTF8.self)) else { return nil }
                offset = (h * 3600 + m * 60) * (rest[0] == 45 ? -1 : 1)
            } else {
                return nil
            }
        }
        guard let date = components.date, components.isValidDate else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }

    /// A date or time as the store keeps it: a date alone stays a date (`2026-06-09`); a time
    /// with any offset becomes UTC (`2026-12-01T01:00:00+05:00` → `2026-11-30T20:00:00Z`).
    /// Nil when `text` is neither.
    public static func canonical(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let date = parse(trimmed) else { return nil }
        return trimmed.utf8.count == 10 ? trimmed : format(date)
    }

    /// Whether `text` is a date or a timestamp the store accepts for `edited_at`.
    public static func isValid(_ text: String) -> Bool { parse(text) != nil }

    /// The day part of a timestamp: `2026-06-09T10:00:00Z` → `2026-06-09`.
    public static func day(_ text: String) -> String { String(text.prefix(10)) }
}
