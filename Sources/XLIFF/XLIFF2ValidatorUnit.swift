import Diagnostics
import TranslationModel
import XMLSupport

/// One inline element of a `<source>` or `<target>`, in document order, for the pairing and
/// reordering rules (`<pc>` and `<mrk>` give a start and an end).
struct XLIFF2InlineItem {
    enum Kind { case ph, pcStart, pcEnd, sc, ec, mrkStart, mrkEnd, sm, em }
    var kind: Kind
    var node: VNode
    var part: Int

    var isCode: Bool {
        switch kind {
        case .ph, .pcStart, .pcEnd, .sc, .ec: return true
        default: return false
        }
    }

    /// `canReorder` in effect (the end of a `<pc>` continues its sequence as `no`).
    var reorder: String {
        let value = node.attr("canReorder") ?? "yes"
        if kind == .pcEnd { return value == "yes" ? "yes" : "no" }
        return value
    }

    /// What identifies the code across source and target (`ph:1`, `ec:1` for `startRef`…).
    var key: String {
        switch kind {
        case .ph: return "ph:" + (node.attr("id") ?? "")
        case .pcStart: return "pc:" + (node.attr("id") ?? "")
        case .pcEnd: return "/pc:" + (node.attr("id") ?? "")
        case .sc: return "sc:" + (node.attr("id") ?? "")
        case .ec: return "ec:" + (node.attr("startRef") ?? node.attr("id") ?? "")
        case .mrkStart: return "mrk:" + (node.attr("id") ?? "")
        case .mrkEnd: return "/mrk:" + (node.attr("id") ?? "")
        case .sm: return "sm:" + (node.attr("id") ?? "")
        case .em: return "em:" + (node.attr("startRef") ?? "")
        }
    }
}

extension XLIFF2ValidationRun {
    // MARK: - Unit

    func checkUnit(_ unit: VNode, in scope: VScope) {
        checkAttributes(unit)
        let unitID = unit.attr("id")
        if let id = unitID, let file = fileScope, !file.unitIDs.insert(id).inserted {
            report(unit, "unit id '\(id)' is not unique in its file", code: "xliff2.duplicate-id", attribute: "id")
        }
        if unit.hasSignificantText { report(unit, "<unit> cannot contain text", code: "xliff2.unexpected-text") }
        var sequence = XLIFF2Sequence(XLIFF2Rules.unitModel, owner: unit)
        let unitScope = VScope(kind: .group, node: unit, sequence: sequence)
        var parts: [VNode] = []
        var notes: [VNode] = []
        var data: [String: VNode] = [:]
        for c in unit.children {
            sequence.feed(c, run: self)
            if c.name.namespace == ns {
                switch c.local {
                case "segment", "ignorable":
                    parts.append(c)
                    checkPartStructure(c)
                case "notes":
                    checkNotes(c)
                    notes += c.children(ns, "note")
                case "originalData":
                    data.merge(checkOriginalData(c)) { a, _ in a }
                default:
                    checkAttributes(c)
                }
            }
        }
        sequence.finish(run: self)
        if !parts.contains(where: { $0.local == "segment" }) {
            report(unit, "<unit> needs at least one <segment>", code: "xliff2.missing-element")
        }
        for c in unit.children where c.name.namespace != ns {
            checkForeign(c, under: unit, scope: unitScope)
        }
        let context = UnitContext(unit: unit, unitID: unitID, parts: parts, notes: notes, data: data, sizeDataIDs: scopes.reduce(unitScope.sizeDataIDs) { $0.union($1.sizeDataIDs) })
        checkUnitInline(context)
        checkUnitModules(context)
        checkSizeAttributes(unit, context: context)
    }

    /// What the rules of a unit need to know about it.
    struct UnitContext {
        var unit: VNode
        var unitID: String?
        var parts: [VNode]
        var notes: [VNode]
        var data: [String: VNode]
        var sizeDataIDs: Set<String>
        var sourceItems: [XLIFF2InlineItem] = []
        var targetItems: [XLIFF2InlineItem] = []
        /// Ids of segments, ignorables and source inline elements.
        var sourceIDs: [String: [VNode]] = [:]
        /// Ids of target inline elements.
        var targetIDs: [String: [VNode]] = [:]

