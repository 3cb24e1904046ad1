import Diagnostics
import TranslationModel
import XMLSupport

/// TBX dialects and their names.
public enum TBXFormat: String, Sendable, Hashable, CaseIterable {
    /// ISO 30042:2008 / TBX-Basic: `martif` root, `termEntry`/`langSet`/`tig`.
    case tbx2008 = "2008"
    /// ISO 30042:2019, DCA style: `tbx` root, `conceptEntry`/`langSec`/`termSec`, typed
    /// `descrip`/`termNote` elements (DCT-style namespaced elements are read too).
    case tbx2019 = "2019"

    /// TBX 2019 (ISO 30042:2019) namespace.
    public static let namespace2019 = "urn:iso:std:iso:30042:ed-2"
}

/// Streams the concepts of a TBX file one at a time, so that a termbase of a million entries
/// is never held whole in memory.
///
/// Reads TBX 2008 (`martif`, TBX-Basic and the TBX-Default files of real tools: `tig` and
/// `ntig`/`termGrp`, `descripGrp`, `termNoteGrp`) and TBX 2019 (`tbx`, DCA and DCT styles).
/// Parsing goes through XMLSupport: the `<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">` line
/// most files start with is never loaded, and nothing touches the network. Each entry is read
/// into a small tree, converted, and dropped.
///
/// With a `LanguageScope`, language sections outside it are passed over as they are parsed
/// (only whether they hold a term is noted) and their problems are not reported: a concept
/// whose terms are all outside the scope is kept without sections, so that concepts keep the
/// places (handles) and the merging across termbases they have when every language is read.
public final class TBXReader {
    /// The dialect, known once the root element has been read.
    public private(set) var format: TBXFormat = .tbx2008
    /// `xml:lang` of the root: the termbase's main language.
    public private(set) var language: String?
    /// The text of `sourceDesc` (or the `title`), when the header has one.
    public private(set) var sourceDescription: String?
    /// Problems that let reading go on (an unknown status value, an entry without terms).
    public private(set) var findings: [Finding] = []

    private let xml: XMLStreamReader
    private let displayPath: String
    /// The languages whose sections are converted.
    public let scope: LanguageScope
    private var entryCount = 0
    private var done = false

    /// Opens `path`; `displayPath` (default: `path`) names the file in errors. Reads up to the
    /// first entry, so that `format`, `language` and `sourceDescription` are known. `scope`:
    /// the languages whose sections are read (default: all).
    public init(path: String, displayPath: String? = nil, scope: LanguageScope = .all) throws {
        self.displayPath = displayPath ?? path
        self.scope = scope
        xml = try XMLStreamReader(path: path, displayPath: self.displayPath)
        try readProlog()
    }

    /// Reads a TBX document held in memory.
    public init(bytes: [UInt8], displayPath: String, scope: LanguageScope = .all) throws {
        self.displayPath = displayPath
        self.scope = scope
        xml = try XMLStreamReader(bytes: bytes, displayPath: displayPath)
        try readProlog()
    }

    private var pendingEntry: XMLStartElement?
    /// The entry being converted, its memory kept from entry to entry. Written only by
    /// `readEntry` and read by conversion after it: no access overlaps, so none is checked at
    /// run time (conversion reads it node by node).
    @exclusivity(unchecked) private var entry = Entry()
    /// Interned names, to know an element by comparing pointers rather than building its name.
    private lazy var atoms = Atoms(xml)

    private func readProlog() throws {
        var sawRoot = false
        while let event = try xml.next() {
            guard case .startElement(let start) = event else { continue }
            if !sawRoot {
                switch start.name.local {
                case "martif": format = .tbx2008
                case "tbx": format = .tbx2019
                default:
                    throw TermbaseError("not a TBX file: the root element is <\(start.name.qualified)>, expected <martif> or <tbx>", file: displayPath, line: start.line)
                }
                language = start.attribute("lang", namespace: XMLNamespace.xml)
                sawRoot = true
                continue
            }
            switch start.name.local {
            case "martifHeader", "tbxHeader":
                let header = try xml.readElement(start)
                sourceDescription = Self.describe(header)
            case "termEntry", "conceptEntry":
                pendingEntry = start
                return
            default:
                continue // text, body: descend
            }
        }
        if !sawRoot {
            throw TermbaseError("not a TBX file: no root element", file: displayPath)
        }
        done = true
    }

