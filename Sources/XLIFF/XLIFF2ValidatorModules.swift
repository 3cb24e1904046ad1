import Diagnostics
import TranslationModel
import XMLSupport

/// Processing requirements of the XLIFF 2 modules.
extension XLIFF2ValidationRun {
    /// Rules of the modules that live in a unit and refer to its content.
    func checkUnitModules(_ context: UnitContext) {
        for c in context.unit.children {
            switch (c.name.namespace, c.local) {
            case (XLIFFNamespace.matches, "matches"):
                checkMatches(c, context: context)
            case (XLIFFNamespace.glossary, "glossary"):
                checkGlossary(c, context: context)
            default:
                continue
            }
        }
    }

    /// `ref` of a candidate or glossary entry: a fragment identifier naming a span of this unit
    /// (a segment, an ignorable, a source inline element, or `t=` a target inline element).
    private func checkSpanReference(_ node: VNode, attribute: String, context: UnitContext, requireFragment: Bool = true) {
        guard let ref = node.attr(attribute) else { return }
        guard ref.hasPrefix("#") else {
            // A glossary entry may point outside the document (any IRI); a candidate may not.
            if !requireFragment { return }
            report(node, "'\(attribute)' must be a fragment identifier such as '#id' or '#t=id', not '\(ref)'", code: "xliff2.invalid-reference", attribute: attribute)
            return
        }
        let f: XLIFF2FragmentIdentifier
        switch XLIFF2FragmentIdentifier.parse(String(ref.dropFirst())) {
        case .failure(let e):
            report(node, "invalid fragment identifier: \(e.message)", code: "xliff2.invalid-fragment-identifier", attribute: attribute)
            return
        case .success(let parsed):
            f = parsed
        }
        if let unit = f.unit, unit != context.unitID {
            report(node, "'\(attribute)' must point to content of this unit, not unit '\(unit)'", code: "xliff2.invalid-reference", attribute: attribute)
            return
        }
        let found: Bool
        switch f.leaf {
        case .source(let id)?: found = context.sourceIDs[id] != nil || context.targetIDs[id] != nil
        case .target(let id)?: found = context.targetIDs[id] != nil
        default: found = false
        }
        if !found {
            report(node, "'\(attribute)' value '\(ref)' names no segment or inline element of this unit", code: "xliff2.invalid-reference", attribute: attribute)
        }
    }

    private func withIDs(_ c: UnitContext) -> UnitContext {
        var context = c
        if context.sourceIDs.isEmpty && context.targetIDs.isEmpty {
            for (i, part) in context.parts.enumerated() {
                if let id = part.attr("id") { context.sourceIDs[id, default: []].append(part) }
                var items: [XLIFF2InlineItem] = []
                for s in part.children(ns, "source") { Self.flatten(s, part: i, ns: ns, into: &items) }
                for item in items { if let id = item.node.attr("id") { context.sourceIDs[id, default: []].append(item.node) } }
                items = []
                for t in part.children(ns, "target") { Self.flatten(t, part: i, ns: ns, into: &items) }
                for item in items { if let id = item.node.attr("id") { context.targetIDs[id, default: []].append(item.node) } }
            }
        }
        return context
    }

    // MARK: - Translation candidates

