/// An attribute in a namespace that Verso does not interpret (memoQ, SDL, ITS, Okapi…), kept
/// so that it can be written back.
public struct ExtensionAttribute: Sendable, Hashable, Codable {
    /// Namespace URI.
    public var namespace: String
    /// Prefix used in the source document (a writer may pick another).
    public var prefix: String
    /// Local name.
    public var name: String
    /// Value.
    public var value: String

    /// Creates an attribute.
    public init(namespace: String, prefix: String, name: String, value: String) {
        self.namespace = namespace
        self.prefix = prefix
        self.name = name
        self.value = value
    }
}

/// An element in a foreign namespace, kept whole (with its subtree) for round trip.
///
/// The model depends on nothing, so this is its own small tree rather than the XML layer's.
public struct ExtensionElement: Sendable, Hashable, Codable {
    /// Namespace URI ("" for none, which XLIFF forbids but real files contain).
    public var namespace: String
    /// Prefix used in the source document.
    public var prefix: String
    /// Local name.
    public var name: String
    /// Attributes, in order.
    public var attributes: [ExtensionAttribute]
    /// Children, in order.
    public var children: [ExtensionNode]

    /// Creates an element.
    public init(namespace: String, prefix: String, name: String, attributes: [ExtensionAttribute] = [], children: [ExtensionNode] = []) {
        self.namespace = namespace
        self.prefix = prefix
        self.name = name
        self.attributes = attributes
        self.children = children
    }
}

/// A child of an `ExtensionElement`.
public indirect enum ExtensionNode: Sendable, Hashable, Codable {
    /// A nested element.
    case element(ExtensionElement)
    /// Character data.
    case text(String)
}

/// The foreign attributes and elements attached to one place in a document.
public struct Extensions: Sendable, Hashable, Codable {
    /// Foreign attributes on the element.
    public var attributes: [ExtensionAttribute]
    /// Foreign child elements, in order.
    public var elements: [ExtensionElement]

    /// Creates a set of extensions (empty by default).
    public init(attributes: [ExtensionAttribute] = [], elements: [ExtensionElement] = []) {
        self.attributes = attributes
        self.elements = elements
    }

    /// True when nothing is kept.
    public var isEmpty: Bool { attributes.isEmpty && elements.isEmpty }
}
