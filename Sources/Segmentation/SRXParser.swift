import Diagnostics
import FileAccess
import XMLSupport

extension SRXRules {
    /// Reads an SRX file. `displayPath` (default: `path`) is what errors name.
    ///
    /// Throws `FileAccessError` when the file cannot be read, `XMLError` when it is not
    /// well-formed XML, `SRXError` when it is not a usable SRX document. Regular expressions are
    /// checked when a `Segmenter` compiles them (or by `validate()`).
    public init(contentsOf path: String, displayPath: String? = nil) throws {
        let bytes = try InputFile.readBytes(path)
        try self.init(bytes: bytes, displayPath: displayPath ?? path)
    }

    /// Reads an SRX document held in memory.
    public init(bytes: [UInt8], displayPath: String) throws {
        // libxml2 calls an empty document "Extra content at the end of the document": say it plainly.
        let content = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if content.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw SRXError(location: SourceLocation(file: displayPath), message: "the file is empty: expected an SRX document (<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\">)")
        }
        let root = try XMLDocumentParser.parse(bytes: bytes, displayPath: displayPath)
        self = try SRXParser(bytes: bytes, displayPath: displayPath).parse(root)
    }
}

/// Builds `SRXRules` from the XML tree, checking the structure SRX 2.0 requires.
struct SRXParser {
    let displayPath: String
    /// Byte offset where each line starts (index 0 is line 1).
    private let lineStarts: [Int]
    private let bytes: [UInt8]

    init(bytes: [UInt8], displayPath: String) {
        self.bytes = bytes
        self.displayPath = displayPath
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    private func location(_ element: XMLElement) -> SourceLocation {
        SourceLocation(file: displayPath, line: element.line > 0 ? element.line : nil)
    }

    private func error(_ element: XMLElement, _ message: String) -> SRXError {
        SRXError(location: location(element), message: message)
    }

    private func isSRX(_ name: XMLName) -> Bool {
        name.namespace == SRXNamespace.uri || name.namespace == SRXNamespace.srx10 || name.namespace.isEmpty
    }

    func parse(_ root: XMLElement) throws(SRXError) -> SRXRules {
        guard root.name.local == "srx", isSRX(root.name) else {
            throw error(root, "not an SRX document: the root element is <\(root.name.qualified)>, expected <srx xmlns=\"\(SRXNamespace.uri)\">")
        }
        let version = root.attribute("version") ?? ""
        guard version == "2.0" || version == "1.0" else {
            throw error(root, version.isEmpty ? "<srx> has no version attribute (expected version=\"2.0\")" : "unsupported SRX version \"\(version)\" (Verso reads SRX 2.0 and 1.0)")
        }
        guard let header = root.elements.first(where: { $0.name.local == "header" && isSRX($0.name) }) else {
            throw error(root, "<srx> has no <header>")
        }
        guard let body = root.elements.first(where: { $0.name.local == "body" && isSRX($0.name) }) else {
            throw error(root, "<srx> has no <body>")
        }
        var rules = SRXRules(displayPath: displayPath, version: version, languageRules: [], languageMaps: [])
        try parseHeader(header, into: &rules)

        guard let languageRulesElement = body.elements.first(where: { $0.name.local == "languagerules" && isSRX($0.name) }) else {
            throw error(body, "<body> has no <languagerules>")
        }
        var seen: [String: Int] = [:]
        for element in languageRulesElement.elements where isSRX(element.name) {
            guard element.name.local == "languagerule" else {
                throw error(element, "unexpected <\(element.name.qualified)> in <languagerules>")
            }
            guard let name = element.attribute("languagerulename"), !name.isEmpty else {
                throw error(element, "<languagerule> has no languagerulename")
            }
            if let previous = seen[name] {
                throw error(element, "languagerule \"\(name)\" is defined twice (first at line \(previous))")
            }
            seen[name] = element.line
            var list: [SRXRule] = []
            for ruleElement in element.elements where isSRX(ruleElement.name) {
                guard ruleElement.name.local == "rule" else {
                    throw error(ruleElement, "unexpected <\(ruleElement.name.qualified)> in languagerule \"\(name)\"")
                }
                list.append(try parseRule(ruleElement, languageRule: name))
            }
            rules.languageRules.append(SRXLanguageRule(name: name, rules: list, location: location(element)))
        }

        if let maps = body.elements.first(where: { $0.name.local == "maprules" && isSRX($0.name) }) {
            for element in maps.elements where isSRX(element.name) {
                switch element.name.local {
                case "languagemap":
                    rules.languageMaps.append(try parseMap(element, known: seen))
                case "maprule": // SRX 1.0 groups its language maps in named map rules
                    for inner in element.elements where isSRX(inner.name) && inner.name.local == "languagemap" {
                        rules.languageMaps.append(try parseMap(inner, known: seen))
                    }
                default:
                    throw error(element, "unexpected <\(element.name.qualified)> in <maprules>")
                }
            }
        }
        return rules
    }

    private func yesNo(_ element: XMLElement, _ attribute: String, default value: Bool) throws(SRXError) -> Bool {
        guard let raw = element.attribute(attribute) else { return value }
        switch raw.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default: throw error(element, "\(attribute)=\"\(raw)\" on <\(element.name.qualified)> must be \"yes\" or \"no\"")
        }
    }