    private func checkMatches(_ matches: VNode, context c: UnitContext) {
        let context = withIDs(c)
        var ids = Set<String>()
        for match in matches.children(XLIFFNamespace.matches, "match") {
            if let id = match.attr("id"), !ids.insert(id).inserted {
                report(match, "match id '\(id)' is not unique in its <mtc:matches>", code: "xliff2.duplicate-id", attribute: "id")
            }
            if match.attr("lang", XMLNamespace.xml) != nil {
                report(match, "xml:lang is not allowed on <mtc:match> (its source and target say their languages)", code: "xliff2.unexpected-attribute", attribute: "xml:lang")
            }
            if match.has("subType") && !match.has("type") {
                report(match, "'subType' needs 'type' on the same <mtc:match>", code: "xliff2.subtype-without-type", attribute: "subType")
            }
            checkSpanReference(match, attribute: "ref", context: context)
            // The candidate's content is a small unit of its own: ids, data, pairs.
            var data: [String: VNode] = [:]
            for od in match.children(ns, "originalData") {
                for d in od.children(ns, "data") { if let id = d.attr("id") { data[id] = d } }
            }
            var sourceItems: [XLIFF2InlineItem] = [], targetItems: [XLIFF2InlineItem] = []
            for s in match.children(ns, "source") { Self.flatten(s, part: 0, ns: ns, into: &sourceItems) }
            for t in match.children(ns, "target") { Self.flatten(t, part: 0, ns: ns, into: &targetItems) }
            var sourceIDs: [String: VNode] = [:]
            for item in sourceItems where item.kind != .pcEnd && item.kind != .mrkEnd {
                guard let id = item.node.attr("id") else { continue }
                if sourceIDs[id] != nil { report(item.node, "id '\(id)' is used twice in the source of this candidate", code: "xliff2.duplicate-id", attribute: "id") }
                else { sourceIDs[id] = item.node }
            }
            var targetIDs = Set<String>()
            for item in targetItems where item.kind != .pcEnd && item.kind != .mrkEnd {
                guard let id = item.node.attr("id") else { continue }
                if !targetIDs.insert(id).inserted { report(item.node, "id '\(id)' is used twice in the target of this candidate", code: "xliff2.duplicate-id", attribute: "id") }
                if let s = sourceIDs[id], s.local != item.node.local {
                    report(item.node, "target <\(item.node.local) id=\"\(id)\"> must correspond to a source <\(item.node.local)> with that id", code: "xliff2.invalid-target-id", attribute: "id")
                }
            }
            checkDataReferences(sourceItems + targetItems, data: data, scopeName: "candidate")
            checkCodeTypes(sourceItems + targetItems)
            checkPairs(sourceItems, side: "source", scope: "candidate")
            checkPairs(targetItems, side: "target", scope: "candidate")
            for t in match.children(ns, "target") {
                if let lang = t.attr("lang", XMLNamespace.xml), let trgLang, !Self.language(lang, isWithin: trgLang) && match.attr("reference") != "yes" {
                    report(t, "xml:lang '\(lang)' of the candidate's <target> does not match trgLang '\(trgLang)'", code: "xliff2.language-mismatch", attribute: "xml:lang")
                }
            }
        }
    }

    // MARK: - Glossary

    private func checkGlossary(_ glossary: VNode, context c: UnitContext) {
        let context = withIDs(c)
        var ids = Set<String>()
        for entry in glossary.children(XLIFFNamespace.glossary, "glossEntry") {
            if let id = entry.attr("id"), !ids.insert(id).inserted {
                report(entry, "id '\(id)' is not unique among the entries and translations of its <gls:glossary>", code: "xliff2.duplicate-id", attribute: "id")
            }
            let translations = entry.children(XLIFFNamespace.glossary, "translation")
            for t in translations {
                if let id = t.attr("id"), !ids.insert(id).inserted {
                    report(t, "id '\(id)' is not unique among the entries and translations of its <gls:glossary>", code: "xliff2.duplicate-id", attribute: "id")
                }
                checkSpanReference(t, attribute: "ref", context: context, requireFragment: false)
            }
            if translations.isEmpty && entry.children(XLIFFNamespace.glossary, "definition").isEmpty {
                report(entry, "<gls:glossEntry> needs a <gls:translation> or a <gls:definition>", code: "xliff2.incomplete-glossary-entry")
            }
            checkSpanReference(entry, attribute: "ref", context: context, requireFragment: false)
        }
    }

    // MARK: - Metadata

    func checkMetadataIDs(_ metadata: VNode) {
        var ids = Set<String>()
        if let id = metadata.attr("id") { ids.insert(id) }
        metadata.forEachDescendant { n in
            guard n.name.namespace == XLIFFNamespace.metadata, n.local == "metaGroup", let id = n.attr("id") else { return }
            if !ids.insert(id).inserted {
                report(n, "id '\(id)' is not unique within its <mda:metadata>", code: "xliff2.duplicate-id", attribute: "id")
            }
        }
    }

    // MARK: - Resource data

    func checkResourceData(_ data: VNode, scope: VScope?) {
        var ids = Set<String>()
        for item in data.children where item.name.namespace == XLIFFNamespace.resourceData {
            if let id = item.attr("id"), item.local == "resourceItem" || item.local == "resourceItemRef" {
                if !ids.insert(id).inserted {
                    report(item, "id '\(id)' is not unique among the resource items of its <res:resourceData>", code: "xliff2.duplicate-id", attribute: "id")
                }
                if item.local == "resourceItem" { fileScope?.resourceItemIDs.insert(id) }
            }
            guard item.local == "resourceItem" else { continue }
            for part in item.children where part.name.namespace == XLIFFNamespace.resourceData && (part.local == "source" || part.local == "target") {
                let hasContent = !part.children.isEmpty || part.hasSignificantText
                if part.has("href") && hasContent {
                    report(part, "<res:\(part.local)> with an 'href' must be empty", code: "xliff2.invalid-resource", attribute: "href")
                } else if !part.has("href") && !hasContent {
                    report(part, "<res:\(part.local)> without 'href' must not be empty", code: "xliff2.invalid-resource")
                }
                // The suite holds the source's language to srcLang but not the target's to trgLang.
                if part.local == "source", let lang = part.attr("lang", XMLNamespace.xml), !srcLang.isEmpty, !Self.language(lang, isWithin: srcLang) {
                    report(part, "xml:lang '\(lang)' of <res:source> does not match srcLang '\(srcLang)'", code: "xliff2.language-mismatch", attribute: "xml:lang")
                }
            }
        }
    }

