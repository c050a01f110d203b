import CLibXML2

/// A borrowed view of one node of an `HTMLDocument`; valid only while that document is alive.
struct HTMLNode: Hashable {
    let pointer: xmlNodePtr

    init(_ pointer: xmlNodePtr) { self.pointer = pointer }

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// The element name, lowercase (libxml2's HTML parser already folds case); "" for non-elements.
    var name: String {
        guard isElement, let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    var parent: HTMLNode? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return HTMLNode(parent)
    }
    var firstChild: HTMLNode? { pointer.pointee.children.map(HTMLNode.init) }
    var nextSibling: HTMLNode? { pointer.pointee.next.map(HTMLNode.init) }

    /// The node's own characters, for text and CDATA nodes.
    var textContent: String {
        guard isText, let content = pointer.pointee.content else { return "" }
        return String(cString: content)
    }

    /// The child nodes, in order.
    var children: [HTMLNode] {
        var result: [HTMLNode] = []
        var child = firstChild
        while let current = child {
            result.append(current)
            child = current.nextSibling
        }
        return result
    }

    /// The element children, in order.
    var elementChildren: [HTMLNode] { children.filter(\.isElement) }

    /// The siblings after this node, in order.
    var followingSiblings: [HTMLNode] {
        var result: [HTMLNode] = []
        var sibling = nextSibling
        while let current = sibling {
            result.append(current)
            sibling = current.nextSibling
        }
        return result
    }

    /// Whether the element carries any attribute; most carry none, which makes attribute checks free.
    var hasAttributes: Bool { isElement && pointer.pointee.properties != nil }

    /// Answers `compute` once per node and flag, keeping the answer in libxml2's `_private` slot
    /// (reserved for the application): extraction asks the same questions of the same elements
    /// many times while it looks for lists, cards and answers.
    func cached(_ flag: NodeFlag, _ compute: () -> Bool) -> Bool {
        let known = UInt(bitPattern: pointer.pointee._private)
        if known & flag.knownBit != 0 { return known & flag.valueBit != 0 }
        let value = compute()
        let updated = known | flag.knownBit | (value ? flag.valueBit : 0)
        pointer.pointee._private = UnsafeMutableRawPointer(bitPattern: updated)
        return value
    }

    /// The value of attribute `name` (lowercase), entities decoded.
    func attribute(_ name: String) -> String? {
        guard isElement else { return nil }
        guard let value = xmlGetProp(pointer, name) else { return nil }
        defer { pmcms_xmlFree(value) }
        return String(cString: value)
    }

    /// Whether `self` is `other` or one of its ancestors.
    func contains(_ other: HTMLNode) -> Bool {
        var cursor: HTMLNode? = other
        while let current = cursor {
            if current == self { return true }
            cursor = current.parent
        }
        return false
    }

    /// The ancestors, nearest first.
    var ancestors: [HTMLNode] {
        var result: [HTMLNode] = []
        var cursor = parent
        while let current = cursor {
            result.append(current)
            cursor = current.parent
        }
        return result
    }

    /// Visits this node's descendants in document order without recursion (pages can nest far
    /// deeper than a thread's stack allows); `visit` returns false to skip a node's subtree.
    func walkDescendants(_ visit: (HTMLNode) -> Bool) {
        guard var current = firstChild else { return }
        while true {
            if visit(current), let child = current.firstChild {
                current = child
                continue
            }
            while current.nextSibling == nil {
                guard let up = current.parent, up != self else { return }
                current = up
            }
            guard let next = current.nextSibling else { return }
            current = next
        }
    }

    /// All descendant elements named one of `names`, in document order, not looking inside
    /// subtrees for which `skip` is true.
    func descendants(named names: Set<String>, skip: (HTMLNode) -> Bool = { _ in false }) -> [HTMLNode] {
        var found: [HTMLNode] = []
        walkDescendants { node in
            guard node.isElement else { return false }
            if skip(node) { return false }
            if names.contains(node.name) { found.append(node) }
            return true
        }
        return found
    }
}

/// A yes/no property of a node that `HTMLNode.cached` keeps: two bits of the node's `_private` slot.
struct NodeFlag {
    let index: UInt
    var knownBit: UInt { 1 << (2 * index) }
    var valueBit: UInt { 1 << (2 * index + 1) }

    static let neverContent = NodeFlag(index: 0)
}