        init(unit: VNode, unitID: String?, parts: [VNode], notes: [VNode], data: [String: VNode], sizeDataIDs: Set<String>) {
            self.unit = unit
            self.unitID = unitID
            self.parts = parts
            self.notes = notes
            self.data = data
            self.sizeDataIDs = sizeDataIDs
        }
    }

    private func checkPartStructure(_ part: VNode) {
        checkAttributes(part)
        if part.hasSignificantText { report(part, "<\(part.local)> cannot contain text", code: "xliff2.unexpected-text") }
        var sequence = XLIFF2Sequence(XLIFF2Rules.partModel, owner: part)
        for c in part.children {
            sequence.feed(c, run: self)
            if c.name.namespace == ns && (c.local == "source" || c.local == "target") {
                checkAttributes(c)
                checkInlineStructure(c)
            } else if c.name.namespace == ns {
                checkAttributes(c)
            }
        }
        sequence.finish(run: self)
        if part.local == "segment" {
            if part.has("subState") && !part.has("state") {
                report(part, "'subState' needs 'state' on the same <segment>", code: "xliff2.substate-without-state", attribute: "subState")
            }
            if let state = part.attr("state"), state != "initial", SegmentState(rawValue: state) != nil, part.children(ns, "target").isEmpty {
                report(part, "a <segment> in state '\(state)' needs a <target>", code: "xliff2.state-without-target", attribute: "state")
            }
        }
    }

    /// Checks `<originalData>` and returns its `<data>` by id.
    @discardableResult
    func checkOriginalData(_ node: VNode) -> [String: VNode] {
        checkAttributes(node)
        var out: [String: VNode] = [:]
        if node.hasSignificantText { report(node, "<originalData> cannot contain text", code: "xliff2.unexpected-text") }
        if node.children.isEmpty { report(node, "<originalData> needs at least one <data>", code: "xliff2.missing-element") }
        for d in node.children {
            guard d.name.namespace == ns, d.local == "data" else {
                report(d, "<\(d.qualified)> is not allowed in <originalData>", code: "xliff2.unexpected-element")
                continue
            }
            checkAttributes(d)
            if let id = d.attr("id") {
                if out[id] != nil { report(d, "data id '\(id)' is not unique in its <originalData>", code: "xliff2.duplicate-id", attribute: "id") }
                else { out[id] = d }
            }
            for c in d.children {
                if c.name.namespace == ns && c.local == "cp" { checkCodePoint(c) }
                else { report(c, "<\(c.qualified)> is not allowed in <data>", code: "xliff2.unexpected-element") }
            }
        }
        return out
    }

    private func checkCodePoint(_ cp: VNode) {
        checkAttributes(cp)
        if cp.hasChildNodes { report(cp, "<cp> must be empty", code: "xliff2.unexpected-content") }
        guard let hex = cp.attr("hex"), XLIFF2AttributeType.hex.problem(hex) == nil else { return }
        guard let value = UInt32(hex, radix: 16), value <= 0x10FFFF else {
            report(cp, "<cp hex=\"\(hex)\"> is beyond the last Unicode code point", code: "xliff2.invalid-value", attribute: "hex")
            return
        }
        if !XLIFF2Rules.isCodePointForCP(value) {
            report(cp, "<cp hex=\"\(hex)\"> stands for a character XML can hold: write the character itself", code: "xliff2.invalid-code-point", attribute: "hex")
        }
    }

    /// The elements and attributes allowed inside `<source>`, `<target>`, `<pc>` and `<mrk>`.
    func checkInlineStructure(_ content: VNode) {
        for c in content.children {
            guard c.name.namespace == ns else {
                report(c, "<\(c.qualified)> is not allowed in <\(content.local)>: inline content holds XLIFF inline elements only", code: "xliff2.unexpected-element")
                continue
            }
            switch c.local {
            case "cp":
                checkCodePoint(c)
            case "pc", "mrk":
                checkAttributes(c)
                checkInlineStructure(c)
            case "ph", "sc", "ec", "sm", "em":
                checkAttributes(c)
                if c.hasChildNodes && (!c.children.isEmpty || c.hasSignificantText) {
                    report(c, "<\(c.local)> must be empty", code: "xliff2.unexpected-content")
                }
            default:
                report(c, "<\(c.local)> is not allowed in <\(content.local)>", code: "xliff2.unexpected-element")
            }
        }
    }