    private static func describe(_ header: XMLElement) -> String? {
        func find(_ e: XMLElement, _ name: String) -> XMLElement? {
            if e.name.local == name { return e }
            for c in e.elements { if let f = find(c, name) { return f } }
            return nil
        }
        if let s = find(header, "sourceDesc") {
            let text = s.elements(named: "p").map { collapse($0.textContent) }.filter { !$0.isEmpty }.joined(separator: " ")
            if !text.isEmpty { return text }
        }
        if let t = find(header, "title") { return collapse(t.textContent) }
        return nil
    }

    /// The next concept, or nil at the end of the file.
    public func next() throws -> Concept? {
        while !done {
            let start: XMLStartElement
            if let p = pendingEntry {
                start = p
                pendingEntry = nil
            } else {
                guard let event = try xml.next() else { done = true; break }
                guard case .startElement(let s) = event else { continue }
                guard s.name.local == "termEntry" || s.name.local == "conceptEntry" else { continue }
                start = s
            }
            let entry = try readEntry(start)
            entryCount += 1
            if let concept = try convert(entry) { return concept }
        }
        return nil
    }

    /// Reads every remaining concept.
    public func readAll() throws -> [Concept] {
        var out: [Concept] = []
        while let c = try next() { out.append(c) }
        return out
    }

    /// Reads a whole TBX file into a `Termbase` named after the file.
    public static func read(path: String, displayPath: String? = nil, name: String? = nil, scope: LanguageScope = .all) throws -> (Termbase, [Finding]) {
        let reader = try TBXReader(path: path, displayPath: displayPath, scope: scope)
        let concepts = try reader.readAll()
        let tb = Termbase(name: name ?? TermbaseFile.defaultName(for: path), language: reader.language, sourceDescription: reader.sourceDescription, concepts: concepts)
        return (tb, reader.findings)
    }

    // MARK: reading an entry

    /// The elements and text of one entry, read through the stream's cursor: an entry of a
    /// multilingual termbase has dozens of elements, and building them as `XMLElement`s
    /// (names, attribute lists, child arrays, one allocation each) was most of the time of
    /// reading the built-in glossaries, which every run of `verso prepare` or `convert` pays.
    /// Only what conversion looks at is kept: local names, the `id`, `type` and `xml:lang`
    /// attributes, the line, and the text.
    private struct Entry {
        struct Node {
            var local: String
            /// In a namespace other than none and TBX 2019's: a DCT-style data category.
            var inDialectNamespace: Bool
            var line: Int
            var id: String?
            var type: String?
            var lang: String?
            /// Child elements, in order (indices in `nodes`).
            var children: [Int32] = []
            /// The text pieces inside the element, nested ones included: `pieces[textStart..<textEnd]`.
            var textStart: Int
            var textEnd: Int = 0
        }

        var nodes: [Node] = []
        var pieces: [String] = []
        /// A language section outside the scope, passed over, would have given a term.
        var skippedSectionHasTerm = false

        mutating func reset() {
            nodes.removeAll(keepingCapacity: true)
            pieces.removeAll(keepingCapacity: true)
            skippedSectionHasTerm = false
        }

        /// All the text inside element `i`, as `XMLElement.textContent` gives it.
        func textContent(_ i: Int) -> String {
            let n = nodes[i]
            switch n.textEnd - n.textStart {
            case 0: return ""
            case 1: return pieces[n.textStart]
            default: return pieces[n.textStart..<n.textEnd].joined()
            }
        }
    }

    /// The names conversion tests, interned in this reader's parser.
    private struct Atoms {
        let id, type, lang, xmlNamespace, tbx2019: XMLAtom
        /// Element names a section outside the scope is read for.
        let langSet, langSec, tig, ntig, termSec, termGrp, term: XMLAtom
        /// Element names conversion switches on, with their strings.
        let known: [(XMLAtom, String)]

        init(_ xml: XMLStreamReader) {
            id = xml.atom("id")
            type = xml.atom("type")
            lang = xml.atom("lang")
            xmlNamespace = xml.atom(XMLNamespace.xml)
            tbx2019 = xml.atom(TBXFormat.namespace2019)
            langSet = xml.atom("langSet")
            langSec = xml.atom("langSec")
            tig = xml.atom("tig")
            ntig = xml.atom("ntig")
            termSec = xml.atom("termSec")
            termGrp = xml.atom("termGrp")
            term = xml.atom("term")
            known = ["langSet", "langSec", "tig", "ntig", "termSec", "termGrp", "term", "note", "descrip", "admin",
                     "termNote", "transac", "ref", "xref", "descripGrp", "adminGrp", "termNoteGrp"].map { (xml.atom($0), $0) }
        }
    }

