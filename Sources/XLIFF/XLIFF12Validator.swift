import Diagnostics
import TranslationModel
import XMLSupport

/// Checks an XLIFF 1.2 document (and 1.0/1.1 documents read as 1.2) against what the
/// specification and its transitional XML Schema require, without the schema: required
/// attributes, the value lists with their `x-` extension rule (`state`, `state-qualifier`,
/// `datatype`, `restype`, `ctype`, `mtype`, `context-type`, `count-type`, `unit`, `size-unit`,
/// `alttranstype`, `purpose`, `reformat`), `yes`/`no` attributes, `xml:space`, `pos`, `assoc`,
/// `annotates`, `priority`, `coord`, `mime-type`, `date`, well-formed BCP 47 language tags
/// (`source-language`, `target-language`, `xml:lang`), the identity rules (unique
/// `trans-unit`/`bin-unit` and `group` ids within a `<file>`, unique `mid`s of the `<mrk>`s of a
/// `<seg-source>`, target `<mrk>` and `<alt-trans>` `mid`s naming one of them, unique
/// `count-group` and `context-group` names, `tool-id` and `phase-name` references to the
/// header), and inline-code pairing (`<bpt>`/`<ept>` by `rid` or `id`, `<ex rid>` naming a
/// `<bx rid>`; target codes whose id is not in the source are warnings: the specification lets a
/// translation add codes).
///
/// Streams the document; memory holds one unit's ids at a time plus each file's id sets. Every
/// problem is a `Finding` with the file, line and column (of the attribute at fault when there is
/// one). Well-formedness errors are left to the reader that runs with it.
public struct XLIFF12Validator: Sendable {
    /// Creates a validator.
    public init() {}

    /// Validates the file at `path`; `displayPath` (default `path`) names it in findings.
    public func validate(path: String, displayPath: String? = nil) -> [Finding] {
        let shown = displayPath ?? path
        let run = XLIFF12ValidationRun(displayPath: shown)
        if let reader = try? XMLStreamReader(path: path, displayPath: shown) {
            // A parse error stops the walk; the reader reports it (code xml.not-well-formed).
            try? run.process(reader)
        }
        return run.findings(locatingIn: .file(path))
    }

    /// Validates a document held in memory.
    public func validate(bytes: [UInt8], displayPath: String) -> [Finding] {
        let run = XLIFF12ValidationRun(displayPath: displayPath)
        if let reader = try? XMLStreamReader(bytes: bytes, displayPath: displayPath) {
            try? run.process(reader)
        }
        return run.findings(locatingIn: .bytes(bytes))
    }
}

/// Value lists and attribute rules of XLIFF 1.2 that only validation needs (the lists the
/// reader and writer share are in `XLIFF12`).
enum XLIFF12Rules {
    static let yesNo: Set<String> = ["yes", "no"]
    static let positions: Set<String> = ["open", "close"]
    static let assoc: Set<String> = ["preceding", "following", "both"]
    static let annotates: Set<String> = ["source", "target", "general"]
    static let xmlSpace: Set<String> = ["default", "preserve"]
    static let versions: Set<String> = ["1.2", "1.1", "1.0"]
    static let priorities: Set<String> = Set((1...10).map(String.init))
    static let countTypes: Set<String> = ["num-usages", "repetition", "total"]
    static let reformatValues: Set<String> = [
        "coord", "coord-x", "coord-y", "coord-cx", "coord-cy", "font", "font-name", "font-size",
        "font-weight", "css-style", "style", "ex-style",
    ]
    /// `count-type` accepts any value of these lists (the schema's union).
    static let countTypeUnion: Set<String> = countTypes.union(XLIFF12.restypes).union(XLIFF12.datatypes).union(XLIFF12.states).union(XLIFF12.stateQualifiers)

    /// How an attribute's value is checked.
    enum Check {
        /// One of the values, or `x-…` when `extensible`.
        case list(Set<String>, extensible: Bool)
        /// A space-separated list of such values (`purpose`).
        case tokens(Set<String>)
        /// `yes`, `no`, or a space-separated list of `reformat` values.
        case reformat
        case language
        case languageOrEmpty
        case coordinates
        case mimeType
        case dateTime
    }