    // MARK: - Inline rules of a unit

    static func flatten(_ content: VNode, part: Int, ns: String, into items: inout [XLIFF2InlineItem]) {
        for c in content.children where c.name.namespace == ns {
            switch c.local {
            case "ph": items.append(XLIFF2InlineItem(kind: .ph, node: c, part: part))
            case "sc": items.append(XLIFF2InlineItem(kind: .sc, node: c, part: part))
            case "ec": items.append(XLIFF2InlineItem(kind: .ec, node: c, part: part))
            case "sm": items.append(XLIFF2InlineItem(kind: .sm, node: c, part: part))
            case "em": items.append(XLIFF2InlineItem(kind: .em, node: c, part: part))
            case "pc":
                items.append(XLIFF2InlineItem(kind: .pcStart, node: c, part: part))
                flatten(c, part: part, ns: ns, into: &items)
                items.append(XLIFF2InlineItem(kind: .pcEnd, node: c, part: part))
            case "mrk":
                items.append(XLIFF2InlineItem(kind: .mrkStart, node: c, part: part))
                flatten(c, part: part, ns: ns, into: &items)
                items.append(XLIFF2InlineItem(kind: .mrkEnd, node: c, part: part))
            default: continue
            }
        }
    }

    private func checkUnitInline(_ c: UnitContext) {
        var context = c
        // Collect the inline elements of each side and the ids.
        for (i, part) in context.parts.enumerated() {
            if let id = part.attr("id") { context.sourceIDs[id, default: []].append(part) }
            for source in part.children(ns, "source") { Self.flatten(source, part: i, ns: ns, into: &context.sourceItems) }
            for target in part.children(ns, "target") { Self.flatten(target, part: i, ns: ns, into: &context.targetItems) }
        }
        for item in context.sourceItems where item.kind != .pcEnd && item.kind != .mrkEnd {
            if let id = item.node.attr("id") { context.sourceIDs[id, default: []].append(item.node) }
        }
        for (id, nodes) in context.sourceIDs where nodes.count > 1 {
            for n in nodes.dropFirst() {
                report(n, "id '\(id)' is used more than once among the segments, ignorables and source inline elements of unit '\(context.unitID ?? "")'", code: "xliff2.duplicate-id", attribute: "id")
            }
        }
        for item in context.targetItems where item.kind != .pcEnd && item.kind != .mrkEnd {
            guard let id = item.node.attr("id") else { continue }
            context.targetIDs[id, default: []].append(item.node)
        }
        for (id, nodes) in context.targetIDs {
            if nodes.count > 1 {
                for n in nodes.dropFirst() {
                    report(n, "id '\(id)' is used more than once among the target inline elements of unit '\(context.unitID ?? "")'", code: "xliff2.duplicate-id", attribute: "id")
                }
            }
            if let sources = context.sourceIDs[id] {
                for n in nodes where !sources.contains(where: { $0.name.namespace == ns && $0.local == n.local && $0.local != "segment" && $0.local != "ignorable" }) {
                    report(n, "target <\(n.local) id=\"\(id)\"> must correspond to a source <\(n.local)> with that id, or use an id of its own", code: "xliff2.invalid-target-id", attribute: "id")
                }
            }
        }
        checkDataReferences(context.sourceItems + context.targetItems, data: context.data, scopeName: "unit")
        checkCopyOf(context)
        checkCodeTypes(context.sourceItems + context.targetItems)
        checkPairs(context.sourceItems, side: "source", scope: "unit")
        checkPairs(context.targetItems, side: "target", scope: "unit")
        checkAnnotations(context.sourceItems + context.targetItems, context: context)
        checkReordering(context)
        checkNonRemovable(context)
        checkSubFlows(context.sourceItems + context.targetItems)
        checkTargets(context)
        checkIsolatedOnlyAttributes(context.sourceItems + context.targetItems)
    }