    /// Reads the entry that `start` opens, up to its end tag; returns its node (0).
    private func readEntry(_ start: XMLStartElement) throws -> Int {
        entry.reset()
        let atoms = self.atoms
        entry.nodes.append(Entry.Node(
            local: start.name.local,
            inDialectNamespace: !start.name.namespace.isEmpty && start.name.namespace != TBXFormat.namespace2019,
            line: start.line, id: start.attribute("id"), type: start.attribute("type"),
            lang: start.attribute("lang", namespace: XMLNamespace.xml), textStart: 0))
        var open: [Int] = [0]
        while let kind = try xml.advance() {
            switch kind {
            case .startElement:
                let name = xml.localName, namespace = xml.namespace
                var local: String
                if let known = atoms.known.first(where: { $0.0 == name }) {
                    local = known.1
                } else {
                    local = xml.currentStartElement().name.local
                }
                var node = Entry.Node(local: local, inDialectNamespace: namespace != .none && namespace != atoms.tbx2019,
                                      line: xml.currentLine, textStart: entry.pieces.count)
                // The first of a repeated attribute, as `XMLStartElement.attribute` finds it.
                xml.forEachAttribute { attributeLocal, attributeNamespace, value in
                    if attributeNamespace == .none {
                        if attributeLocal == atoms.id { if node.id == nil { node.id = value.string } }
                        else if attributeLocal == atoms.type { if node.type == nil { node.type = value.string } }
                    } else if attributeNamespace == atoms.xmlNamespace && attributeLocal == atoms.lang {
                        if node.lang == nil { node.lang = value.string }
                    }
                }
                // A language section of the entry outside the scope: passed over (one without
                // a language is converted, to be reported).
                if open.count == 1, !scope.isAll, name == atoms.langSet || name == atoms.langSec,
                   let lang = node.lang, !lang.isEmpty, !scope.includes(lang) {
                    if try skipSection(inside: start) { entry.skippedSectionHasTerm = true }
                    continue
                }
                entry.nodes[open[open.count - 1]].children.append(Int32(entry.nodes.count))
                open.append(entry.nodes.count)
                entry.nodes.append(node)
            case .endElement:
                let done = open.removeLast()
                entry.nodes[done].textEnd = entry.pieces.count
                if open.isEmpty { return done }
            case .text:
                entry.pieces.append(xml.currentText)
            case .comment, .processingInstruction:
                break
            }
        }
        throw xml.error("unexpected end of document inside <\(start.name.qualified)>")
    }

    /// Reads up to the end of the section just opened without building it, and returns
    /// whether converting it would have given a term: a `tig`, `ntig` or `termSec` child whose
    /// first `term` (among its children, and the children of a `termGrp` child) has text, as
    /// `convertTerm` decides.
    private func skipSection(inside entryStart: XMLStartElement) throws -> Bool {
        let atoms = self.atoms
        var depth = 0 // open elements inside the section
        var hasTerm = false
        var inHolder = false, holderSawTerm = false
        var groupDepth = 0 // depth of an open termGrp child of the holder, or 0
        var termDepth = 0 // depth of the term element whose text is gathered, or 0
        var text = ""
        while let kind = try xml.advance() {
            switch kind {
            case .startElement:
                depth += 1
                let name = xml.localName
                if depth == 1 {
                    inHolder = name == atoms.tig || name == atoms.ntig || name == atoms.termSec
                    holderSawTerm = false
                } else if inHolder && !holderSawTerm && !hasTerm && termDepth == 0 {
                    if depth == 2 && name == atoms.termGrp {
                        groupDepth = 2
                    } else if (depth == 2 || (depth == 3 && groupDepth == 2)) && name == atoms.term {
                        holderSawTerm = true
                        termDepth = depth
                        text = ""
                    }
                }
            case .endElement:
                if depth == 0 { return hasTerm }
                if depth == termDepth {
                    termDepth = 0
                    // `!collapse(text).isEmpty`, answered at the first character that is not
                    // white space instead of collapsing the whole term.
                    if text.contains(where: { !$0.isWhitespace }) { hasTerm = true }
                }
                if depth == groupDepth { groupDepth = 0 }
                if depth == 1 { inHolder = false }
                depth -= 1
            case .text:
                if termDepth != 0 { text += xml.currentText }
            case .comment, .processingInstruction:
                break
            }
        }
        throw xml.error("unexpected end of document inside <\(entryStart.name.qualified)>")
    }

    // MARK: conversion

    private func location(_ line: Int) -> SourceLocation {
        SourceLocation(file: displayPath, line: line > 0 ? line : nil)
    }

    private func warn(_ message: String, line: Int) {
        findings.append(Finding(.warning, message, at: location(line), code: "tbx.read"))
    }

