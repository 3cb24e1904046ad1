import Diagnostics
import TranslationModel
import XMLSupport

/// The elements of the XLIFF 2 modules: attributes, content, where they may appear.
struct XLIFF2ModuleElement {
    var rule: XLIFF2ElementRule
    /// Child elements; nil when only text is allowed.
    var model: [XLIFF2Particle]?
    /// Character data allowed.
    var text: Bool = false
    /// Where the element may appear, as `namespace local` of its parent; empty: anywhere the
    /// content models of other module elements put it.
    var parents: Set<String> = []
}

extension XLIFF2Rules {
    static func key(_ namespace: String, _ local: String) -> String { namespace + " " + local }

    /// The element definitions of every module, by `namespace local`.
    static func moduleElements(ns: String) -> [String: XLIFF2ModuleElement] {
        let mtc = XLIFFNamespace.matches, gls = XLIFFNamespace.glossary, mda = XLIFFNamespace.metadata
        let res = XLIFFNamespace.resourceData, slr = XLIFFNamespace.sizeRestriction, val = XLIFFNamespace.validation
        let ctr = XLIFFNamespace.changeTracking, its = XLIFFNamespace.its
        let structural: Set<String> = [key(ns, "file"), key(ns, "group"), key(ns, "unit")]
        func el(_ namespace: String, _ names: Set<String>, _ min: Int, _ max: Int, _ label: String) -> XLIFF2Particle {
            XLIFF2Particle(matcher: .element(namespace, names), min: min, max: max, label: label)
        }
        return [
            key(mtc, "matches"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: [:]), model: [el(mtc, ["match"], 1, unbounded, "at least one <mtc:match>")], parents: [key(ns, "unit")]),
            key(mtc, "match"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["id": .nmtoken, "matchQuality": .similarity, "matchSuitability": .similarity, "origin": .string,
                                                     "ref": .string, "reference": .yesNo, "similarity": .similarity, "subType": .userDefined, "type": .matchType],
                                        required: ["ref"], foreign: .any),
                model: [el(mda, ["metadata"], 0, 1, "<mda:metadata>"), core(["originalData"], 0, 1, "<originalData>"), core(["source"], 1, 1, "a <source>"),
                        core(["target"], 1, 1, "a <target>"), other], parents: [key(mtc, "matches")]),
            key(gls, "glossary"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: [:]), model: [el(gls, ["glossEntry"], 1, unbounded, "at least one <gls:glossEntry>")], parents: [key(ns, "unit")]),
            key(gls, "glossEntry"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["id": .nmtoken, "ref": .string], foreign: .any),
                model: [el(gls, ["term"], 1, 1, "a <gls:term>"), el(gls, ["translation"], 0, unbounded, "<gls:translation>"),
                        el(gls, ["definition"], 0, 1, "<gls:definition>"), other], parents: [key(gls, "glossary")]),
            key(gls, "term"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["source": .string], foreign: .any), model: nil, text: true, parents: [key(gls, "glossEntry")]),
            key(gls, "translation"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["id": .nmtoken, "ref": .string, "source": .string], foreign: .any), model: nil, text: true, parents: [key(gls, "glossEntry")]),
            key(gls, "definition"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["source": .string], foreign: .any), model: nil, text: true, parents: [key(gls, "glossEntry")]),
            key(mda, "metadata"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["id": .nmtoken]), model: [el(mda, ["metaGroup"], 1, unbounded, "at least one <mda:metaGroup>")],
                parents: structural.union([key(mtc, "match"), key(ns, "xliff")])),
            key(mda, "metaGroup"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["id": .nmtoken, "category": .string, "appliesTo": .metaAppliesTo]),
                model: [el(mda, ["metaGroup", "meta"], 1, unbounded, "at least one <mda:meta> or <mda:metaGroup>")], parents: [key(mda, "metadata"), key(mda, "metaGroup")]),
            key(mda, "meta"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["type": .string], required: ["type"]), model: nil, text: true, parents: [key(mda, "metaGroup")]),
            key(res, "resourceData"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["id": .nmtoken]),
                model: [el(res, ["resourceItemRef"], 0, unbounded, "<res:resourceItemRef>"), el(res, ["resourceItem"], 0, unbounded, "<res:resourceItem>")],
                parents: structural),
            key(res, "resourceItemRef"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["id": .nmtoken, "ref": .nmtoken], required: ["ref"], foreign: .any), model: [], parents: [key(res, "resourceData")]),
            key(res, "resourceItem"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["mimeType": .string, "id": .nmtoken, "context": .yesNo], foreign: .any),
                model: [el(res, ["source"], 0, 1, "<res:source>"), el(res, ["target"], 0, 1, "<res:target>"), el(res, ["reference"], 0, unbounded, "<res:reference>")], parents: [key(res, "resourceData")]),
            key(res, "source"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["href": .string], xmlAttributes: ["lang": .language], foreign: .any), model: [other], parents: [key(res, "resourceItem")]),
            key(res, "target"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["href": .string], xmlAttributes: ["lang": .language], foreign: .any), model: [other], parents: [key(res, "resourceItem")]),
            key(res, "reference"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["href": .string], required: ["href"], xmlAttributes: ["lang": .language], foreign: .any), model: [], parents: [key(res, "resourceItem")]),
            key(slr, "profiles"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["generalProfile": .string, "storageProfile": .string]),
                model: [el(slr, ["normalization"], 0, 1, "<slr:normalization>"), other], parents: [key(ns, "file")]),
            key(slr, "normalization"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["general": .normalization, "storage": .normalization]), model: [], parents: [key(slr, "profiles")]),
            key(slr, "data"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["profile": .string], required: ["profile"], foreign: .any), model: [other], parents: structural),
            key(val, "validation"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: [:], foreign: .any), model: [el(val, ["rule"], 1, unbounded, "at least one <val:rule>")], parents: structural),
            key(val, "rule"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["isPresent": .string, "occurs": .positiveInteger, "isNotPresent": .string, "startsWith": .string,
                                                     "endsWith": .string, "existsInSource": .yesNo, "caseSensitive": .yesNo, "normalization": .normalization,
                                                     "disabled": .yesNo], foreign: .any),
                model: [], parents: [key(val, "validation")]),
            key(ctr, "changeTrack"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: [:]), model: [el(ctr, ["revisions"], 1, unbounded, "at least one <ctr:revisions>")], parents: structural),
            key(ctr, "revisions"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["appliesTo": .nmtoken, "ref": .nmtoken, "currentVersion": .nmtoken], required: ["appliesTo"], foreign: .any),
                model: [el(ctr, ["revision"], 1, unbounded, "at least one <ctr:revision>")], parents: [key(ctr, "changeTrack")]),
            key(ctr, "revision"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["author": .string, "datetime": .string, "version": .nmtoken], foreign: .any),
                model: [el(ctr, ["item"], 1, unbounded, "at least one <ctr:item>")], parents: [key(ctr, "revisions")]),
            key(ctr, "item"): XLIFF2ModuleElement(rule: XLIFF2ElementRule(attributes: ["property": .string], required: ["property"], foreign: .any), model: nil, text: true, parents: [key(ctr, "revision")]),
            key(its, "locQualityIssues"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["version": .string], xmlAttributes: ["id": .nmtoken]),
                model: [el(its, ["locQualityIssue"], 1, unbounded, "at least one <its:locQualityIssue>")], parents: structural),
            key(its, "locQualityIssue"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["version": .string, "locQualityIssueType": .itsIssueType, "locQualityIssueComment": .string,
                                                     "locQualityIssueSeverity": .itsScore, "locQualityIssueProfileRef": .string, "locQualityIssueEnabled": .itsYesNo]),
                model: [], parents: [key(its, "locQualityIssues")]),
            key(its, "provenanceRecords"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["version": .string], xmlAttributes: ["id": .nmtoken]),
                model: [el(its, ["provenanceRecord"], 1, unbounded, "at least one <its:provenanceRecord>")], parents: structural),
            key(its, "provenanceRecord"): XLIFF2ModuleElement(
                rule: XLIFF2ElementRule(attributes: ["version": .string, "org": .string, "orgRef": .string, "person": .string, "personRef": .string,
                                                     "revOrg": .string, "revOrgRef": .string, "revPerson": .string, "revPersonRef": .string,
                                                     "revTool": .string, "revToolRef": .string, "tool": .string, "toolRef": .string]),
                model: [], parents: [key(its, "provenanceRecords")]),
        ]
    }
}