    /// `dataRef`, `dataRefStart`, `dataRefEnd` point to `<data>` of the same unit (or candidate).
    func checkDataReferences(_ items: [XLIFF2InlineItem], data: [String: VNode], scopeName: String) {
        for item in items {
            let n = item.node
            switch item.kind {
            case .ph, .sc, .ec:
                if let ref = n.attr("dataRef") {
                    if data[ref] == nil { report(n, "dataRef '\(ref)' names no <data> in the \(scopeName)'s <originalData>", code: "xliff2.invalid-reference", attribute: "dataRef") }
                    if n.has("copyOf") { report(n, "<\(n.local)> cannot have both 'copyOf' and 'dataRef'", code: "xliff2.copyof-with-data", attribute: "copyOf") }
                }
            case .pcStart:
                for name in ["dataRefStart", "dataRefEnd"] {
                    if let ref = n.attr(name), data[ref] == nil {
                        report(n, "\(name) '\(ref)' names no <data> in the \(scopeName)'s <originalData>", code: "xliff2.invalid-reference", attribute: name)
                    }
                }
                if n.has("dataRefStart") != n.has("dataRefEnd") {
                    report(n, "'dataRefStart' and 'dataRefEnd' must be used together", code: "xliff2.unpaired-attribute", attribute: n.has("dataRefStart") ? "dataRefStart" : "dataRefEnd")
                }
                if n.has("copyOf") && (n.has("dataRefStart") || n.has("dataRefEnd")) {
                    report(n, "<pc> cannot have both 'copyOf' and 'dataRefStart'/'dataRefEnd'", code: "xliff2.copyof-with-data", attribute: "copyOf")
                }
            default:
                continue
            }
        }
    }

    /// `subType` needs `type`; the reserved `xlf:` values need the type they belong to.
    func checkCodeTypes(_ items: [XLIFF2InlineItem]) {
        for item in items where item.isCode && item.kind != .pcEnd {
            let n = item.node
            guard let sub = n.attr("subType") else { continue }
            guard let type = n.attr("type") else {
                report(n, "'subType' needs 'type' on the same <\(n.local)>", code: "xliff2.subtype-without-type", attribute: "subType")
                continue
            }
            if sub.hasPrefix("xlf:") {
                if let required = XLIFF2Syntax.requiredType(forSubType: sub) {
                    if required != type { report(n, "subType '\(sub)' goes with type '\(required)', not '\(type)'", code: "xliff2.invalid-subtype", attribute: "subType") }
                } else {
                    report(n, "subType '\(sub)' is not one of the values XLIFF reserves (xlf:lb, xlf:pb, xlf:b, xlf:i, xlf:u, xlf:var)", code: "xliff2.invalid-subtype", attribute: "subType")
                }
            }
        }
    }

    private func checkCopyOf(_ context: UnitContext) {
        var codes: [String: VNode] = [:]
        for item in context.sourceItems + context.targetItems where [.ph, .pcStart, .sc, .ec].contains(item.kind) {
            if let id = item.node.attr("id"), codes[id] == nil { codes[id] = item.node }
        }
        for item in context.sourceItems + context.targetItems where item.kind != .pcEnd {
            guard let ref = item.node.attr("copyOf") else { continue }
            guard let base = codes[ref] else {
                report(item.node, "copyOf '\(ref)' names no inline code of this unit", code: "xliff2.invalid-reference", attribute: "copyOf")
                continue
            }
            if base.attr("canCopy") == "no" {
                report(item.node, "copyOf '\(ref)' names a code that may not be copied (canCopy=\"no\")", code: "xliff2.copy-not-allowed", attribute: "copyOf")
            }
        }
    }