    /// Attributes that must be present, per element.
    static let required: [String: [String]] = [
        "xliff": ["version"],
        "file": ["original", "source-language", "datatype"],
        "trans-unit": ["id"],
        "bin-unit": ["id", "mime-type"],
        "mrk": ["mtype"],
        "it": ["pos"],
        "context": ["context-type"],
        "tool": ["tool-id", "tool-name"],
        "phase": ["phase-name", "process-name"],
        "count-group": ["name"],
        "external-file": ["href"],
        "prop": ["prop-type"],
    ]

    /// Checked no-namespace attributes, per element (from the transitional schema).
    static let attributes: [String: [String: Check]] = {
        let datatype = Check.list(XLIFF12.datatypes, extensible: true)
        let restype = Check.list(XLIFF12.restypes, extensible: true)
        let yn = Check.list(yesNo, extensible: false)
        let state = Check.list(XLIFF12.states, extensible: true)
        let qualifier = Check.list(XLIFF12.stateQualifiers, extensible: true)
        let sizeUnit = Check.list(XLIFF12.sizeUnits, extensible: true)
        let delimiter = Check.list(XLIFF12.delimiterCtypes, extensible: true)
        let placeholder = Check.list(XLIFF12.placeholderCtypes, extensible: true)
        let layout: [String: Check] = ["restype": restype, "datatype": datatype, "reformat": .reformat, "size-unit": sizeUnit, "coord": .coordinates, "translate": yn, "merged-trans": yn]
        return [
            "xliff": ["version": .list(versions, extensible: false)],
            "file": ["source-language": .language, "target-language": .language, "datatype": datatype, "date": .dateTime],
            "group": layout,
            "trans-unit": layout.merging(["approved": yn]) { $1 },
            "bin-unit": ["mime-type": .mimeType, "approved": yn, "translate": yn, "reformat": .reformat, "restype": restype],
            "bin-target": ["mime-type": .mimeType, "state": state, "state-qualifier": qualifier, "restype": restype],
            "target": ["state": state, "state-qualifier": qualifier, "restype": restype, "coord": .coordinates, "equiv-trans": yn],
            "alt-trans": ["datatype": datatype, "restype": restype, "coord": .coordinates, "alttranstype": .list(XLIFF12.altTransTypes, extensible: true)],
            "note": ["priority": .list(priorities, extensible: false), "annotates": .list(annotates, extensible: false)],
            "context-group": ["purpose": .tokens(XLIFF12.purposes)],
            "context": ["context-type": .list(XLIFF12.contextTypes, extensible: true), "match-mandatory": yn],
            "count": ["count-type": .list(countTypeUnion, extensible: true), "unit": .list(XLIFF12.countUnits, extensible: true)],
            "phase": ["date": .dateTime],
            "g": ["ctype": delimiter, "clone": yn],
            "x": ["ctype": placeholder, "clone": yn],
            "bx": ["ctype": delimiter, "clone": yn],
            "ph": ["ctype": placeholder, "assoc": .list(assoc, extensible: false)],
            "bpt": ["ctype": delimiter],
            "it": ["ctype": delimiter, "pos": .list(positions, extensible: false)],
            "sub": ["ctype": delimiter, "datatype": datatype],
            "mrk": ["mtype": .list(XLIFF12.mtypes, extensible: true)],
        ]
    }()

    /// Why `value` does not pass `check`, or nil.
    static func problem(_ value: String, _ check: Check) -> String? {
        let v = value.trimmingXMLWhitespace()
        switch check {
        case .list(let values, let extensible):
            if values.contains(v) || (extensible && XLIFF12.isExtensionValue(v)) { return nil }
            return extensible ? "is not one of the XLIFF 1.2 values and does not start with 'x-'" : "is not one of \(values.sorted(by: Self.naturalOrder).map { "'\($0)'" }.joined(separator: ", "))"
        case .tokens(let values):
            let tokens = v.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
            if !tokens.isEmpty, tokens.allSatisfy({ values.contains($0) || XLIFF12.isExtensionValue($0) }) { return nil }
            return "is not a list of \(values.sorted().joined(separator: ", ")) or 'x-' values"
        case .reformat:
            if yesNo.contains(v) { return nil }
            let tokens = v.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
            if !tokens.isEmpty, tokens.allSatisfy({ reformatValues.contains($0) || XLIFF12.isExtensionValue($0) }) { return nil }
            return "is not 'yes', 'no' or a list of reformat values (coord, font, css-style, … or 'x-' values)"
        case .language:
            do {
                _ = try LanguageTag(parsing: value)
                return nil
            } catch {
                return "is not a well-formed BCP 47 language tag: \(error.reason)"
            }
        case .languageOrEmpty:
            return value.isEmpty ? nil : problem(value, .language)
        case .coordinates:
            let parts = v.split(separator: ";", omittingEmptySubsequences: false)
            let ok = parts.count == 4 && parts.allSatisfy { p in
                p == "#" || (Int(p) != nil && !p.hasPrefix("+"))
            }
            return ok ? nil : "is not four coordinates 'x;y;cx;cy' (integers or '#')"
        case .mimeType:
            let top = ["text", "multipart", "message", "application", "image", "audio", "video", "model"]
            let ok = top.contains { t in v == t || (v.hasPrefix(t + "/") && v.count > t.count + 1) }
            return ok ? nil : "is not a MIME type (text/…, image/…, application/…)"
        case .dateTime:
            return isDateTime(v) ? nil : "is not an XML Schema dateTime (2008-02-01T12:00:00Z)"
        }
    }