    private func parseHeader(_ header: XMLElement, into rules: inout SRXRules) throws(SRXError) {
        rules.segmentSubflows = try yesNo(header, "segmentsubflows", default: true)
        rules.cascade = try yesNo(header, "cascade", default: false)
        for element in header.elements {
            switch (element.name.namespace, element.name.local) {
            case (_, "formathandle") where isSRX(element.name):
                let include = try yesNo(element, "include", default: true)
                switch element.attribute("type") ?? "" {
                case "start": rules.codePlacement.includeStartCodes = include
                case "end": rules.codePlacement.includeEndCodes = include
                case "isolated": rules.codePlacement.includeIsolatedCodes = include
                case let other: throw error(element, "formathandle type=\"\(other)\" must be start, end or isolated")
                }
            case (SRXNamespace.okapi, "options"):
                // LanguageTool spells it useIcu4JBreakRules, Okapi useIcu4jBreakRules.
                let icu = element.attribute("useIcu4jBreakRules") != nil ? "useIcu4jBreakRules" : "useIcu4JBreakRules"
                rules.useICUBreakRules = try yesNo(element, icu, default: false)
                rules.regexDialect = try yesNo(element, "useJavaRegex", default: true) ? .java : .icu
            case (SRXNamespace.okapi, "rangeRule"):
                let text = element.textContent
                if !text.isEmpty {
                    rules.maskPattern = text
                    rules.maskPatternLocation = textLocation(of: element)
                }
            case (SRXNamespace.verso, "options"):
                rules.breakInsideCodeSpans = try yesNo(element, "breakInsideCodeSpans", default: false)
                if let dialect = element.attribute("regexDialect") {
                    guard let d = SRXRegexDialect(rawValue: dialect) else {
                        throw error(element, "regexDialect=\"\(dialect)\" must be \"java\" or \"icu\"")
                    }
                    rules.regexDialect = d
                }
            default:
                break // other extensions (okpsrx:sample…) are not needed to segment
            }
        }
    }

    private func parseRule(_ element: XMLElement, languageRule: String) throws(SRXError) -> SRXRule {
        let isBreak = try yesNo(element, "break", default: true)
        var before = "", after = ""
        var beforeLocation: SourceLocation?, afterLocation: SourceLocation?
        var sawBefore = false, sawAfter = false
        for child in element.elements where isSRX(child.name) {
            switch child.name.local {
            case "beforebreak":
                if sawBefore { throw error(child, "a rule of languagerule \"\(languageRule)\" has two <beforebreak>") }
                sawBefore = true
                before = child.textContent
                beforeLocation = textLocation(of: child)
            case "afterbreak":
                if sawAfter { throw error(child, "a rule of languagerule \"\(languageRule)\" has two <afterbreak>") }
                sawAfter = true
                after = child.textContent
                afterLocation = textLocation(of: child)
            default:
                throw error(child, "unexpected <\(child.name.qualified)> in a rule of languagerule \"\(languageRule)\"")
            }
        }
        return SRXRule(isBreak: isBreak, beforeBreak: before, afterBreak: after, location: location(element),
                       beforeBreakLocation: beforeLocation, afterBreakLocation: afterLocation)
    }

    private func parseMap(_ element: XMLElement, known: [String: Int]) throws(SRXError) -> SRXLanguageMap {
        guard let pattern = element.attribute("languagepattern") else {
            throw error(element, "<languagemap> has no languagepattern")
        }
        guard let name = element.attribute("languagerulename") else {
            throw error(element, "<languagemap> has no languagerulename")
        }
        guard known[name] != nil else {
            throw error(element, "languagemap refers to languagerule \"\(name)\", which is not defined")
        }
        return SRXLanguageMap(languagePattern: pattern, languageRuleName: name, location: location(element))
    }

    /// Line and column of the first character of an element's text, found in the raw bytes after
    /// the start tag (libxml2 gives the line of the tag only).
    private func textLocation(of element: XMLElement) -> SourceLocation {
        let line = element.line
        guard line >= 1, line <= lineStarts.count else { return location(element) }
        let tag = Array("<\(element.name.qualified)".utf8)
        var i = lineStarts[line - 1]
        // find the tag on its line
        var found = -1
        while i + tag.count <= bytes.count {
            if bytes[i] == 0x0A && found < 0 && i > lineStarts[line - 1] { break }
            if bytes[i] == tag[0], Array(bytes[i..<(i + tag.count)]) == tag {
                found = i
                break
            }
            i += 1
        }
        guard found >= 0 else { return location(element) }
        // skip to the end of the start tag
        var j = found + tag.count
        var quote: UInt8? = nil
        while j < bytes.count {
            let b = bytes[j]
            if let q = quote { if b == q { quote = nil } } else if b == 0x22 || b == 0x27 { quote = b } else if b == 0x3E { break }
            j += 1
        }
        j += 1
        // line and column (in characters) of byte j
        var l = line
        while l < lineStarts.count && lineStarts[l] <= j { l += 1 }
        let start = lineStarts[l - 1]
        var column = 1
        var k = start
        while k < j && k < bytes.count {
            if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        return SourceLocation(file: displayPath, line: l, column: column - (j > start ? 0 : 0))
    }
}

extension SourceLocation {
    /// The location `offset` UTF-16 units into a pattern whose text starts here, assuming the
    /// pattern sits on one line with `<`, `>` and `&` written as entity references.
    func advanced(inPattern pattern: String, byUTF16Offset offset: Int) -> SourceLocation {
        guard let column else { return self }
        var result = self
        var col = column
        var seen = 0
        for scalar in pattern.unicodeScalars {
            if seen >= offset { break }
            if scalar == "\n" { return self }
            switch scalar {
            case "<", ">": col += 4
            case "&": col += 5
            default: col += 1
            }
            seen += scalar.utf16.count
        }
        result.column = col
        return result
    }
}