    /// `<sc>`/`<ec>` and `<sm>`/`<em>` pairing over one side of a unit (or candidate).
    func checkPairs(_ items: [XLIFF2InlineItem], side: String, scope: String) {
        var openCodes: [String: VNode] = [:]
        var isolatedStarts: [String: VNode] = [:]
        var openMarkers: [String: VNode] = [:]
        for item in items {
            let n = item.node
            switch item.kind {
            case .sc:
                guard let id = n.attr("id") else { continue }
                if n.attr("isolated") == "yes" { isolatedStarts[id] = n } else { openCodes[id] = n }
            case .ec:
                if n.attr("isolated") == "yes" {
                    if n.has("startRef") || !n.has("id") {
                        report(n, "an isolated <ec> has an 'id' and no 'startRef'", code: "xliff2.invalid-isolated", attribute: n.has("startRef") ? "startRef" : "isolated")
                    }
                    continue
                }
                if n.has("id") || !n.has("startRef") {
                    report(n, "an <ec> that is not isolated has a 'startRef' and no 'id' (or it must be isolated=\"yes\")", code: "xliff2.invalid-isolated", attribute: n.has("id") ? "id" : nil)
                }
                if n.has("dir") {
                    report(n, "'dir' is allowed on <ec> only when it is isolated", code: "xliff2.invalid-isolated", attribute: "dir")
                }
                guard let ref = n.attr("startRef") else { continue }
                if let start = openCodes.removeValue(forKey: ref) {
                    for name in ["canCopy", "canDelete", "canOverlap"] where (start.attr(name) ?? "yes") != (n.attr(name) ?? "yes") {
                        report(n, "'\(name)' of <ec> differs from its <sc id=\"\(ref)\">", code: "xliff2.pair-mismatch", attribute: n.has(name) ? name : nil)
                    }
                    let startReorder = start.attr("canReorder") ?? "yes"
                    let endReorder = n.attr("canReorder") ?? "yes"
                    if startReorder == "firstNo" ? endReorder != "no" : startReorder != endReorder {
                        let expected = startReorder == "firstNo" ? "no" : startReorder
                        report(n, "'canReorder' of <ec> must be '\(expected)' to match its <sc id=\"\(ref)\">", code: "xliff2.pair-mismatch", attribute: n.has("canReorder") ? "canReorder" : nil)
                    }
                } else if isolatedStarts[ref] != nil {
                    report(n, "<ec startRef=\"\(ref)\"> ends an <sc> marked isolated=\"yes\" in the same \(scope)", code: "xliff2.invalid-isolated", attribute: "startRef")
                } else {
                    report(n, "<ec startRef=\"\(ref)\"> has no <sc id=\"\(ref)\"> before it in the \(side) of this \(scope)", code: "xliff2.unpaired-code", attribute: "startRef")
                }
            case .sm:
                if let id = n.attr("id") { openMarkers[id] = n }
            case .em:
                guard let ref = n.attr("startRef") else { continue }
                if openMarkers.removeValue(forKey: ref) == nil {
                    report(n, "<em startRef=\"\(ref)\"> has no <sm id=\"\(ref)\"> before it in the \(side) of this \(scope)", code: "xliff2.unpaired-marker", attribute: "startRef")
                }
            default:
                continue
            }
        }
        for (id, n) in openCodes {
            report(n, "<sc id=\"\(id)\"> has no <ec> after it in the \(side) of this \(scope): it must be isolated=\"yes\"", code: "xliff2.unpaired-code")
        }
        for (id, n) in openMarkers {
            report(n, "<sm id=\"\(id)\"> has no <em> after it in the \(side) of this \(scope)", code: "xliff2.unpaired-marker")
        }
    }

    private func checkAnnotations(_ items: [XLIFF2InlineItem], context: UnitContext) {
        for item in items where item.kind == .mrkStart || item.kind == .sm {
            let n = item.node
            let type = n.attr("type") ?? "generic"
            let ref = n.attr("ref")
            if let ref, ref.hasPrefix("#") {
                if case .failure(let e) = XLIFF2FragmentIdentifier.parse(String(ref.dropFirst())) {
                    report(n, "invalid fragment identifier: \(e.message)", code: "xliff2.invalid-fragment-identifier", attribute: "ref")
                    continue
                }
            }
            switch type {
            case "comment":
                if (ref == nil) == (n.attr("value") == nil) {
                    report(n, "a comment annotation has exactly one of 'value' and 'ref'", code: "xliff2.invalid-comment", attribute: ref != nil ? "ref" : nil)
                } else if let ref, !refersToUnitNote(ref, context: context) {
                    report(n, "the 'ref' of a comment annotation must point to a <note> of this unit (#n=id)", code: "xliff2.invalid-reference", attribute: "ref")
                }
            case "generic":
                if !n.has("translate") && n.attributes.allSatisfy({ $0.name.namespace.isEmpty || $0.name.namespace == ns }) {
                    report(n, "a generic annotation without 'translate' has no effect", code: "xliff2.translate-annotation", severity: .warning)
                }
            case "mtc:match":
                if ref != nil { report(n, "a translation candidate annotation (type=\"mtc:match\") cannot have 'ref'", code: "xliff2.invalid-reference", attribute: "ref") }
            default:
                continue
            }
        }
    }