    /// `xs:dateTime`: `[-]YYYY-MM-DDThh:mm:ss[.s+][Z|(+|-)hh:mm]`.
    static func isDateTime(_ s: String) -> Bool {
        var u = Array(s.utf8)
        if u.first == UInt8(ascii: "-") { u.removeFirst() }
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= u.count else { return nil }
            var v = 0
            for i in from..<(from + n) {
                guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        var i = 0
        while i < u.count, u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
        guard i >= 4, i < u.count, u[i] == UInt8(ascii: "-") else { return false }
        guard let month = digits(i + 1, 2), (1...12).contains(month), i + 3 < u.count, u[i + 3] == UInt8(ascii: "-"),
              let day = digits(i + 4, 2), (1...31).contains(day), i + 6 < u.count, u[i + 6] == UInt8(ascii: "T"),
              let hour = digits(i + 7, 2), hour <= 24, i + 9 < u.count, u[i + 9] == UInt8(ascii: ":"),
              let minute = digits(i + 10, 2), minute < 60, i + 12 < u.count, u[i + 12] == UInt8(ascii: ":"),
              let second = digits(i + 13, 2), second < 60 else { return false }
        i += 15
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < u.count, u[i] >= 0x30 && u[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        if i == u.count { return true }
        if u[i] == UInt8(ascii: "Z") { return i + 1 == u.count }
        guard u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), i + 6 == u.count,
              let h = digits(i + 1, 2), h <= 14, u[i + 3] == UInt8(ascii: ":"), let m = digits(i + 4, 2), m < 60 else { return false }
        return true
    }

    private static func naturalOrder(_ a: String, _ b: String) -> Bool {
        if let x = Int(a), let y = Int(b) { return x < y }
        return a < b
    }
}

/// One element on the stack while the document is walked.
private struct XLIFF12Node {
    var local: String
    var qualified: String
    var isXLIFF: Bool
    var attributes: [XMLAttribute]
    var line: Int
    var occurrence: Int

    func attr(_ local: String) -> String? {
        for a in attributes where a.name.local == local && a.name.namespace.isEmpty { return a.value }
        return nil
    }
}

/// Inline codes of one `<source>`, `<seg-source>` or `<target>` (of a unit or an `<alt-trans>`).
private struct CodeContainer {
    var element: XLIFF12Node
    /// `<bpt>`s and `<ept>`s by pairing key (`rid` when given, else `id`).
    var openings: [String: XLIFF12Node] = [:]
    var closings: [String: XLIFF12Node] = [:]
    var bptRIDs: Set<String> = []
    var eptRIDs: [(String, XLIFF12Node)] = []
    var bxRIDs: Set<String> = []
    var exRIDs: [(String, XLIFF12Node)] = []
    /// Ids of every code element, for the target-versus-source check.
    var codeIDs: [(String, XLIFF12Node)] = []
}

/// The state of one validation.
final class XLIFF12ValidationRun {
    private static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    let displayPath: String
    private var xliffNamespace: String?
    private var stack: [XLIFF12Node] = []

    // Per <file>.
    private var unitIDs: [String: Int] = [:]
    private var groupIDs: [String: Int] = [:]
    private var countGroupNames: Set<String> = []
    private var contextGroupNames: Set<String> = []
    private var externalUIDs: Set<String> = []
    private var toolIDs: Set<String> = []
    private var phaseNames: Set<String> = []
    private var toolRefs: [(String, XLIFF12Node)] = []
    private var phaseRefs: [(String, XLIFF12Node)] = []