    /// A data category carried by an element: TBX 2008 and DCA write `<descrip type="definition">`,
    /// DCT writes `<basic:definition>`. Returns the element that holds the value and the category.
    private func category(of element: Int) -> (Int, String)? {
        let e = entry.nodes[element]
        switch e.local {
        case "descrip", "admin", "termNote", "transac", "ref", "xref":
            guard let type = e.type else { return nil }
            return (element, type)
        case "descripGrp", "adminGrp", "termNoteGrp":
            guard let first = e.children.first else { return nil }
            return category(of: Int(first))
        default:
            // DCT style: a data category as an element in a dialect namespace.
            if e.inDialectNamespace { return (element, e.local) }
            return nil
        }
    }

    private func convert(_ root: Int) throws -> Concept? {
        let entryNode = entry.nodes[root]
        var concept = Concept(id: entryNode.id ?? "c\(entryCount)")
        if entryNode.id == nil {
            warn("entry without an id; named '\(concept.id)'", line: entryNode.line)
        }
        for c in entryNode.children {
            let child = Int(c)
            switch entry.nodes[child].local {
            case "langSet", "langSec":
                if let section = try convertSection(child) {
                    if let i = concept.languageSections.firstIndex(where: { LanguageTag.same($0.language, section.language) }) {
                        concept.languageSections[i].terms += section.terms
                        concept.languageSections[i].notes += section.notes
                        if concept.languageSections[i].definition == nil { concept.languageSections[i].definition = section.definition }
                    } else {
                        concept.languageSections.append(section)
                    }
                }
            case "note":
                let t = collapse(entry.textContent(child))
                if !t.isEmpty { concept.notes.append(t) }
            default:
                guard let (holder, type) = category(of: child) else { continue }
                let value = collapse(entry.textContent(holder))
                guard !value.isEmpty else { continue }
                switch type {
                case "subjectField": concept.subjectField = concept.subjectField ?? value
                case "definition": concept.definition = concept.definition ?? value
                case "note", "explanation", "comment": concept.notes.append(value)
                default: break
                }
            }
        }
        if concept.languageSections.allSatisfy({ $0.terms.isEmpty }) && !entry.skippedSectionHasTerm {
            warn("entry '\(concept.id)' has no term; skipped", line: entryNode.line)
            return nil
        }
        return concept
    }

    private func convertSection(_ index: Int) throws -> LanguageSection? {
        let element = entry.nodes[index]
        guard let lang = element.lang, !lang.isEmpty else {
            throw TermbaseError("<\(element.local)> without xml:lang", at: location(element.line))
        }
        var section = LanguageSection(language: lang)
        for c in element.children {
            let child = Int(c)
            switch entry.nodes[child].local {
            case "tig", "ntig", "termSec":
                if let term = convertTerm(child) { section.terms.append(term) }
            case "note":
                let t = collapse(entry.textContent(child))
                if !t.isEmpty { section.notes.append(t) }
            default:
                guard let (holder, type) = category(of: child) else { continue }
                let value = collapse(entry.textContent(holder))
                guard !value.isEmpty else { continue }
                switch type {
                case "definition": section.definition = section.definition ?? value
                case "note", "explanation", "comment": section.notes.append(value)
                default: break
                }
            }
        }
        if section.terms.isEmpty {
            warn("language section '\(lang)' without a term", line: element.line)
            return nil
        }
        return section
    }

    private func convertTerm(_ index: Int) -> Term? {
        let element = entry.nodes[index]
        // tig/termSec: term and termNotes are children; ntig: inside termGrp.
        var parts: [Int] = []
        for c in element.children.map(Int.init) {
            if entry.nodes[c].local == "termGrp" { parts += entry.nodes[c].children.lazy.map(Int.init) } else { parts.append(c) }
        }
        guard let termIndex = parts.firstIndex(where: { entry.nodes[$0].local == "term" }) else {
            warn("<\(element.local)> without <term>", line: element.line)
            return nil
        }
        let termElement = entry.nodes[parts[termIndex]]
        let text = collapse(entry.textContent(parts[termIndex]))
        guard !text.isEmpty else {
            warn("empty <term>", line: termElement.line)
            return nil
        }
        var term = Term(text, id: termElement.id ?? element.id)
        for (k, part) in parts.enumerated() where k != termIndex {
            if entry.nodes[part].local == "note" {
                let t = collapse(entry.textContent(part))
                if !t.isEmpty { term.notes.append(t) }
                continue
            }
            guard let (holder, type) = category(of: part) else { continue }
            let value = collapse(entry.textContent(holder))
            guard !value.isEmpty else { continue }
            switch type {
            case "administrativeStatus", "normativeAuthorization", "usageStatus":
                if let s = Self.status(from: value) {
                    // The most restrictive statement wins when a file gives two.
                    if term.status == nil || s > term.status! { term.status = s }
                } else {
                    warn("unknown term status '\(value)'", line: entry.nodes[holder].line)
                }
            case "partOfSpeech": term.partOfSpeech = term.partOfSpeech ?? value
            case "termType": term.termType = term.termType ?? value
            case "grammaticalGender": term.grammaticalGender = term.grammaticalGender ?? value
            case "context": term.context = term.context ?? value
            case "note", "usageNote", "explanation", "comment": term.notes.append(value)
            default: break
            }
        }
        return term
    }