    /// True when `ref` is a fragment identifier naming a note of the current unit.
    private func refersToUnitNote(_ ref: String, context: UnitContext) -> Bool {
        guard ref.hasPrefix("#"), case .success(let f) = XLIFF2FragmentIdentifier.parse(String(ref.dropFirst())), case .note(let id)? = f.leaf else { return false }
        if f.file != nil || f.group != nil || f.unit != nil {
            guard f.unit != nil, f.unit == context.unitID else { return false }
            if let file = f.file, file != fileScope?.node.attr("id") { return false }
        }
        return context.notes.contains { $0.attr("id") == id }
    }

    /// Editing hints: `canReorder` no/firstNo needs canCopy=no and canDelete=no; a `no` code
    /// continues a sequence opened by `firstNo`; sequences stay unchanged in the target.
    private func checkReordering(_ context: UnitContext) {
        for item in context.sourceItems + context.targetItems where item.isCode && item.kind != .pcEnd {
            let n = item.node
            let value = n.attr("canReorder") ?? "yes"
            if value != "yes" && (n.attr("canCopy") != "no" || n.attr("canDelete") != "no") {
                report(n, "canReorder=\"\(value)\" needs canCopy=\"no\" and canDelete=\"no\"", code: "xliff2.invalid-editing-hints", attribute: "canReorder")
            }
        }
        for (side, items) in [("source", context.sourceItems), ("target", context.targetItems)] {
            let codes = items.filter(\.isCode)
            for (i, item) in codes.enumerated() where item.reorder == "no" && item.kind != .pcEnd {
                let previous = i > 0 ? codes[i - 1].reorder : "yes"
                if previous == "yes" {
                    report(item.node, "canReorder=\"no\" must follow a code with canReorder=\"firstNo\" or \"no\" in the \(side)", code: "xliff2.invalid-reorder-sequence", attribute: "canReorder")
                }
            }
        }
        // Each source sequence must appear unchanged in the target.
        let sourceCodes = context.sourceItems.filter(\.isCode)
        let targetCodes = context.targetItems.filter(\.isCode)
        guard !targetCodes.isEmpty else { return }
        var i = 0
        while i < sourceCodes.count {
            guard sourceCodes[i].reorder == "firstNo" else { i += 1; continue }
            var sequence = [sourceCodes[i].key]
            var j = i + 1
            while j < sourceCodes.count && sourceCodes[j].reorder == "no" {
                sequence.append(sourceCodes[j].key)
                j += 1
            }
            if let start = targetCodes.firstIndex(where: { $0.key == sequence[0] }) {
                let found = targetCodes[start..<min(targetCodes.count, start + sequence.count)].map(\.key)
                if found != sequence {
                    report(targetCodes[start].node, "the codes that may not be reordered (\(sequence.joined(separator: " "))) must keep their order in the target", code: "xliff2.invalid-reorder-sequence")
                }
            }
            i = j
        }
    }

    /// Codes with canDelete="no" in the source of a segment with a target appear in a target.
    private func checkNonRemovable(_ context: UnitContext) {
        let targetKeys = Set(context.targetItems.map(\.key))
        for item in context.sourceItems where item.isCode && item.kind != .pcEnd {
            let part = context.parts[item.part]
            guard part.local == "segment", !part.children(ns, "target").isEmpty else { continue }
            if item.node.attr("canDelete") == "no" && !targetKeys.contains(item.key) {
                report(item.node, "this code may not be deleted (canDelete=\"no\") but is missing from the target", code: "xliff2.deleted-code", attribute: "canDelete")
            }
        }
    }

    private func checkSubFlows(_ items: [XLIFF2InlineItem]) {
        guard let file = fileScope else { return }
        for item in items {
            let names: [String]
            switch item.kind {
            case .ph, .sc, .ec: names = ["subFlows"]
            case .pcStart: names = ["subFlowsStart", "subFlowsEnd"]
            default: continue
            }
            for name in names {
                guard let value = item.node.attr(name), XLIFF2AttributeType.nmtokens.problem(value) == nil else { continue }
                let ids = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
                file.pendingSubFlows.append((ids, item.node, name))
            }
        }
    }

