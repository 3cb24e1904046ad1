/// A node of an XML tree held in memory (for small documents: SRX rules, a TBX entry,
/// an extension element kept for round trip).
public enum XMLNode: Sendable, Hashable {
    /// An element with its children.
    case element(XMLElement)
    /// Character data.
    case text(String)
    /// A comment.
    case comment(String)
    /// A processing instruction.
    case processingInstruction(target: String, data: String)
}

/// An element held in memory with its attributes and children.
public struct XMLElement: Sendable, Hashable {
    /// The element's name.
    public var name: XMLName
    /// Attributes in document order (namespace declarations excluded).
    public var attributes: [XMLAttribute]
    /// Namespace declarations made on this element.
    public var namespaceDeclarations: [XMLNamespaceDeclaration]
    /// Children in document order.
    public var children: [XMLNode]
    /// 1-based line of the start tag (0 when built in code).
    public var line: Int

    /// Creates an element.
    public init(name: XMLName, attributes: [XMLAttribute] = [], namespaceDeclarations: [XMLNamespaceDeclaration] = [], children: [XMLNode] = [], line: Int = 0) {
        self.name = name
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.children = children
        self.line = line
    }

    /// The value of an attribute in no namespace (or the given one).
    public func attribute(_ local: String, namespace: String = "") -> String? {
        attributes.value(local, namespace: namespace)
    }

    /// Child elements, in order.
    public var elements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { return e } else { return nil } }
    }

    /// Child elements with this local name (and namespace, when given).
    public func elements(named local: String, namespace: String? = nil) -> [XMLElement] {
        elements.filter { $0.name.local == local && (namespace == nil || $0.name.namespace == namespace!) }
    }

    /// The first child element with this local name (and namespace, when given).
    public func firstElement(named local: String, namespace: String? = nil) -> XMLElement? {
        elements.first { $0.name.local == local && (namespace == nil || $0.name.namespace == namespace!) }
    }

    /// The concatenated text of this element and all its descendants.
    public var textContent: String {
        var out = ""
        func walk(_ nodes: [XMLNode]) {
            for node in nodes {
                switch node {
                case .text(let t): out += t
                case .element(let e): walk(e.children)
                default: break
                }
            }
        }
        walk(children)
        return out
    }
}

extension XMLStreamReader {
    /// Reads the rest of the element whose start was just returned by `next()` into memory.
    public func readElement(_ start: XMLStartElement) throws -> XMLElement {
        var stack: [XMLElement] = [XMLElement(name: start.name, attributes: start.attributes, namespaceDeclarations: start.namespaceDeclarations, line: start.line)]
        while let event = try next() {
            switch event {
            case .startElement(let s):
                stack.append(XMLElement(name: s.name, attributes: s.attributes, namespaceDeclarations: s.namespaceDeclarations, line: s.line))
            case .endElement:
                let done = stack.removeLast()
                if stack.isEmpty { return done }
                stack[stack.count - 1].children.append(.element(done))
            case .text(let t):
                if case .text(let previous)? = stack[stack.count - 1].children.last {
                    stack[stack.count - 1].children[stack[stack.count - 1].children.count - 1] = .text(previous + t)
                } else {
                    stack[stack.count - 1].children.append(.text(t))
                }
            case .comment(let c):
                stack[stack.count - 1].children.append(.comment(c))
            case .processingInstruction(let target, let data):
                stack[stack.count - 1].children.append(.processingInstruction(target: target, data: data))
            }
        }
        throw error("unexpected end of document inside <\(start.name.qualified)>")
    }
}

/// Parses whole (small) XML documents into memory with the same secure settings as the stream.
public enum XMLDocumentParser {
    /// Parses the file at `path` and returns its root element. `displayPath` names it in errors.
    public static func parse(path: String, displayPath: String? = nil) throws -> XMLElement {
        try root(of: XMLStreamReader(path: path, displayPath: displayPath))
    }

    /// Parses a document in memory and returns its root element.
    public static func parse(bytes: [UInt8], displayPath: String) throws -> XMLElement {
        try root(of: XMLStreamReader(bytes: bytes, displayPath: displayPath))
    }

    private static func root(of reader: XMLStreamReader) throws -> XMLElement {
        var root: XMLElement?
        while let event = try reader.next() {
            if case .startElement(let s) = event, root == nil {
                root = try reader.readElement(s)
            }
        }
        guard let root else { throw reader.error("the document has no root element") }
        return root
    }
}

extension XMLStreamWriter {
    /// Writes an element held in memory, with its namespace declarations, attributes and children.
    public func write(_ element: XMLElement) throws {
        try startElement(element.name.qualified)
        for d in element.namespaceDeclarations {
            try attribute(d.prefix.isEmpty ? "xmlns" : "xmlns:\(d.prefix)", d.uri)
        }
        for a in element.attributes { try attribute(a.name.qualified, a.value) }
        for child in element.children {
            switch child {
            case .element(let e): try write(e)
            case .text(let t): try text(t)
            case .comment(let c): try comment(c)
            case .processingInstruction(let target, let data): try processingInstruction(target: target, data: data)
            }
        }
        try endElement()
    }
}
