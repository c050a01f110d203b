import Foundation
import GRDB

/// The link columns (`related`, `articles`) of a revision: its links as a JSON array.
extension ContentStore {
    static func decodeLinks(_ text: String) throws -> [LinkRef] {
        if text == "[]" { return [] }
        return try linkDecoder.decode([LinkRef].self, from: Data(text.utf8))
    }

    /// One decoder for the link columns; decoding does not change it.
    private static let linkDecoder = JSONDecoder()

    /// One encoder for the link columns: making a JSONEncoder per revision cost more than using it.
    private static let linkEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encodeLinks(_ links: [LinkRef]) throws -> String {
        if links.isEmpty { return "[]" }
        return String(decoding: try linkEncoder.encode(links), as: UTF8.self)
    }
}