    /// `fs:fs`, `fs:subFs`, `slr:sizeInfo` and `slr:sizeInfoRef` on `<ec>` need isolated="yes".
    private func checkIsolatedOnlyAttributes(_ items: [XLIFF2InlineItem]) {
        for item in items where item.kind == .ec && item.node.attr("isolated") != "yes" {
            for a in item.node.attributes {
                let fs = a.name.namespace == XLIFFNamespace.formatStyle && (a.name.local == "fs" || a.name.local == "subFs")
                let slr = a.name.namespace == XLIFFNamespace.sizeRestriction && (a.name.local == "sizeInfo" || a.name.local == "sizeInfoRef")
                if fs || slr {
                    report(item.node, "'\(a.name.qualified)' is allowed on <ec> only when it is isolated", code: "xliff2.invalid-isolated", attribute: a.name.qualified)
                }
            }
        }
    }

    /// Targets: `trgLang` present, languages, `xml:space` like the source, `order` values.
    private func checkTargets(_ context: UnitContext) {
        var orders: [Int: VNode] = [:]
        let count = context.parts.count
        for (position, part) in context.parts.enumerated() {
            let source = part.children(ns, "source").first
            if let source, let lang = effectiveLanguage(source, unit: context.unit), !srcLang.isEmpty, !Self.language(lang, isWithin: srcLang) {
                report(source, "xml:lang '\(lang)' of <source> (stated or inherited) does not match srcLang '\(srcLang)'", code: "xliff2.language-mismatch", attribute: source.attr("lang", XMLNamespace.xml) != nil ? "xml:lang" : nil)
            }
            guard let target = part.children(ns, "target").first else { continue }
            if trgLang == nil {
                if !reportedMissingTrgLang {
                    reportedMissingTrgLang = true
                    report(target, "the document has a <target> but <xliff> has no 'trgLang'", code: "xliff2.missing-target-language")
                }
            } else if let lang = effectiveLanguage(target, unit: context.unit), !Self.language(lang, isWithin: trgLang!) {
                report(target, "xml:lang '\(lang)' of <target> (stated or inherited) does not match trgLang '\(trgLang!)'", code: "xliff2.language-mismatch", attribute: target.attr("lang", XMLNamespace.xml) != nil ? "xml:lang" : nil)
            }
            if let source, effectiveSpace(source, unit: context.unit) != effectiveSpace(target, unit: context.unit) {
                report(target, "xml:space of <target> must be the same as that of its <source>", code: "xliff2.space-mismatch", attribute: target.attr("space", XMLNamespace.xml) != nil ? "xml:space" : nil)
            }
            var order = position + 1
            if let text = target.attr("order"), let n = Int(text.trimmingXMLSpace()), n > 0 {
                if n > count {
                    report(target, "order \(n) is beyond the \(count) segments and ignorables of the unit", code: "xliff2.invalid-order", attribute: "order")
                }
                order = n
            }
            if orders[order] != nil {
                report(target, "order \(order) is already taken by another target of the unit (explicitly or by position)", code: "xliff2.invalid-order", attribute: target.has("order") ? "order" : nil)
            } else {
                orders[order] = target
            }
        }
    }

    /// True when `lang` is `reference` or one of its sub-tags (`en-IE` within `en`), ignoring case.
    static func language(_ lang: String, isWithin reference: String) -> Bool {
        let l = lang.lowercased(), r = reference.lowercased()
        return l == r || l.hasPrefix(r + "-")
    }

    /// `xml:lang` in effect on a source or target: its own, else the unit's, groups', file's, root's.
    func effectiveLanguage(_ node: VNode, unit: VNode) -> String? {
        if let l = node.attr("lang", XMLNamespace.xml) { return l }
        if let l = unit.attr("lang", XMLNamespace.xml) { return l }
        for scope in scopes.reversed() {
            if let l = scope.node.attr("lang", XMLNamespace.xml) { return l }
        }
        return nil
    }

    /// `xml:space` in effect on a node of a unit: its own, else the unit's, groups', file's, root's.
    func effectiveSpace(_ node: VNode, unit: VNode) -> String {
        if let s = node.attr("space", XMLNamespace.xml) { return s }
        if let s = unit.attr("space", XMLNamespace.xml) { return s }
        for scope in scopes.reversed() {
            if let s = scope.node.attr("space", XMLNamespace.xml) { return s }
        }
        return "default"
    }

    // MARK: - Size and length restriction references