    // Per <trans-unit>.
    private var segSourceMIDs: Set<String> = []
    private var sawSegSource = false
    private var sawSource = false
    private var sawBody = false
    /// The last child element of `<xliff>` when it is foreign markup after a `<file>`.
    private var foreignAfterFile: XLIFF12Node?
    private var sawFile = false
    private var midRefs: [(String, XLIFF12Node, String)] = []
    private var sourceCodeIDs: Set<String> = []
    private var targetCodeIDs: [(String, XLIFF12Node)] = []
    private var containers: [CodeContainer] = []

    private var pending: PendingFindings

    init(displayPath: String) {
        self.displayPath = displayPath
        pending = PendingFindings(displayPath: displayPath)
    }

    private func report(_ node: XLIFF12Node, _ message: String, code: String, attribute: String? = nil, severity: Severity = .error) {
        pending.add(severity, message, code: code, line: node.line, qualifiedName: node.qualified, occurrence: node.occurrence, attribute: attribute)
    }

    /// The findings in document order, with columns.
    func findings(locatingIn source: XLIFFValidationSource) -> [Finding] {
        pending.findings(locatingIn: source)
    }

    func process(_ reader: XMLStreamReader) throws {
        while let event = try reader.next() {
            switch event {
            case .startElement(let start):
                let q = start.name.qualified
                let occurrence = pending.occurrence(of: start)
                if stack.isEmpty {
                    guard start.name.local == "xliff", start.name.namespace.isEmpty || XLIFF12.namespaces.contains(start.name.namespace) else { return }
                    xliffNamespace = start.name.namespace
                }
                let node = XLIFF12Node(local: start.name.local, qualified: q, isXLIFF: start.name.namespace == xliffNamespace, attributes: start.attributes, line: start.line, occurrence: occurrence)
                started(node)
                stack.append(node)
            case .endElement:
                guard let node = stack.popLast() else { continue }
                ended(node)
            case .text, .comment, .processingInstruction:
                break
            }
        }
    }

    // MARK: - Elements

    private func started(_ node: XLIFF12Node) {
        checkAttributes(node)
        let parent = stack.last
        if stack.count == 1 {
            // Children of <xliff>: (foreign*, file)+ — foreign markup may only come before a file.
            if node.isXLIFF && node.local == "file" { sawFile = true; foreignAfterFile = nil }
            else if !node.isXLIFF && sawFile && foreignAfterFile == nil { foreignAfterFile = node }
        }
        guard node.isXLIFF else { return }
        switch node.local {
        case "file":
            unitIDs = [:]; groupIDs = [:]; countGroupNames = []; contextGroupNames = []; externalUIDs = []
            toolIDs = []; phaseNames = []; toolRefs = []; phaseRefs = []; sawBody = false
            if let t = node.attr("tool-id") { toolRefs.append((t, node)) }
        case "trans-unit", "bin-unit":
            if let id = node.attr("id") {
                if let first = unitIDs[id] {
                    report(node, "<\(node.local)> id '\(id)' is already used on line \(first) in this <file> (trans-unit and bin-unit ids must be unique within a file)", code: "xliff12.duplicate-id", attribute: "id")
                } else {
                    unitIDs[id] = node.line
                }
            }
            if let p = node.attr("phase-name"), node.local == "trans-unit" { phaseRefs.append((p, node)) }
            segSourceMIDs = []; sawSegSource = false; sawSource = false; midRefs = []; sourceCodeIDs = []; targetCodeIDs = []
        case "group":
            if let id = node.attr("id") {
                if let first = groupIDs[id] {
                    report(node, "<group> id '\(id)' is already used on line \(first) in this <file>", code: "xliff12.duplicate-id", attribute: "id")
                } else {
                    groupIDs[id] = node.line
                }
            }
        case "tool":
            if let id = node.attr("tool-id"), parent?.local == "header" { toolIDs.insert(id) }
        case "phase":
            if let name = node.attr("phase-name") { phaseNames.insert(name) }
            if let t = node.attr("tool-id") { toolRefs.append((t, node)) }
        case "count-group":
            if let name = node.attr("name"), !countGroupNames.insert(name).inserted {
                report(node, "<count-group> name '\(name)' is used twice in this <file>", code: "xliff12.duplicate-id", attribute: "name")
            }
        case "count":
            if let p = node.attr("phase-name") { phaseRefs.append((p, node)) }
        case "context-group":
            if let name = node.attr("name"), !contextGroupNames.insert(name).inserted {
                report(node, "<context-group> name '\(name)' is used twice in this <file>", code: "xliff12.duplicate-id", attribute: "name")
            }
        case "external-file":
            if let uid = node.attr("uid"), !externalUIDs.insert(uid).inserted {
                report(node, "<external-file> uid '\(uid)' is used twice in this <file>", code: "xliff12.duplicate-id", attribute: "uid")
            }
        case "alt-trans":
            if let t = node.attr("tool-id") { toolRefs.append((t, node)) }
            if let mid = node.attr("mid") { midRefs.append((mid, node, "<alt-trans> mid")) }
        case "seg-source":
            sawSegSource = true
            containers.append(CodeContainer(element: node))
        case "body":
            if parent?.local == "file" { sawBody = true }
        case "bin-source":
            if parent?.local == "bin-unit" { sawSource = true }
        case "source", "target":
            if node.local == "source", parent?.local == "trans-unit" { sawSource = true }
            if node.local == "target", let p = node.attr("phase-name") { phaseRefs.append((p, node)) }
            containers.append(CodeContainer(element: node))
        case "mrk":
            guard let parent, parent.isXLIFF else { break }
            if parent.local == "seg-source", stack.count >= 2, stack[stack.count - 2].local == "trans-unit" {
                if let mid = node.attr("mid") {
                    if !segSourceMIDs.insert(mid).inserted {
                        report(node, "mid '\(mid)' is used twice in this <seg-source>", code: "xliff12.duplicate-id", attribute: "mid")
                    }
                } else if node.attr("mtype") == "seg" {
                    report(node, "<mrk mtype=\"seg\"> has no mid: its translation cannot be matched with it", code: "xliff12.missing-mid", severity: .warning)
                }
            } else if parent.local == "target", stack.count >= 2, stack[stack.count - 2].local == "trans-unit", let mid = node.attr("mid") {
                midRefs.append((mid, node, "target <mrk> mid"))
            }
        case "bpt", "ept", "bx", "ex", "g", "x", "ph", "it":
            recordCode(node)
        default:
            break
        }
    }

