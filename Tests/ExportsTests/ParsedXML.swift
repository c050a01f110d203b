import CLibXML2
import Foundation
import Testing

/// An export parsed back with libxml2's strict XML parser (no recovery, no network): if it
/// parses, it is well-formed.
final class ParsedXML {
    private let document: xmlDocPtr
    private let namespaces: [String: String]

    struct NotWellFormed: Error, CustomStringConvertible {
        let message: String
        var description: String { "not well-formed XML: \(message)" }
    }

    init(_ data: Data, namespaces: [String: String] = [:]) throws {
        self.namespaces = namespaces
        xmlResetLastError()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed: xmlDocPtr? = data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlReadMemory(base, Int32(bytes.count), "export.xml", nil, options)
        }
        guard let parsed else {
            let message = xmlGetLastError().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
            throw NotWellFormed(message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// The text content of every node `xpath` selects, in document order.
    ///
    /// An expression that does not evaluate, or that yields something other than a node set (a
    /// typo, an unregistered prefix, `count(…)`), records a test failure: otherwise every
    /// "nothing matches" check built on it would pass whatever the export holds.
    func strings(_ xpath: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        guard let context = xmlXPathNewContext(document) else {
            Issue.record("no XPath context for \(xpath)", sourceLocation: sourceLocation)
            return []
        }
        defer { xmlXPathFreeContext(context) }
        for (prefix, uri) in namespaces { _ = xmlXPathRegisterNs(context, prefix, uri) }
        guard let result = xmlXPathEvalExpression(xpath, context) else {
            Issue.record("XPath \(xpath) does not evaluate", sourceLocation: sourceLocation)
            return []
        }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET else {
            Issue.record("XPath \(xpath) does not select nodes", sourceLocation: sourceLocation)
            return []
        }
        guard let nodes = result.pointee.nodesetval, let table = nodes.pointee.nodeTab else { return [] }
        return (0..<Int(nodes.pointee.nodeNr)).compactMap { index in
            guard let node = table[index], let content = xmlNodeGetContent(node) else { return nil }
            defer { pmcms_xmlFree(content) }
            return String(cString: content)
        }
    }

    func count(_ xpath: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        strings(xpath, sourceLocation: sourceLocation).count
    }

    func string(_ xpath: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        strings(xpath, sourceLocation: sourceLocation).first
    }
}
