/// Well-known namespace URIs.
public enum XMLNamespace {
    /// The `xml:` prefix (`xml:lang`, `xml:space`).
    public static let xml = "http://www.w3.org/XML/1998/namespace"
    /// Namespace declarations (`xmlns`, `xmlns:p`).
    public static let xmlns = "http://www.w3.org/2000/xmlns/"
}

/// A namespace-qualified name as it appeared in the document.
public struct XMLName: Sendable, Hashable, CustomStringConvertible {
    /// Namespace URI, or "" for no namespace.
    public var namespace: String
    /// Local part.
    public var local: String
    /// Prefix used in the document ("" for none). Not part of the name's identity in XML,
    /// but kept so that foreign markup can be written back as it came.
    public var prefix: String

    /// Creates a name.
    public init(namespace: String = "", local: String, prefix: String = "") {
        self.namespace = namespace
        self.local = local
        self.prefix = prefix
    }

    /// `prefix:local` or `local`.
    public var qualified: String { prefix.isEmpty ? local : "\(prefix):\(local)" }

    /// The qualified name.
    public var description: String { qualified }

    /// True when namespace and local part match (the prefix does not count).
    public func matches(_ namespace: String, _ local: String) -> Bool {
        self.local == local && self.namespace == namespace
    }
}

/// An attribute of an element (namespace declarations are reported separately).
public struct XMLAttribute: Sendable, Hashable {
    /// The attribute's name.
    public var name: XMLName
    /// Its value, with entities and character references resolved.
    public var value: String

    /// Creates an attribute.
    public init(name: XMLName, value: String) {
        self.name = name
        self.value = value
    }
}

/// A namespace declaration (`xmlns:prefix="uri"`, or `xmlns="uri"` with an empty prefix).
public struct XMLNamespaceDeclaration: Sendable, Hashable {
    /// "" for the default namespace.
    public var prefix: String
    /// The namespace URI ("" undeclares a default namespace).
    public var uri: String

    /// Creates a declaration.
    public init(prefix: String, uri: String) {
        self.prefix = prefix
        self.uri = uri
    }
}

extension Array where Element == XMLAttribute {
    /// The value of the attribute with this namespace and local name, if present.
    public func value(_ local: String, namespace: String = "") -> String? {
        first { $0.name.local == local && $0.name.namespace == namespace }?.value
    }
}