    private func ended(_ node: XLIFF12Node) {
        guard node.isXLIFF else { return }
        switch node.local {
        case "xliff" where stack.isEmpty:
            if let foreign = foreignAfterFile {
                report(foreign, "<\(foreign.qualified)> comes after the last <file>: XLIFF 1.2 allows elements of other namespaces in <xliff> only before a <file>", code: "xliff12.misplaced-element")
            }
        case "source", "seg-source", "target":
            guard let container = containers.popLast() else { break }
            checkPairs(container)
            let inUnit = stack.last?.local == "trans-unit"
            if inUnit {
                if node.local == "target" { targetCodeIDs += container.codeIDs }
                else { for (id, _) in container.codeIDs { sourceCodeIDs.insert(id) } }
            }
        case "bin-unit":
            if !sawSource { report(node, "<bin-unit> has no <bin-source> (required)", code: "xliff12.missing-element") }
        case "trans-unit":
            let unitID = node.attr("id") ?? ""
            if !sawSource { report(node, "<trans-unit> has no <source> (required)", code: "xliff12.missing-element") }
            for (mid, ref, what) in midRefs where !segSourceMIDs.contains(mid) {
                let why = sawSegSource ? "no <mrk> of the unit's <seg-source> has that mid" : "the unit has no <seg-source>"
                report(ref, "\(what) '\(mid)' names no source segment of trans-unit '\(unitID)': \(why)", code: "xliff12.invalid-reference", attribute: "mid")
            }
            var said = Set<String>()
            for (id, code) in targetCodeIDs where !sourceCodeIDs.contains(id) && said.insert(id).inserted {
                report(code, "<\(code.local) id=\"\(id)\"> in the target of trans-unit '\(unitID)' has no code with that id in the source", code: "xliff12.code-not-in-source", attribute: "id", severity: .warning)
            }
        case "file":
            if !sawBody { report(node, "<file> has no <body> (required)", code: "xliff12.missing-element") }
            for (id, ref) in toolRefs where !toolIDs.contains(id) {
                report(ref, "tool-id '\(id)' names no <tool> of this file's <header>", code: "xliff12.invalid-reference", attribute: "tool-id")
            }
            for (name, ref) in phaseRefs where !phaseNames.contains(name) {
                report(ref, "phase-name '\(name)' names no <phase> of this file's <header>", code: "xliff12.invalid-reference", attribute: "phase-name")
            }
        default:
            break
        }
    }

