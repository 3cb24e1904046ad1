import Diagnostics
import FileAccess
import TranslationModel
import XMLSupport

/// Checks an XLIFF 2.0/2.1/2.2 document against the specification: the structure and value
/// types its schemas define, and the processing requirements no schema can express (unique
/// ids at every level, references, `sc`/`ec` and `sm`/`em` pairing, `isolated`, editing hints and
/// reordering sequences, language and `xml:space` consistency, the rules of the Translation
/// Candidates, Glossary, Metadata, Format Style, Resource Data, Size and Length Restriction,
/// Validation, ITS and Change Tracking modules, and of extensions).
///
/// Streams the document: one `<unit>` (or other child of `<file>`/`<group>`) is held at a time.
/// Every problem is a `Finding` with the file, line and column; a document that is not
/// well-formed XML gives one error finding where the parser stopped.
public struct XLIFF2Validator: Sendable {
    /// Creates a validator.
    public init() {}

    /// Validates the file at `path`; `displayPath` (default `path`) names it in findings.
    public func validate(path: String, displayPath: String? = nil) -> [Finding] {
        let shown = displayPath ?? path
        let run = XLIFF2ValidationRun(displayPath: shown)
        do {
            let reader = try XMLStreamReader(path: path, displayPath: shown)
            try run.process(reader)
        } catch let error as LocatedError {
            run.fail(error)
        } catch {
            run.fail(XLIFFError(path: shown, String(describing: error)))
        }
        return run.findings(locatingIn: .file(path))
    }

    /// Validates a document held in memory.
    public func validate(bytes: [UInt8], displayPath: String) -> [Finding] {
        let run = XLIFF2ValidationRun(displayPath: displayPath)
        do {
            let reader = try XMLStreamReader(bytes: bytes, displayPath: displayPath)
            try run.process(reader)
        } catch let error as LocatedError {
            run.fail(error)
        } catch {
            run.fail(XLIFFError(path: displayPath, String(describing: error)))
        }
        return run.findings(locatingIn: .bytes(bytes))
    }
}

/// An element of the document held in memory while it is checked.
final class VNode {
    let name: XMLName
    let attributes: [XMLAttribute]
    var children: [VNode] = []
    /// Direct character data, concatenated.
    var text = ""
    /// Any child node at all (element, text, comment, processing instruction).
    var hasChildNodes = false
    let line: Int
    let occurrence: Int
    // unowned, not weak: every node is reached from its parent while it is used, and a weak
    // reference gives each of the millions of nodes a side table (12 % of validation time).
    unowned var parent: VNode?

    init(_ start: XMLStartElement, occurrence: Int, parent: VNode?) {
        name = start.name
        attributes = start.attributes
        line = start.line
        self.occurrence = occurrence
        self.parent = parent
    }

    /// Some attribute is in a namespace (a module's, `xml:`, an extension's).
    var hasNamespacedAttribute: Bool { attributes.contains { !$0.name.namespace.isEmpty } }

    /// A no-namespace attribute.
    func attr(_ local: String) -> String? {
        for a in attributes where a.name.local == local && a.name.namespace.isEmpty { return a.value }
        return nil
    }

    /// An attribute in a namespace.
    func attr(_ local: String, _ namespace: String) -> String? {
        for a in attributes where a.name.local == local && a.name.namespace == namespace { return a.value }
        return nil
    }

    func has(_ local: String) -> Bool { attr(local) != nil }

    var local: String { name.local }
    var qualified: String { name.qualified }

    /// Child elements with this namespace and local name.
    func children(_ namespace: String, _ local: String) -> [VNode] {
        children.filter { $0.name.namespace == namespace && $0.name.local == local }
    }

    /// This element and every descendant, depth first.
    func forEachDescendant(_ body: (VNode) -> Void) {
        for c in children {
            body(c)
            c.forEachDescendant(body)
        }
    }

    /// True when the text holds something other than XML white space.
    var hasSignificantText: Bool {
        text.utf8.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }
}

