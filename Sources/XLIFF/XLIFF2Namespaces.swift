import XMLSupport

/// The namespace bindings in scope while writing, so that foreign elements and attributes get
/// a declaration exactly where one is missing (and a fresh prefix when theirs is taken).
struct XLIFF2NamespaceScope {
    private struct Binding {
        var prefix: String
        var uri: String
        var depth: Int
    }

    private var bindings: [Binding] = []
    private var generated = 0

    /// Binds `prefix` to `uri` at element depth `depth` (the element that declares it).
    mutating func bind(_ prefix: String, _ uri: String, depth: Int) {
        bindings.append(Binding(prefix: prefix, uri: uri, depth: depth))
    }

    /// Forgets the bindings of elements deeper than `depth`.
    mutating func pop(to depth: Int) {
        while let last = bindings.last, last.depth > depth { bindings.removeLast() }
    }

    /// The URI bound to `prefix`, if any ("" prefix: the default namespace).
    func uri(for prefix: String) -> String? {
        for b in bindings.reversed() where b.prefix == prefix { return b.uri }
        return nil
    }

    /// A non-empty prefix currently bound to `uri` (and not shadowed), if any.
    func prefix(for uri: String) -> String? {
        for b in bindings.reversed() where b.uri == uri && !b.prefix.isEmpty {
            if self.uri(for: b.prefix) == uri { return b.prefix }
        }
        return nil
    }

    /// The prefix to write for a name in `uri` whose source prefix was `preferred`; appends to
    /// `declarations` (and binds at `depth`) what the element must declare.
    mutating func resolve(uri: String, preferred: String, isAttribute: Bool, depth: Int, declarations: inout [(String, String)]) -> String {
        if uri == XMLNamespace.xml { return "xml" }
        if isAttribute && uri.isEmpty { return "" }
        if !isAttribute && preferred.isEmpty {
            if (self.uri(for: "") ?? "") == uri { return "" }
            if let p = prefix(for: uri) { return p }
            if !uri.isEmpty || self.uri(for: "") != nil {
                bind("", uri, depth: depth)
                declarations.append(("", uri))
            }
            return ""
        }
        if uri.isEmpty {
            // An unprefixed element in no namespace inside a default namespace.
            bind("", "", depth: depth)
            declarations.append(("", ""))
            return ""
        }
        if !preferred.isEmpty, preferred != "xml", preferred != "xmlns", self.uri(for: preferred) == uri { return preferred }
        if let p = prefix(for: uri) { return p }
        var chosen = preferred
        if chosen.isEmpty || chosen == "xml" || chosen == "xmlns" || self.uri(for: chosen) != nil {
            repeat {
                generated += 1
                chosen = "ns\(generated)"
            } while self.uri(for: chosen) != nil
        }
        bind(chosen, uri, depth: depth)
        declarations.append((chosen, uri))
        return chosen
    }
}
