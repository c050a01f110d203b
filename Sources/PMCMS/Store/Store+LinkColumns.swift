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
}