/// One structural element being streamed (`xliff`, `file`, `group`): what later siblings and
/// descendants need to know about it.
final class VScope {
    enum Kind { case xliff, file, group }
    let kind: Kind
    let node: VNode
    var sequence: XLIFF2Sequence
    /// Ids of extension elements directly under this element (scope of their uniqueness).
    var extensionIDs: Set<String> = []
    /// Ids found inside `slr:data` children of this element (targets of `slr:sizeInfoRef`).
    var sizeDataIDs: Set<String> = []
    /// Ids of groups (file scope) and units (file scope).
    var groupIDs: Set<String> = []
    var unitIDs: Set<String> = []
    /// Profiles the file's `slr:profiles` declares.
    var generalProfile: String?
    var storageProfile: String?
    /// `res:resourceItem` ids anywhere in the file.
    var resourceItemIDs: Set<String> = []
    /// References to check once the file is complete.
    var pendingSubFlows: [(ids: [String], node: VNode, attribute: String)] = []
    var pendingResourceRefs: [(ref: String, node: VNode)] = []

    init(kind: Kind, node: VNode, sequence: XLIFF2Sequence) {
        self.kind = kind
        self.node = node
        self.sequence = sequence
    }
}

/// The state of one validation: the scopes being streamed, the findings so far.
final class XLIFF2ValidationRun {
    let displayPath: String
    var ns = XLIFFNamespace.v2_0
    var version: XLIFFVersion = .v2_1
    var srcLang = ""
    var trgLang: String?
    var scopes: [VScope] = []
    var root: VNode?
    var fileIDs: Set<String> = []
    var reportedMissingTrgLang = false
    var sawFile = false
    var moduleElementCache: [String: XLIFF2ModuleElement]?
    /// Element rules by local name, for `elementRuleCacheVersion`.
    var elementRuleCache: [String: XLIFF2ElementRule?] = [:]
    var elementRuleCacheVersion: XLIFFVersion?

    private var pending: PendingFindings
    private var fatal: Finding?

    init(displayPath: String) {
        self.displayPath = displayPath
        pending = PendingFindings(displayPath: displayPath)
    }

    // MARK: - Findings

    /// Reports a problem at an element (or one of its attributes).
    func report(_ node: VNode?, _ message: String, code: String, attribute: String? = nil, severity: Severity = .error) {
        guard let node else { return pending.add(severity, message, code: code) }
        pending.add(severity, message, code: code, line: node.line, qualifiedName: node.qualified, occurrence: node.occurrence, attribute: attribute)
    }

    /// Records the error that stopped the reading.
    func fail(_ error: LocatedError) {
        fatal = Finding(.error, error.message, at: error.location, code: "xml.not-well-formed")
    }

    /// The findings in document order, with columns.
    func findings(locatingIn source: XLIFFValidationSource) -> [Finding] {
        var out = pending.findings(locatingIn: source)
        if let fatal { out.append(fatal) }
        return out
    }

    // MARK: - Streaming