extension XLIFF2ValidationRun {
    var moduleElements: [String: XLIFF2ModuleElement] {
        if let cached = moduleElementCache { return cached }
        let table = XLIFF2Rules.moduleElements(ns: ns)
        moduleElementCache = table
        return table
    }

    // MARK: - Attributes

    /// Checks the attributes of a core element against its rule.
    func checkAttributes(_ node: VNode) {
        // Rules are built once per element name and version, not once per element.
        if elementRuleCacheVersion != version {
            elementRuleCache = [:]
            elementRuleCacheVersion = version
        }
        let rule: XLIFF2ElementRule?
        if let cached = elementRuleCache[node.local] {
            rule = cached
        } else {
            rule = XLIFF2Rules.elementRule(node.local, version: version)
            elementRuleCache[node.local] = .some(rule)
        }
        guard let rule else { return }
        checkAttributes(node, rule: rule)
    }

    func checkAttributes(_ node: VNode, rule: XLIFF2ElementRule) {
        for a in node.attributes {
            let n = a.name
            if n.namespace.isEmpty {
                guard let type = rule.attributes[n.local] else {
                    report(node, "attribute '\(n.local)' is not allowed on <\(node.qualified)>", code: "xliff2.unexpected-attribute", attribute: n.qualified)
                    continue
                }
                if let problem = type.problem(a.value) {
                    report(node, "'\(n.local)' value '\(a.value)' \(problem)", code: "xliff2.invalid-value", attribute: n.qualified)
                }
            } else if n.namespace == XMLNamespace.xml {
                // Elements open to foreign attributes take any xml: attribute (xml:lang is then
                // inherited by the sources and targets below).
                if rule.xmlAttributes[n.local] == nil && rule.foreign == .any {
                    if n.local == "lang", let problem = XLIFF2AttributeType.language.problem(a.value) {
                        report(node, "'xml:lang' value '\(a.value)' \(problem)", code: "xliff2.invalid-value", attribute: n.qualified)
                    }
                    continue
                }
                guard let type = rule.xmlAttributes[n.local] else {
                    report(node, "attribute 'xml:\(n.local)' is not allowed on <\(node.qualified)>", code: "xliff2.unexpected-attribute", attribute: n.qualified)
                    continue
                }
                if let problem = type.problem(a.value) {
                    report(node, "'xml:\(n.local)' value '\(a.value)' \(problem)", code: "xliff2.invalid-value", attribute: n.qualified)
                }
            } else if n.namespace == ns || n.namespace == node.name.namespace && XLIFF2Rules.moduleNamespaces.contains(n.namespace) {
                report(node, "attribute '\(n.qualified)' is not allowed on <\(node.qualified)>", code: "xliff2.unexpected-attribute", attribute: n.qualified)
            } else {
                switch rule.foreign {
                case .none:
                    report(node, "attribute '\(n.qualified)' is not allowed on <\(node.qualified)>: it accepts no extension attributes", code: "xliff2.invalid-extension", attribute: n.qualified)
                case .modulesOnly where !XLIFF2Rules.moduleAttributeNamespaces.contains(n.namespace):
                    report(node, "attribute '\(n.qualified)' is not allowed on <\(node.qualified)>: inline codes accept only module attributes", code: "xliff2.invalid-extension", attribute: n.qualified)
                default:
                    checkModuleAttribute(node, a)
                }
            }
        }
        for name in rule.required where node.attr(name) == nil {
            report(node, "<\(node.qualified)> needs the attribute '\(name)'", code: "xliff2.missing-attribute")
        }
    }

