/// RFC 4180 fields: the one place CSV quoting happens.
public enum CSV {
    /// `value` as one CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a
    /// line break; as it is otherwise. Line breaks stay inside the quotes, as RFC 4180 allows.
    public static func field(_ value: String) -> String {
        var out: [UInt8] = []
        appendField(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` as one CSV field to `out`, the bytes of a record being built. Works on
    /// UTF-8 bytes: a quote is always the single byte 0x22 there, so doubling bytes doubles
    /// exactly the quote scalars (a quote followed by a combining mark is one Character, which
    /// Character-level replacing once missed, ending the field early).
    public static func appendField(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(UInt8(ascii: "\""))
            // Copied in runs up to and including each quote, then the quote once more.
            var start = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...index]))
                out.append(UInt8(ascii: "\""))
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            out.append(UInt8(ascii: "\""))
        }
    }

    /// One record: the fields joined by commas and ended by CRLF.
    public static func record(_ values: [String]) -> String {
        var out: [UInt8] = []
        appendRecord(values, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one record (fields, commas, CRLF) to `out`.
    public static func appendRecord(_ values: [String], to out: inout [UInt8]) {
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendField(value, to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }

    /// `value` made inert for spreadsheet applications, which run a cell that begins with `=`,
    /// `+`, `-` or `@` (or a tab or carriage return, which some skip first) as a formula: a
    /// leading `'` makes it text. The cell's text is otherwise unchanged.
    public static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }
}
