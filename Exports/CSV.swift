/// RFC 4180 fields: the one place CSV quoting happens.
public enum CSV {
    /// `value` as one CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a
    /// line break; as it is otherwise. Line breaks stay inside the quotes, as RFC 4180 allows.
    public static func field(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return value }
        // Doubled scalar by scalar: String's replacingOccurrences compares Characters, and a
        // quote followed by a combining mark ("\u{22}\u{301}") is one Character that does not
        // equal "\"", so its quote was left single and ended the field early.
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in value.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// One record: the fields joined by commas and ended by CRLF.
    public static func record(_ values: [String]) -> String {
        values.map(field).joined(separator: ",") + "\r\n"
    }

    /// `value` made inert for spreadsheet applications, which run a cell that begins with `=`,
    /// `+`, `-` or `@` (or a tab or carriage return, which some skip first) as a formula: a
    /// leading `'` makes it text. The cell's text is otherwise unchanged.
    public static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }
}