    /// Checks an attribute in a module's namespace (unknown names, values).
    private func checkModuleAttribute(_ node: VNode, _ a: XMLAttribute) {
        let namespace = a.name.namespace
        guard XLIFF2Rules.moduleNamespaces.contains(namespace) else { return }
        if namespace == XLIFFNamespace.its && version == .v2_0 { return }
        guard let type = XLIFF2Rules.moduleAttribute(namespace, a.name.local) else {
            report(node, "attribute '\(a.name.qualified)' does not exist in its module", code: "xliff2.unexpected-attribute", attribute: a.name.qualified)
            return
        }
        if let problem = type.problem(a.value) {
            report(node, "'\(a.name.qualified)' value '\(a.value)' \(problem)", code: "xliff2.invalid-value", attribute: a.name.qualified)
        }
    }

    // MARK: - Children of file and group

    func checkNotes(_ node: VNode) {
        checkAttributes(node)
        var ids = Set<String>()
        if node.children.isEmpty { report(node, "<notes> needs at least one <note>", code: "xliff2.missing-element") }
        if node.hasSignificantText { report(node, "<notes> cannot contain text", code: "xliff2.unexpected-text") }
        for note in node.children {
            guard note.name.namespace == ns, note.local == "note" else {
                report(note, "<\(note.qualified)> is not allowed in <notes>", code: "xliff2.unexpected-element")
                continue
            }
            checkAttributes(note)
            for c in note.children { report(c, "<\(c.qualified)> is not allowed in <note>", code: "xliff2.unexpected-element") }
            if let id = note.attr("id"), !ids.insert(id).inserted {
                report(note, "note id '\(id)' is not unique in its <notes>", code: "xliff2.duplicate-id", attribute: "id")
            }
            if let ref = note.attr("ref"), version == .v2_2 {
                checkFragmentSyntax(ref, node: note, attribute: "ref")
            }
        }
    }

    func checkSkeleton(_ node: VNode) {
        checkAttributes(node)
        if node.attr("href") != nil && node.hasChildNodes {
            report(node, "<skeleton> with an 'href' must be empty", code: "xliff2.invalid-skeleton")
        } else if node.attr("href") == nil && !node.hasChildNodes {
            report(node, "<skeleton> without 'href' must not be empty", code: "xliff2.invalid-skeleton")
        }
        for c in node.children where c.name.namespace == ns {
            report(c, "<\(c.qualified)> is not allowed in <skeleton>", code: "xliff2.unexpected-element")
        }
    }