    func checkSizeAttributes(_ unit: VNode, context: UnitContext) {
        func check(_ n: VNode) {
            // Every attribute checked here is in a module's namespace: most elements have none.
            guard n.hasNamespacedAttribute else { return }
            if n.attr("sizeInfo", XLIFFNamespace.sizeRestriction) != nil && n.attr("sizeInfoRef", XLIFFNamespace.sizeRestriction) != nil {
                report(n, "slr:sizeInfo and slr:sizeInfoRef cannot be used together", code: "xliff2.invalid-size-restriction", attribute: "slr:sizeInfoRef")
            }
            if let ref = n.attr("sizeInfoRef", XLIFFNamespace.sizeRestriction), !context.sizeDataIDs.contains(ref) {
                report(n, "slr:sizeInfoRef '\(ref)' names no element in an <slr:data> beside this element or its ancestors", code: "xliff2.invalid-reference", attribute: "slr:sizeInfoRef")
            }
            if n.attr("subFs", XLIFFNamespace.formatStyle) != nil && n.attr("fs", XLIFFNamespace.formatStyle) == nil {
                report(n, "fs:subFs needs fs:fs on the same element", code: "xliff2.subfs-without-fs", attribute: "fs:subFs")
            }
        }
        check(unit)
        checkProfileValues(unit)
        unit.forEachDescendant { n in
            if n.name.namespace == ns && n.hasNamespacedAttribute {
                check(n)
                checkProfileValues(n)
            }
        }
    }

    /// `slr:sizeInfo` and `slr:equivStorage` are integers under the profiles XLIFF defines
    /// (`xliff:codepoints`; `xliff:utf8`, `utf16`, `utf32`). Without a declared profile a value
    /// written as a number must still be an integer; free text is left to the custom profile.
    func checkProfileValues(_ n: VNode) {
        func looksNumeric(_ v: String) -> Bool {
            guard let f = v.trimmingXMLSpace().utf8.first else { return false }
            return (f >= 0x30 && f <= 0x39) || f == 0x2B || f == 0x2D || f == 0x2E
        }
        let file = fileScope
        if let v = n.attr("sizeInfo", XLIFFNamespace.sizeRestriction) {
            let strict = file?.generalProfile == "xliff:codepoints" || looksNumeric(v)
            if strict, let problem = XLIFF2AttributeType.nonNegativeInteger.problem(v) {
                report(n, "'slr:sizeInfo' value '\(v)' \(problem)", code: "xliff2.invalid-value", attribute: "slr:sizeInfo")
            }
        }
        if let v = n.attr("equivStorage", XLIFFNamespace.sizeRestriction) {
            let strict = ["xliff:utf8", "xliff:utf16", "xliff:utf32"].contains(file?.storageProfile ?? "") || looksNumeric(v)
            if strict, let problem = XLIFF2AttributeType.nonNegativeInteger.problem(v) {
                report(n, "'slr:equivStorage' value '\(v)' \(problem)", code: "xliff2.invalid-value", attribute: "slr:equivStorage")
            }
        }
    }

    /// The same checks for a file or group start tag and for notes outside units.
    func checkSizeAttributes(ofStructural node: VNode) {
        let ids = scopes.reduce(Set<String>()) { $0.union($1.sizeDataIDs) }
        if node.attr("sizeInfo", XLIFFNamespace.sizeRestriction) != nil && node.attr("sizeInfoRef", XLIFFNamespace.sizeRestriction) != nil {
            report(node, "slr:sizeInfo and slr:sizeInfoRef cannot be used together", code: "xliff2.invalid-size-restriction", attribute: "slr:sizeInfoRef")
        }
        if let ref = node.attr("sizeInfoRef", XLIFFNamespace.sizeRestriction), !ids.contains(ref) {
            report(node, "slr:sizeInfoRef '\(ref)' names no element in an <slr:data> beside this element or its ancestors", code: "xliff2.invalid-reference", attribute: "slr:sizeInfoRef")
        }
        if node.attr("subFs", XLIFFNamespace.formatStyle) != nil && node.attr("fs", XLIFFNamespace.formatStyle) == nil {
            report(node, "fs:subFs needs fs:fs on the same element", code: "xliff2.subfs-without-fs", attribute: "fs:subFs")
        }
        checkProfileValues(node)
    }
}