    /// Maps the status values of TBX-Basic (`preferredTerm-admn-sts`), TBX core
    /// (`normativeAuthorization`: `preferredTerm`, `supersededTerm`, …) and common tool exports
    /// (`forbidden`, `do not use`) to a `TermStatus`.
    public static func status(from value: String) -> TermStatus? {
        let v = letters(ofLowercased: value)
        if v.hasPrefix("preferred") || v.hasPrefix("standardized") || v.hasPrefix("standardised") || v.hasPrefix("legal") || v.hasPrefix("regulated") || v == "approved" || v == "recommended" {
            return .preferred
        }
        if v.hasPrefix("admitted") || v.hasPrefix("admissible") || v.hasPrefix("accepted") || v.hasPrefix("permitted") || v.hasPrefix("allowed") { return .admitted }
        if v.hasPrefix("deprecated") || v.hasPrefix("superseded") || v.hasPrefix("obsolete") || v.hasPrefix("notrecommended") || v.hasPrefix("outdated") { return .deprecated }
        if v.hasPrefix("forbidden") || v.hasPrefix("donotuse") || v.hasPrefix("prohibited") || v.hasPrefix("banned") { return .forbidden }
        return nil
    }
}

/// `value.lowercased().filter(\.isLetter)`, on the bytes when the value is ASCII (status
/// values always are in practice): classifying characters one by one was a noticeable part of
/// loading a large TBX file.
private func letters(ofLowercased value: String) -> String {
    var copy = value
    let ascii: String? = copy.withUTF8 { bytes in
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b >= 0x61 && b <= 0x7A { out.append(b) } else if b >= 0x41 && b <= 0x5A { out.append(b + 0x20) }
        }
        return String(decoding: out, as: UTF8.self)
    }
    return ascii ?? value.lowercased().filter { $0.isLetter }
}

/// Collapses runs of whitespace to one space and trims: TBX files wrap long definitions.
func collapse(_ s: String) -> String {
    if isCollapsed(s) { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count)
    var pendingSpace = false
    for ch in s {
        if ch.isWhitespace {
            pendingSpace = !out.isEmpty
        } else {
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(ch)
        }
    }
    return out
}

/// True when `collapse` would return `s` unchanged, decided on the UTF-8 bytes: the usual term
/// or definition, whose every character `collapse` would otherwise classify one at a time
/// (most of the time of reading the built-in glossaries). Conservative: false whenever a
/// whitespace character other than a single space between two others may be there.
private func isCollapsed(_ s: String) -> Bool {
    var s = s
    return s.withUTF8 { b in
        guard let first = b.first, let last = b.last, first != 0x20, last != 0x20 else { return b.isEmpty }
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                if c >= 0x09 && c <= 0x0D { return false }
                // A space followed by anything but a visible ASCII character: a second space,
                // or a combining mark that would make it one (whitespace) character with it.
                if c == 0x20 && !(b[i + 1] > 0x20 && b[i + 1] < 0x7F) { return false }
                i += 1
                continue
            }
            // The other White_Space characters: U+0085, U+00A0, U+1680, U+2000–U+200A,
            // U+2028, U+2029, U+202F, U+205F, U+3000.
            switch c {
            case 0xC2:
                if b[i + 1] == 0x85 || b[i + 1] == 0xA0 { return false }
            case 0xE1:
                if b[i + 1] == 0x9A && b[i + 2] == 0x80 { return false }
            case 0xE2:
                if b[i + 1] == 0x80 && (b[i + 2] <= 0x8A || b[i + 2] == 0xA8 || b[i + 2] == 0xA9 || b[i + 2] == 0xAF) { return false }
                if b[i + 1] == 0x81 && b[i + 2] == 0x9F { return false }
            case 0xE3:
                if b[i + 1] == 0x80 && b[i + 2] == 0x80 { return false }
            default:
                break
            }
            i += 1
        }
        return true
    }
}
