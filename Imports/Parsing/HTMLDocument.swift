import CLibXML2

/// A parsed HTML document owning its libxml2 tree, which is freed when the document is released.
///
/// Nodes borrowed from it (`HTMLNode`) are only valid while the document is alive, so the type is
/// deliberately not `Sendable`: a document lives and dies inside one extraction call.
final class HTMLDocument {
    private let pointer: htmlDocPtr

    /// Parses `bytes` as HTML in `encoding` (an IANA name libxml2 knows), never touching the
    /// network and never printing parser complaints; returns nil when libxml2 gives up entirely.
    init?(bytes: [UInt8], encoding: String) {
        _ = Self.libraryReady
        pmcms_silence_libxml_errors()
        var options = HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
        options |= HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue
        // (HTML_PARSE_HUGE in newer libxml2.) Without it libxml2 stops at 256 open elements and silently drops the rest of the page
        // (300 unclosed <font> tags lost an answer). The depth pmcms accepts is bounded by
        // `Extractor.maxDepth` instead, which fails with a reason rather than silently.
        options |= XML_PARSE_HUGE.rawValue  // libxml2 2.9 has no HTML_ name for it; htmlCtxtUseOptions honours it
        // The caller already decided the encoding from BOM, meta and byte validity; a second
        // guess by libxml2 from a (possibly lying) meta tag would only undo that decision.
        options |= HTML_PARSE_IGNORE_ENC.rawValue
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                htmlReadMemory(chars, Int32(buffer.count), nil, encoding, Int32(bitPattern: options))
            }
        }
        guard let document else { return nil }
        pointer = document
    }

    deinit { xmlFreeDoc(pointer) }

    /// libxml2 must be initialised once before threads parse concurrently; a static `let` runs
    /// its initialiser exactly once, whichever thread gets there first.
    private static let libraryReady: Void = { xmlInitParser() }()

    /// The root element (`<html>`), if the parser produced one.
    var root: HTMLNode? {
        xmlDocGetRootElement(pointer).map(HTMLNode.init)
    }

    /// The `<body>` element, else the root.
    var body: HTMLNode? {
        nodes("/html/body").first ?? root
    }

    /// Evaluates an XPath expression (relative to `context` when given) and returns the matching
    /// nodes in document order; an invalid expression or a non-node result gives an empty array.
    func nodes(_ expression: String, context: HTMLNode? = nil) -> [HTMLNode] {
        guard let xpath = xmlXPathNewContext(pointer) else { return [] }
        defer { xmlXPathFreeContext(xpath) }
        if let context { xpath.pointee.node = context.pointer }
        let result: xmlXPathObjectPtr? = expression.withCString { text in
            text.withMemoryRebound(to: xmlChar.self, capacity: expression.utf8.count + 1) {
                xmlXPathEvalExpression($0, xpath)
            }
        }
        guard let result else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval,
              let table = set.pointee.nodeTab else { return [] }
        var found: [HTMLNode] = []
        found.reserveCapacity(Int(set.pointee.nodeNr))
        for index in 0..<Int(set.pointee.nodeNr) {
            if let node = table[index] { found.append(HTMLNode(node)) }
        }
        return found
    }

    /// The depth of the deepest node below the root, counted without recursion; stops counting
    /// once it passes `limit` (the answer is then `limit + 1`).
    func depth(upTo limit: Int) -> Int {
        guard let root else { return 0 }
        var deepest = 0, depth = 0
        var current = root
        while true {
            if let child = current.firstChild {
                current = child
                depth += 1
                deepest = max(deepest, depth)
                if deepest > limit { return deepest }
                continue
            }
            while current.pointer.pointee.next == nil {
                guard depth > 0, let up = current.pointer.pointee.parent else { return deepest }
                current = HTMLNode(up)
                depth -= 1
            }
            guard depth > 0, let next = current.pointer.pointee.next else { return deepest }
            current = HTMLNode(next)
        }
    }

    /// Keeps the document alive while `body` works with nodes borrowed from it.
    func withNodes<T>(_ body: (HTMLDocument) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(self) }
    }
}