    // MARK: - Validation

    func checkValidationModule(_ validation: VNode, parentLocal: String) {
        let tests = ["isPresent", "isNotPresent", "startsWith", "endsWith"]
        for rule in validation.children(XLIFFNamespace.validation, "rule") {
            let present = tests.filter { rule.has($0) }
            let custom = rule.attributes.contains { !$0.name.namespace.isEmpty && $0.name.namespace != XLIFFNamespace.validation && $0.name.namespace != XMLNamespace.xml }
            if present.count + (custom ? 1 : 0) != 1 {
                report(rule, "<val:rule> needs exactly one of isPresent, isNotPresent, startsWith, endsWith or a custom rule attribute", code: "xliff2.invalid-validation-rule")
            }
            if rule.has("occurs") && !rule.has("isPresent") {
                report(rule, "'occurs' is used only with 'isPresent'", code: "xliff2.invalid-validation-rule", attribute: "occurs")
            }
            if rule.has("existsInSource") && Set(present).intersection(["isPresent", "startsWith", "endsWith"]).count != 1 {
                report(rule, "'existsInSource' needs exactly one of isPresent, startsWith or endsWith", code: "xliff2.invalid-validation-rule", attribute: "existsInSource")
            }
            if rule.attr("disabled") == "yes" && parentLocal == "file" {
                report(rule, "a rule of the file's validation module cannot be disabled", code: "xliff2.invalid-validation-rule", attribute: "disabled")
            }
        }
    }

    // MARK: - Change tracking

    /// `ref` of revisions names one instance of `appliesTo` in the enclosing element (and is
    /// needed when there are several); `property` is `content` or an attribute of that element,
    /// named once per revision.
    func checkChangeTrack(_ changeTrack: VNode, owner: VNode) {
        for revisions in changeTrack.children(XLIFFNamespace.changeTracking, "revisions") {
            guard let appliesTo = revisions.attr("appliesTo") else { continue }
            var referenced: VNode?
            if appliesTo == "note" {
                let notes = owner.children(ns, "notes").flatMap { $0.children(ns, "note") }
                if let ref = revisions.attr("ref") {
                    referenced = notes.first { $0.attr("id") == ref }
                    if referenced == nil {
                        report(revisions, "'ref' value '\(ref)' names no <note> of the enclosing <\(owner.local)>", code: "xliff2.invalid-reference", attribute: "ref")
                    }
                } else if notes.count > 1 {
                    report(revisions, "<ctr:revisions> about one of several notes needs a 'ref'", code: "xliff2.missing-attribute")
                } else {
                    referenced = notes.first
                }
            }
            for revision in revisions.children(XLIFFNamespace.changeTracking, "revision") {
                var properties = Set<String>()
                for item in revision.children(XLIFFNamespace.changeTracking, "item") {
                    guard let property = item.attr("property") else { continue }
                    if !properties.insert(property).inserted {
                        report(item, "property '\(property)' is recorded twice in one <ctr:revision>", code: "xliff2.invalid-change-tracking", attribute: "property")
                    }
                    if property != "content", let referenced, referenced.attributes.first(where: { $0.name.local == property }) == nil {
                        report(item, "property '\(property)' is neither 'content' nor an attribute of the <\(referenced.local)> it applies to", code: "xliff2.invalid-change-tracking", attribute: "property")
                    }
                }
            }
        }
    }
}

extension XLIFF2ValidationRun {
    /// Checks the syntax of a same-document reference (`#…`); other URIs are not checked.
    func checkFragmentSyntax(_ ref: String, node: VNode, attribute: String) {
        guard ref.hasPrefix("#") else { return }
        if case .failure(let e) = XLIFF2FragmentIdentifier.parse(String(ref.dropFirst())) {
            report(node, "invalid fragment identifier: \(e.message)", code: "xliff2.invalid-fragment-identifier", attribute: attribute)
        }
    }
}