    private func recordCode(_ node: XLIFF12Node) {
        guard !containers.isEmpty else { return }
        let i = containers.count - 1
        let id = node.attr("id")
        let rid = node.attr("rid")
        if let id { containers[i].codeIDs.append((id, node)) }
        switch node.local {
        case "bpt":
            if let rid, !containers[i].bptRIDs.insert(rid).inserted {
                report(node, "<bpt> rid '\(rid)' is used twice in this <\(containers[i].element.local)>", code: "xliff12.duplicate-id", attribute: "rid")
            }
            if let key = rid ?? id {
                if containers[i].openings[key] != nil {
                    report(node, "a second <bpt> with \(rid != nil ? "rid" : "id") '\(key)' in this <\(containers[i].element.local)>: its <ept> cannot tell them apart", code: "xliff12.duplicate-id", attribute: rid != nil ? "rid" : "id")
                } else {
                    containers[i].openings[key] = node
                }
            }
        case "ept":
            if let rid { containers[i].eptRIDs.append((rid, node)) }
            if let key = rid ?? id { containers[i].closings[key] = node }
        case "bx":
            if let rid, !containers[i].bxRIDs.insert(rid).inserted {
                report(node, "<bx> rid '\(rid)' is used twice in this <\(containers[i].element.local)>", code: "xliff12.duplicate-id", attribute: "rid")
            }
        case "ex":
            if let rid { containers[i].exRIDs.append((rid, node)) }
        default:
            break
        }
    }

    private func checkPairs(_ c: CodeContainer) {
        let inside = "<\(c.element.local)>"
        for (rid, node) in c.eptRIDs where !c.bptRIDs.contains(rid) {
            report(node, "<ept rid=\"\(rid)\"> has no <bpt rid=\"\(rid)\"> in this \(inside)", code: "xliff12.unpaired-code", attribute: "rid")
        }
        for (rid, node) in c.exRIDs where !c.bxRIDs.contains(rid) {
            report(node, "<ex rid=\"\(rid)\"> has no <bx rid=\"\(rid)\"> in this \(inside)", code: "xliff12.unpaired-code", attribute: "rid")
        }
        for (key, node) in c.openings where c.closings[key] == nil {
            let by = node.attr("rid") != nil ? "rid" : "id"
            report(node, "<bpt \(by)=\"\(key)\"> has no matching <ept> in this \(inside) (each <bpt> needs its <ept> in the same text)", code: "xliff12.unpaired-code", attribute: by)
        }
        for (key, node) in c.closings where c.openings[key] == nil && node.attr("rid") == nil {
            report(node, "<ept id=\"\(key)\"> has no matching <bpt> in this \(inside) (each <ept> needs its <bpt> in the same text)", code: "xliff12.unpaired-code", attribute: "id")
        }
    }

    // MARK: - Attributes

    private func checkAttributes(_ node: XLIFF12Node) {
        for a in node.attributes where a.name.namespace == Self.xmlNamespace {
            switch a.name.local {
            case "lang":
                if let why = XLIFF12Rules.problem(a.value, .languageOrEmpty) {
                    report(node, "xml:lang '\(a.value)' \(why)", code: "xliff12.invalid-language", attribute: "xml:lang")
                }
            case "space":
                if let why = XLIFF12Rules.problem(a.value, .list(XLIFF12Rules.xmlSpace, extensible: false)) {
                    report(node, "xml:space '\(a.value)' \(why)", code: "xliff12.invalid-value", attribute: "xml:space")
                }
            default:
                break
            }
        }
        guard node.isXLIFF else { return }
        for name in XLIFF12Rules.required[node.local] ?? [] where node.attr(name) == nil {
            report(node, "<\(node.local)> has no \(name) attribute (required)", code: "xliff12.missing-attribute")
        }
        guard let checks = XLIFF12Rules.attributes[node.local] else { return }
        for a in node.attributes where a.name.namespace.isEmpty {
            guard let check = checks[a.name.local], let why = XLIFF12Rules.problem(a.value, check) else { continue }
            let code: String
            switch check {
            case .language: code = "xliff12.invalid-language"
            default: code = "xliff12.invalid-value"
            }
            report(node, "<\(node.local)> \(a.name.local) '\(a.value)' \(why)", code: code, attribute: a.name.local)
        }
    }
}