    func process(_ reader: XMLStreamReader) throws {
        var stack: [VNode] = []
        while let event = try reader.next() {
            switch event {
            case .startElement(let start):
                let occurrence = pending.occurrence(of: start)
                let parent = stack.last
                let node = VNode(start, occurrence: occurrence, parent: parent)
                if let parent {
                    parent.hasChildNodes = true
                    parent.children.append(node)
                }
                stack.append(node)
                elementStarted(node, depth: stack.count)
            case .endElement:
                guard let node = stack.popLast() else { continue }
                elementEnded(node, depth: stack.count + 1)
            case .text(let t):
                if let top = stack.last {
                    top.hasChildNodes = true
                    // Structural elements keep only whether they hold text, not the text.
                    if isStreamed(top) {
                        if top.text.isEmpty, t.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) { top.text = t }
                    } else {
                        top.text += t
                    }
                }
            case .comment, .processingInstruction:
                stack.last?.hasChildNodes = true
            }
        }
        if root == nil {
            report(nil, "the document has no root element", code: "xliff2.no-root")
        }
    }

    private func isStreamed(_ node: VNode) -> Bool {
        guard let scope = scopes.last else { return false }
        return scope.node === node
    }

    private func elementStarted(_ node: VNode, depth: Int) {
        if depth == 1 {
            root = node
            startRoot(node)
            return
        }
        guard let scope = scopes.last, node.parent === scope.node else { return }
        // A child of a streamed element: advance its content model now.
        scope.sequence.feed(node, run: self)
        if node.name.namespace == ns {
            switch (scope.kind, node.local) {
            case (.xliff, "file"):
                startFile(node)
            case (.file, "group"), (.group, "group"):
                startGroup(node, in: scope)
            default:
                break
            }
        }
    }

    private func elementEnded(_ node: VNode, depth: Int) {
        if let scope = scopes.last, scope.node === node {
            endScope(scope)
            scopes.removeLast()
            detach(node)
            return
        }
        guard let scope = scopes.last, node.parent === scope.node else { return }
        // A complete child of a streamed element: check it, then let it go.
        checkChild(node, of: scope)
        detach(node)
    }

    private func detach(_ node: VNode) {
        guard let parent = node.parent else { return }
        if parent.children.last === node { parent.children.removeLast() }
        else if let i = parent.children.lastIndex(where: { $0 === node }) { parent.children.remove(at: i) }
    }

    // MARK: - Structural elements

    private func startRoot(_ node: VNode) {
        guard node.local == "xliff", node.name.namespace == XLIFFNamespace.v2_0 || node.name.namespace == XLIFFNamespace.v2_2 else {
            let where_ = node.name.namespace.isEmpty ? "no namespace" : "namespace '\(node.name.namespace)'"
            report(node, "not an XLIFF 2 document: the root element is <\(node.qualified)> in \(where_)", code: "xliff2.not-xliff2")
            return
        }
        ns = node.name.namespace
        let versionText = node.attr("version")
        if ns == XLIFFNamespace.v2_2 {
            version = .v2_2
            if let v = versionText, !["2.0", "2.1", "2.2"].contains(v) {
                report(node, "version '\(v)' is not 2.0, 2.1 or 2.2", code: "xliff2.invalid-value", attribute: "version")
            }
        } else {
            switch versionText {
            case "2.0"?: version = .v2_0
            case "2.1"?: version = .v2_1
            case nil: break
            case let v?: report(node, "version '\(v)' is not 2.0 or 2.1 (the namespace of XLIFF 2.0 and 2.1)", code: "xliff2.invalid-value", attribute: "version")
            }
        }
        srcLang = node.attr("srcLang") ?? ""
        trgLang = node.attr("trgLang")
        checkAttributes(node)
        scopes.append(VScope(kind: .xliff, node: node, sequence: XLIFF2Sequence(XLIFF2Rules.xliffModel(version: version, ns: ns), owner: node)))
    }

    private func startFile(_ node: VNode) {
        sawFile = true
        checkAttributes(node)
        checkSizeAttributes(ofStructural: node)
        if let id = node.attr("id"), !fileIDs.insert(id).inserted {
            report(node, "file id '\(id)' is not unique in the document", code: "xliff2.duplicate-id", attribute: "id")
        }
        scopes.append(VScope(kind: .file, node: node, sequence: XLIFF2Sequence(XLIFF2Rules.fileModel(ns: ns), owner: node)))
    }

    private func startGroup(_ node: VNode, in parent: VScope) {
        checkAttributes(node)
        checkSizeAttributes(ofStructural: node)
        if let id = node.attr("id"), let file = fileScope, !file.groupIDs.insert(id).inserted {
            report(node, "group id '\(id)' is not unique in its file", code: "xliff2.duplicate-id", attribute: "id")
        }
        scopes.append(VScope(kind: .group, node: node, sequence: XLIFF2Sequence(XLIFF2Rules.groupModel(ns: ns), owner: node)))
    }

    var fileScope: VScope? { scopes.first { $0.kind == .file } }

    private func endScope(_ scope: VScope) {
        scope.sequence.finish(run: self)
        if scope.node.hasSignificantText {
            report(scope.node, "<\(scope.node.qualified)> cannot contain text", code: "xliff2.unexpected-text")
        }
        if scope.kind == .file {
            for (ids, node, attribute) in scope.pendingSubFlows {
                for id in ids where !scope.unitIDs.contains(id) {
                    report(node, "'\(attribute)' refers to unit '\(id)', which is not in this file", code: "xliff2.invalid-reference", attribute: attribute)
                }
            }
            for (ref, node) in scope.pendingResourceRefs where !scope.resourceItemIDs.contains(ref) {
                report(node, "'ref' refers to resource item '\(ref)', which is not in this file", code: "xliff2.invalid-reference", attribute: "ref")
            }
        }
        if scope.kind == .xliff && !sawFile {
            // Reported by the content model already.
        }
    }

    /// Checks a complete child of `xliff`, `file` or `group`.
    private func checkChild(_ node: VNode, of scope: VScope) {
        if node.name.namespace == ns {
            switch node.local {
            case "unit":
                checkUnit(node, in: scope)
            case "notes":
                checkNotes(node)
                for note in node.children { checkSizeAttributes(ofStructural: note) }
            case "skeleton":
                checkSkeleton(node)
            case "file", "group":
                break // streamed
            default:
                checkCoreSubtree(node)
            }
        } else {
            checkForeign(node, under: scope.node, scope: scope)
        }
    }
}
