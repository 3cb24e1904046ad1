/// How the HTML reader treats each element and attribute: what is a unit boundary, what becomes an
/// inline code, what is never translated, and which attribute values are translatable.
enum HTMLVocabulary {
    /// The reader's view of an element.
    enum Kind {
        /// Starts and ends units (`p`, `div`, `li`, `td`, `title`, and any element not listed).
        case block
        /// Becomes a paired inline code inside the unit (`b`, `a`, `span`).
        case inline
        /// Becomes a standalone inline code (`br`, `img`).
        case void
        /// Content is never text for translators (`script`, `style`, `svg`).
        case rawContent
    }

    static let inlineElements: Set<String> = [
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "blink", "button", "cite", "code", "data", "del",
        "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "meter", "nobr", "output", "picture", "q",
        "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
        "time", "tt", "u", "var", "map",
    ]

    static let voidElements: Set<String> = [
        "br", "img", "wbr", "input", "source", "track", "embed", "area", "image",
    ]

    static let rawContentElements: Set<String> = [
        "script", "style", "svg", "math", "iframe", "noembed", "noframes", "xmp", "template", "object", "applet",
    ]

    /// Whitespace is kept as written inside these.
    static let preformattedElements: Set<String> = ["pre", "textarea", "listing", "plaintext"]

    /// HTML5 elements that libxml2 2.9 does not know and reports as "Tag … invalid"; not a problem.
    static let html5Elements: Set<String> = [
        "article", "aside", "audio", "bdi", "canvas", "data", "datalist", "details", "dialog", "figcaption",
        "figure", "footer", "header", "hgroup", "main", "mark", "meter", "nav", "output", "picture",
        "progress", "rb", "rp", "rt", "rtc", "ruby", "search", "section", "slot", "source", "summary",
        "svg", "template", "time", "track", "video", "wbr", "math", "path", "g", "circle", "rect", "line",
        "polyline", "polygon", "use", "defs", "symbol", "text", "tspan", "title", "desc", "menu", "menuitem",
        "embed", "picture", "search",
    ]

    static func kind(of name: String) -> Kind {
        element(name).kind
    }

    /// What the reader needs to know of an element when its start tag comes.
    struct Element {
        var kind: Kind
        /// True for the elements in `preformattedElements`.
        var isPreformatted: Bool
    }

    /// Every listed element's kind and whitespace handling in one table: one lookup per start
    /// tag instead of one per list (each hashing the name again).
    private static let elements: [String: Element] = {
        var table: [String: Element] = [:]
        for name in rawContentElements { table[name] = Element(kind: .rawContent, isPreformatted: false) }
        for name in inlineElements { table[name] = Element(kind: .inline, isPreformatted: false) }
        for name in voidElements { table[name] = Element(kind: .void, isPreformatted: false) }
        for name in preformattedElements { table[name, default: Element(kind: .block, isPreformatted: false)].isPreformatted = true }
        return table
    }()

    /// The element called `name` (lower case); an element not listed is a block.
    static func element(_ name: String) -> Element {
        if let key = packedName(name) { return packedElements.element(key) }
        return elements[name] ?? Element(kind: .block, isPreformatted: false)
    }

    /// A name of one to eight bytes as an integer (its bytes, first byte lowest), or nil.
    private static func packedName(_ name: String) -> UInt64? {
        var name = name
        return name.withUTF8 { bytes -> UInt64? in
            guard bytes.count >= 1 && bytes.count <= 8 else { return nil }
            var key: UInt64 = 0
            for (i, b) in bytes.enumerated() { key |= UInt64(b) << (8 * UInt64(i)) }
            return key
        }
    }

    /// `elements` for the names of up to eight bytes (every listed name but `plaintext`), in an
    /// open-addressing table keyed by the packed name: a start tag's element found without
    /// hashing a string (a fifth of handling a start tag).
    private struct PackedTable {
        static let slots = 256
        var keys = [UInt64](repeating: 0, count: slots)
        var values = [Element](repeating: Element(kind: .block, isPreformatted: false), count: slots)