    /// A core element where none is expected (the content model has reported it); its
    /// attributes are checked all the same.
    func checkCoreSubtree(_ node: VNode) {
        checkAttributes(node)
    }

    // MARK: - Foreign elements (modules and extensions)

    /// Checks a module or extension element that is a child of `parent` (a core element).
    func checkForeign(_ node: VNode, under parent: VNode, scope: VScope?) {
        let namespace = node.name.namespace
        if XLIFF2Rules.moduleNamespaces.contains(namespace) {
            checkModuleElement(node, parent: parent, top: true)
            switch (namespace, node.local) {
            case (XLIFFNamespace.sizeRestriction, "data"):
                node.forEachDescendant { d in
                    if let id = d.attr("id") ?? d.attr("id", XMLNamespace.xml) { scope?.sizeDataIDs.insert(id) }
                }
            case (XLIFFNamespace.sizeRestriction, "profiles"):
                fileScope?.generalProfile = node.attr("generalProfile")
                fileScope?.storageProfile = node.attr("storageProfile")
            case (XLIFFNamespace.resourceData, "resourceData"):
                checkResourceData(node, scope: scope)
            case (XLIFFNamespace.validation, "validation"):
                checkValidationModule(node, parentLocal: parent.local)
            case (XLIFFNamespace.metadata, "metadata"):
                checkMetadataIDs(node)
            case (XLIFFNamespace.changeTracking, "changeTrack"):
                checkChangeTrack(node, owner: parent)
            default:
                break
            }
        } else {
            // An extension: its ids (`id` or `xml:id`) are unique within the enclosing core element.
            var ids = Set<String>()
            collectExtensionIDs(node, into: &ids, scope: scope)
        }
    }

    private func collectExtensionIDs(_ node: VNode, into local: inout Set<String>, scope: VScope?) {
        if let value = node.attr("id") ?? node.attr("id", XMLNamespace.xml) {
            // Unique among the extension elements of one namespace in the enclosing core element.
            let id = node.name.namespace + " " + value
            let fresh: Bool
            if let scope { fresh = scope.extensionIDs.insert(id).inserted } else { fresh = local.insert(id).inserted }
            if !fresh { report(node, "extension element id '\(value)' is not unique among the '\(node.name.namespace)' elements of the enclosing XLIFF element", code: "xliff2.duplicate-id") }
        }
        for c in node.children where !XLIFF2Rules.moduleNamespaces.contains(c.name.namespace) && c.name.namespace != ns {
            collectExtensionIDs(c, into: &local, scope: scope)
        }
    }

    /// Checks a module element and its subtree against the module's definitions.
    func checkModuleElement(_ node: VNode, parent: VNode, top: Bool) {
        let key = XLIFF2Rules.key(node.name.namespace, node.local)
        if node.name.namespace == XLIFFNamespace.its && version == .v2_0 { return }
        guard let def = moduleElements[key] else {
            if XLIFF2Rules.moduleAttributeNamespaces.contains(node.name.namespace) && node.name.namespace != XLIFFNamespace.its {
                report(node, "<\(node.qualified)> is not an element of its module (the module defines attributes only)", code: "xliff2.unexpected-element")
            } else {
                report(node, "<\(node.qualified)> is not an element of its module", code: "xliff2.unexpected-element")
            }
            return
        }
        if !def.parents.isEmpty && !def.parents.contains(XLIFF2Rules.key(parent.name.namespace, parent.local)) {
            report(node, "<\(node.qualified)> is not allowed in <\(parent.qualified)>", code: "xliff2.misplaced-element")
        }
        checkAttributes(node, rule: def.rule)
        if !def.text && node.hasSignificantText {
            report(node, "<\(node.qualified)> cannot contain text", code: "xliff2.unexpected-text")
        }
        guard let model = def.model else {
            for c in node.children { report(c, "<\(c.qualified)> is not allowed in <\(node.qualified)>", code: "xliff2.unexpected-element") }
            return
        }
        var sequence = XLIFF2Sequence(model, owner: node)
        for c in node.children {
            sequence.feed(c, run: self)
            if XLIFF2Rules.moduleNamespaces.contains(c.name.namespace) {
                checkModuleElement(c, parent: node, top: false)
            } else if c.name.namespace == ns {
                checkCoreInModule(c)
            }
        }
        sequence.finish(run: self)
    }

    /// Core elements inside module elements (`mtc:match` holds `originalData`, `source`, `target`).
    private func checkCoreInModule(_ node: VNode) {
        switch node.local {
        case "originalData":
            checkOriginalData(node)
        case "source", "target":
            checkAttributes(node)
            checkInlineStructure(node)
        default:
            checkAttributes(node)
        }
    }
}