        @inline(__always)
        static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56) }

        mutating func insert(_ key: UInt64, _ value: Element) {
            var i = Self.slot(key)
            while keys[i] != 0 && keys[i] != key { i = (i + 1) & (Self.slots - 1) }
            keys[i] = key
            values[i] = value
        }

        /// The element for a packed name; a block when not listed.
        func element(_ key: UInt64) -> Element {
            var i = Self.slot(key)
            while true {
                let k = keys[i]
                if k == key { return values[i] }
                if k == 0 { return Element(kind: .block, isPreformatted: false) }
                i = (i + 1) & (Self.slots - 1)
            }
        }
    }

    private static let packedElements: PackedTable = {
        var table = PackedTable()
        for (name, element) in elements {
            if let key = packedName(name) { table.insert(key, element) }
        }
        return table
    }()

    /// `meta name`/`property` values whose `content` is text for readers.
    static let translatableMetaNames: Set<String> = [
        "description", "keywords", "title", "subject", "abstract", "og:title", "og:description",
        "og:site_name", "og:image:alt", "twitter:title", "twitter:description", "twitter:image:alt",
    ]

    /// True when the attribute `name` of this start tag holds text to translate.
    static func isTranslatable(attribute name: String, of tag: String, attributes: (String) -> String?) -> Bool {
        switch name {
        case "alt", "title", "placeholder", "aria-label", "aria-description", "aria-placeholder", "aria-roledescription":
            return true
        case "label":
            return ["option", "optgroup", "track", "menuitem"].contains(tag)
        case "summary":
            return tag == "table"
        case "standby":
            return tag == "object"
        case "content":
            guard tag == "meta" else { return false }
            let key = (attributes("name") ?? attributes("property") ?? "").lowercased()
            return translatableMetaNames.contains(key)
        case "value":
            guard tag == "input" else { return false }
            return ["submit", "button", "reset"].contains((attributes("type") ?? "").lowercased())
        default:
            return false
        }
    }

    /// XLIFF 1.2 `ctype`, XLIFF 2 `type` and `subType` of the code for an element.
    static func codeTypes(for name: String) -> (ctype: String, type: String, subType: String?) {
        switch name {
        case "b", "strong": return ("bold", "fmt", name == "b" ? "xlf:b" : nil)
        case "i", "em": return ("italic", "fmt", name == "i" ? "xlf:i" : nil)
        case "u": return ("underlined", "fmt", "xlf:u")
        case "a": return ("link", "link", nil)
        case "img", "image", "picture": return ("image", "image", nil)
        case "br": return ("lb", "fmt", "xlf:lb")
        case "input", "button", "label", "output", "meter": return ("x-html-\(name)", "ui", nil)
        case "q": return ("x-html-q", "quote", nil)
        default: return ("x-html-\(sanitized(name))", kind(of: name) == .rawContent ? "other" : "fmt", nil)
        }
    }

    /// An element name usable inside an `x-…` ctype (no whitespace).
    static func sanitized(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }.map(Character.init))
    }
}

/// Finds attribute values inside the exact text of a start tag, so that a translated value can
/// replace the original one in place. libxml2 reports attribute values but not where they are;
/// this follows HTML's attribute syntax over a tag libxml2 has already parsed, and the caller
/// checks every value found against libxml2's decoded value before using it.
enum HTMLTagScanner {
    /// An attribute as written.
    struct Attribute {
        /// Lower-cased name.
        var name: String
        /// The value's text between the quotes (or unquoted), UTF-16 range in the tag.
        var valueRange: Range<Int>?
        /// `"`, `'` or "" (unquoted).
        var quote: String
    }

    static func attributes(in tag: String) -> [Attribute] {
        let u = Array(tag.utf16)
        var out: [Attribute] = []
        func isSpace(_ c: UInt16) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
        var i = 0
        guard i < u.count, u[i] == 0x3C else { return [] } // <
        i += 1
        while i < u.count, !isSpace(u[i]), u[i] != 0x2F, u[i] != 0x3E { i += 1 }
        while i < u.count {
            while i < u.count, isSpace(u[i]) || u[i] == 0x2F { i += 1 }
            guard i < u.count, u[i] != 0x3E else { break }
            let nameStart = i
            i += 1
            while i < u.count, !isSpace(u[i]), u[i] != 0x2F, u[i] != 0x3E, u[i] != 0x3D { i += 1 }
            let name = String(decoding: u[nameStart..<i], as: UTF16.self).lowercased()
            var j = i
            while j < u.count, isSpace(u[j]) { j += 1 }
            guard j < u.count, u[j] == 0x3D else {
                out.append(Attribute(name: name, valueRange: nil, quote: ""))
                continue
            }
            j += 1
            while j < u.count, isSpace(u[j]) { j += 1 }
            if j < u.count, u[j] == 0x22 || u[j] == 0x27 {
                let q = u[j]
                let start = j + 1
                var k = start
                while k < u.count, u[k] != q { k += 1 }
                out.append(Attribute(name: name, valueRange: start..<k, quote: q == 0x22 ? "\"" : "'"))
                i = min(k + 1, u.count)
            } else {
                let start = j
                var k = start
                while k < u.count, !isSpace(u[k]), u[k] != 0x3E { k += 1 }
                out.append(Attribute(name: name, valueRange: start..<k, quote: ""))
                i = k
            }
        }
        return out
    }
}
