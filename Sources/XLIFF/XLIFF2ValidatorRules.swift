import Diagnostics
import TranslationModel
import XMLSupport

/// A value type of an XLIFF 2 attribute, as the schemas and the specification define it.
enum XLIFF2AttributeType {
    case string, nmtoken, nmtokens, yesNo, yesNoFirstNo, dir, noteAppliesTo, metaAppliesTo
    case userDefined, codeType, markerType, matchType, priority, state, positiveInteger
    case nonNegativeInteger, integer, hex, language, similarity, normalization, fs, slrRestriction, xmlSpace, fixedPreserve
    case itsScore, itsConfidence, itsYesNo, itsIssueType, itsFilterType, itsVersion

    /// Nil when `value` is acceptable, else why not.
    func problem(_ value: String) -> String? {
        switch self {
        case .string: return nil
        case .nmtoken: return XLIFF2Syntax.isNMTOKEN(value) ? nil : "is not a name token"
        case .nmtokens:
            let parts = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            return !parts.isEmpty && parts.allSatisfy({ XLIFF2Syntax.isNMTOKEN(String($0)) }) ? nil : "is not a list of name tokens separated by spaces"
        case .yesNo: return value == "yes" || value == "no" ? nil : "must be 'yes' or 'no'"
        case .yesNoFirstNo: return ["yes", "no", "firstNo"].contains(value) ? nil : "must be 'yes', 'firstNo' or 'no'"
        case .dir: return ["ltr", "rtl", "auto"].contains(value) ? nil : "must be 'ltr', 'rtl' or 'auto'"
        case .noteAppliesTo: return value == "source" || value == "target" ? nil : "must be 'source' or 'target'"
        case .metaAppliesTo: return ["source", "target", "ignorable"].contains(value) ? nil : "must be 'source', 'target' or 'ignorable'"
        case .userDefined: return XLIFF2Syntax.isUserDefinedValue(value) ? nil : "must have the form prefix:value"
        case .codeType: return XLIFF2Syntax.codeTypes.contains(value) ? nil : "must be one of fmt, ui, quote, link, image, other"
        case .markerType: return XLIFF2Syntax.isMarkerType(value) ? nil : "must be generic, comment, term or of the form prefix:value"
        case .matchType: return XLIFF2Syntax.matchTypes.contains(value) ? nil : "must be one of am, mt, icm, idm, tb, tm, other"
        case .priority:
            guard let n = Int(value.trimmingXMLSpace()), (1...10).contains(n) else { return "must be an integer from 1 to 10" }
            return nil
        case .state: return SegmentState(rawValue: value) != nil ? nil : "must be initial, translated, reviewed or final"
        case .positiveInteger:
            guard let n = Int(value.trimmingXMLSpace()), n > 0 else { return "must be a positive integer" }
            return nil
        case .nonNegativeInteger:
            guard let n = Int(value.trimmingXMLSpace()), n >= 0 else { return "must be a non-negative integer" }
            return nil
        case .integer: return Int(value.trimmingXMLSpace()) != nil ? nil : "must be an integer"
        case .hex:
            guard !value.isEmpty, value.count % 2 == 0, value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) }) else {
                return "is not a hexadecimal value"
            }
            return nil
        case .language: return XLIFF2Syntax.isBCP47(value) ? nil : "is not a well-formed BCP 47 language tag"
        case .similarity:
            let t = value.trimmingXMLSpace()
            guard isDecimal(t), let d = Double(t), d >= 0, d <= 100 else { return "must be a decimal from 0 to 100" }
            return nil
        case .normalization: return ["none", "nfc", "nfd"].contains(value) ? nil : "must be none, nfc or nfd"
        case .fs: return XLIFF2Rules.formatStyleValues.contains(value) ? nil : "is not one of the HTML element names the Format Style module allows"
        case .slrRestriction: return XLIFF2Rules.isSizeRestriction(value) ? nil : "must be an integer, 'min,max' or 'min,*'"
        case .xmlSpace: return value == "preserve" || value == "default" ? nil : "must be 'preserve' or 'default'"
        case .fixedPreserve: return value == "preserve" ? nil : "must be 'preserve'"
        case .itsScore:
            guard let d = Double(value.trimmingXMLSpace()), d >= 0, d <= 100 else { return "must be a number from 0 to 100" }
            return nil
        case .itsConfidence:
            guard let d = Double(value.trimmingXMLSpace()), d >= 0, d <= 1 else { return "must be a number from 0 to 1" }
            return nil
        case .itsYesNo: return value == "yes" || value == "no" ? nil : "must be 'yes' or 'no'"
        case .itsIssueType: return XLIFF2Rules.itsIssueTypes.contains(value) ? nil : "is not an ITS localization quality issue type"
        case .itsFilterType: return value == "include" || value == "exclude" ? nil : "must be 'include' or 'exclude'"
        case .itsVersion: return value == "2.0" ? nil : "must be '2.0'"
        }
    }

    private func isDecimal(_ s: String) -> Bool {
        var digits = 0
        var dot = false
        for (i, u) in s.utf8.enumerated() {
            if u >= 0x30 && u <= 0x39 { digits += 1 }
            else if u == 0x2E && !dot { dot = true }
            else if (u == 0x2B || u == 0x2D) && i == 0 { continue }
            else { return false }
        }
        return digits > 0
    }
}

/// What foreign attributes an element accepts.
enum XLIFF2ForeignAttributes {
    /// None (`segment`, `source`, `target`, `data`…).
    case none
    /// Any namespace other than XLIFF's.
    case any
    /// Only attributes of XLIFF modules (inline codes: `pc`, `sc`, `ec`, `ph`).
    case modulesOnly
}

/// The attributes one element accepts.
struct XLIFF2ElementRule {
    var attributes: [String: XLIFF2AttributeType]
    var required: [String] = []
    var xmlAttributes: [String: XLIFF2AttributeType] = [:]
    var foreign: XLIFF2ForeignAttributes = .none
}

/// One step of a content model: which children may come, how many.
struct XLIFF2Particle {
    enum Matcher {
        /// A core element with one of these names.
        case core(Set<String>)
        /// An element of this namespace with one of these names.
        case element(String, Set<String>)
        /// Any element outside the XLIFF core namespace (modules and extensions).
        case other
    }
    var matcher: Matcher
    var min: Int
    var max: Int
    var label: String

    /// `ownerNamespace`: the namespace of the element whose content this is (`##other` in a
    /// schema means "not the schema's own namespace").
    func matches(_ node: VNode, ns: String, ownerNamespace: String) -> Bool {
        switch matcher {
        case .core(let names): return node.name.namespace == ns && names.contains(node.local)
        case .element(let namespace, let names): return node.name.namespace == namespace && names.contains(node.local)
        case .other: return node.name.namespace != ownerNamespace
        }
    }
}

/// Checks a sequence of children against particles, one child at a time (so that streamed
/// parents never hold their children).
struct XLIFF2Sequence {
    let particles: [XLIFF2Particle]
    let owner: VNode
    private var index = 0
    private var count = 0
    private var reportedOrder = false

    init(_ particles: [XLIFF2Particle], owner: VNode) {
        self.particles = particles
        self.owner = owner
    }

    mutating func feed(_ child: VNode, run: XLIFF2ValidationRun) {
        let ns = run.ns
        let ownerNamespace = owner.name.namespace
        var i = index
        var c = count
        while i < particles.count {
            let p = particles[i]
            if p.matches(child, ns: ns, ownerNamespace: ownerNamespace) && c < p.max {
                if i != index {
                    // Skipped particles must have been satisfied.
                    for k in index..<i {
                        let have = k == index ? count : 0
                        if have < particles[k].min {
                            run.report(child, "<\(owner.qualified)> needs \(particles[k].label) before <\(child.qualified)>", code: "xliff2.missing-element")
                        }
                    }
                }
                index = i
                count = c + 1
                return
            }
            i += 1
            c = 0
        }
        if !reportedOrder || child.name.namespace == run.ns {
            if particles.contains(where: { $0.matches(child, ns: ns, ownerNamespace: ownerNamespace) }) {
                run.report(child, "<\(child.qualified)> is not allowed at this place in <\(owner.qualified)>", code: "xliff2.misplaced-element")
            } else {
                run.report(child, "<\(child.qualified)> is not allowed in <\(owner.qualified)>", code: "xliff2.unexpected-element")
            }
            reportedOrder = true
        }
    }

    mutating func finish(run: XLIFF2ValidationRun) {
        var i = index
        var c = count
        while i < particles.count {
            if c < particles[i].min {
                run.report(owner, "<\(owner.qualified)> needs \(particles[i].label)", code: "xliff2.missing-element")
            }
            i += 1
            c = 0
        }
    }
}

/// The tables of XLIFF 2 elements and attributes.
enum XLIFF2Rules {
    static let unbounded = Int.max

    static func core(_ names: Set<String>, _ min: Int, _ max: Int, _ label: String) -> XLIFF2Particle {
        XLIFF2Particle(matcher: .core(names), min: min, max: max, label: label)
    }

    static let other = XLIFF2Particle(matcher: .other, min: 0, max: unbounded, label: "module or extension elements")

    static func xliffModel(version: XLIFFVersion, ns: String) -> [XLIFF2Particle] {
        var model: [XLIFF2Particle] = []
        if version == .v2_2 {
            model.append(core(["notes"], 0, 1, "<notes>"))
            model.append(XLIFF2Particle(matcher: .element(XLIFFNamespace.metadata, ["metadata"]), min: 0, max: 1, label: "<mda:metadata>"))
        }
        model.append(core(["file"], 1, unbounded, "at least one <file>"))
        return model
    }

    static func fileModel(ns: String) -> [XLIFF2Particle] {
        [core(["skeleton"], 0, 1, "<skeleton>"), other, core(["notes"], 0, 1, "<notes>"), core(["unit", "group"], 1, unbounded, "at least one <unit> or <group>")]
    }

    static func groupModel(ns: String) -> [XLIFF2Particle] {
        [other, core(["notes"], 0, 1, "<notes>"), core(["unit", "group"], 0, unbounded, "<unit> or <group>")]
    }

    static let unitModel: [XLIFF2Particle] = [
        other, core(["notes"], 0, 1, "<notes>"), core(["originalData"], 0, 1, "<originalData>"),
        core(["segment", "ignorable"], 1, unbounded, "at least one <segment>"),
    ]

    static let partModel: [XLIFF2Particle] = [core(["source"], 1, 1, "a <source>"), core(["target"], 0, 1, "<target>")]

    private static let canAttributes: [String: XLIFF2AttributeType] = [
        "canCopy": .yesNo, "canDelete": .yesNo, "canReorder": .yesNoFirstNo, "copyOf": .nmtoken,
        "subType": .userDefined, "type": .codeType,
    ]

    /// Attributes of the core elements.
    static func elementRule(_ local: String, version: XLIFFVersion) -> XLIFF2ElementRule? {
        switch local {
        case "xliff":
            return XLIFF2ElementRule(attributes: ["version": .string, "srcLang": .language, "trgLang": .language], required: ["version", "srcLang"], xmlAttributes: ["space": .xmlSpace], foreign: .any)
        case "file":
            return XLIFF2ElementRule(attributes: ["id": .nmtoken, "canResegment": .yesNo, "original": .string, "translate": .yesNo, "srcDir": .dir, "trgDir": .dir], required: ["id"], xmlAttributes: ["space": .xmlSpace], foreign: .any)
        case "skeleton":
            return XLIFF2ElementRule(attributes: ["href": .string])
        case "group":
            return XLIFF2ElementRule(attributes: ["id": .nmtoken, "name": .string, "canResegment": .yesNo, "translate": .yesNo, "srcDir": .dir, "trgDir": .dir, "type": .userDefined], required: ["id"], xmlAttributes: ["space": .xmlSpace], foreign: .any)
        case "unit":
            return XLIFF2ElementRule(attributes: ["id": .nmtoken, "name": .string, "canResegment": .yesNo, "translate": .yesNo, "srcDir": .dir, "trgDir": .dir, "type": .userDefined], required: ["id"], xmlAttributes: ["space": .xmlSpace], foreign: .any)
        case "segment":
            return XLIFF2ElementRule(attributes: ["id": .nmtoken, "canResegment": .yesNo, "state": .state, "subState": .userDefined])
        case "ignorable":
            return XLIFF2ElementRule(attributes: ["id": .nmtoken])
        case "notes", "originalData":
            return XLIFF2ElementRule(attributes: [:])
        case "note":
            var attributes: [String: XLIFF2AttributeType] = ["id": .nmtoken, "appliesTo": .noteAppliesTo, "category": .string, "priority": .priority]
            if version == .v2_2 { attributes["ref"] = .string }
            return XLIFF2ElementRule(attributes: attributes, foreign: .any)
        case "data":
            return XLIFF2ElementRule(attributes: ["id": .nmtoken, "dir": .dir], required: ["id"], xmlAttributes: ["space": .fixedPreserve])
        case "source":
            return XLIFF2ElementRule(attributes: [:], xmlAttributes: ["lang": .language, "space": .xmlSpace])
        case "target":
            return XLIFF2ElementRule(attributes: ["order": .positiveInteger], xmlAttributes: ["lang": .language, "space": .xmlSpace])
        case "cp":
            return XLIFF2ElementRule(attributes: ["hex": .hex], required: ["hex"])
        case "ph":
            var a = canAttributes
            a.merge(["disp": .string, "equiv": .string, "id": .nmtoken, "dataRef": .nmtoken, "subFlows": .nmtokens]) { $1 }
            return XLIFF2ElementRule(attributes: a, required: ["id"], foreign: .modulesOnly)
        case "pc":
            var a = canAttributes
            a.merge(["canOverlap": .yesNo, "dispEnd": .string, "dispStart": .string, "equivEnd": .string, "equivStart": .string, "id": .nmtoken,
                     "dataRefEnd": .nmtoken, "dataRefStart": .nmtoken, "subFlowsEnd": .nmtokens, "subFlowsStart": .nmtokens, "dir": .dir]) { $1 }
            return XLIFF2ElementRule(attributes: a, required: ["id"], foreign: .modulesOnly)
        case "sc":
            var a = canAttributes
            a.merge(["canOverlap": .yesNo, "dataRef": .nmtoken, "dir": .dir, "disp": .string, "equiv": .string, "id": .nmtoken, "isolated": .yesNo, "subFlows": .nmtokens]) { $1 }
            return XLIFF2ElementRule(attributes: a, required: ["id"], foreign: .modulesOnly)
        case "ec":
            var a = canAttributes
            a.merge(["canOverlap": .yesNo, "dataRef": .nmtoken, "dir": .dir, "disp": .string, "equiv": .string, "id": .nmtoken, "isolated": .yesNo, "startRef": .nmtoken, "subFlows": .nmtokens]) { $1 }
            return XLIFF2ElementRule(attributes: a, foreign: .modulesOnly)
        case "mrk", "sm":
            return XLIFF2ElementRule(attributes: ["id": .nmtoken, "translate": .yesNo, "type": .markerType, "ref": .string, "value": .string], required: ["id"], foreign: .any)
        case "em":
            return XLIFF2ElementRule(attributes: ["startRef": .nmtoken], required: ["startRef"])
        default:
            return nil
        }
    }

    /// Namespaces whose attributes may appear on inline codes.
    static let moduleAttributeNamespaces: Set<String> = [
        XLIFFNamespace.formatStyle, XLIFFNamespace.sizeRestriction, XLIFFNamespace.its, XLIFFNamespace.itsm, XLIFFNamespace.pgs,
    ]

    /// Namespaces of XLIFF modules (their vocabulary is closed; everything else is an extension).
    static let moduleNamespaces: Set<String> = [
        XLIFFNamespace.matches, XLIFFNamespace.glossary, XLIFFNamespace.metadata, XLIFFNamespace.formatStyle,
        XLIFFNamespace.resourceData, XLIFFNamespace.sizeRestriction, XLIFFNamespace.validation,
        XLIFFNamespace.changeTracking, XLIFFNamespace.its, XLIFFNamespace.itsm, XLIFFNamespace.pgs,
    ]

    /// Attributes each module defines for use on other elements.
    static func moduleAttribute(_ namespace: String, _ local: String) -> XLIFF2AttributeType? {
        switch namespace {
        case XLIFFNamespace.formatStyle:
            return ["fs": .fs, "subFs": .string][local]
        case XLIFFNamespace.sizeRestriction:
            // sizeInfo and equivStorage depend on the profile in use: see checkProfileValues.
            return ["equivStorage": .string, "sizeInfo": .string, "sizeInfoRef": .nmtoken,
                    "sizeRestriction": .slrRestriction, "storageRestriction": .slrRestriction][local]
        case XLIFFNamespace.its:
            return itsAttributes[local]
        case XLIFFNamespace.itsm:
            return ["domains": .string, "lang": .language][local]
        case XLIFFNamespace.pgs:
            return ["switch": .string, "case": .string][local]
        default:
            return nil
        }
    }

    static let itsAttributes: [String: XLIFF2AttributeType] = [
        "version": .itsVersion, "allowedCharacters": .string, "annotatorsRef": .string, "localeFilterList": .string,
        "localeFilterType": .itsFilterType, "locQualityIssueComment": .string, "locQualityIssueEnabled": .itsYesNo,
        "locQualityIssueProfileRef": .string, "locQualityIssuesRef": .string, "locQualityIssueSeverity": .itsScore,
        "locQualityIssueType": .itsIssueType, "locQualityRatingProfileRef": .string, "locQualityRatingScore": .itsScore,
        "locQualityRatingScoreThreshold": .itsScore, "locQualityRatingVote": .integer, "locQualityRatingVoteThreshold": .integer,
        "mtConfidence": .itsConfidence, "org": .string, "orgRef": .string, "person": .string, "personRef": .string,
        "provenanceRecordsRef": .string, "revOrg": .string, "revOrgRef": .string, "revPerson": .string, "revPersonRef": .string,
        "revTool": .string, "revToolRef": .string, "taClassRef": .string, "taConfidence": .itsConfidence, "taIdent": .string,
        "taIdentRef": .string, "taSource": .string, "termConfidence": .itsConfidence, "tool": .string, "toolRef": .string,
    ]

    static let itsIssueTypes: Set<String> = [
        "terminology", "mistranslation", "omission", "untranslated", "addition", "duplication", "inconsistency", "grammar",
        "legal", "register", "locale-specific-content", "locale-violation", "style", "characters", "misspelling",
        "typographical", "formatting", "inconsistent-entities", "numbers", "markup", "pattern-problem", "whitespace",
        "internationalization", "length", "non-conformance", "uncategorized", "other",
    ]

    /// The HTML element names `fs:fs` accepts.
    static let formatStyleValues: Set<String> = [
        "a", "b", "bdo", "big", "blockquote", "body", "br", "button", "caption", "center", "cite", "code", "col", "colgroup",
        "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "html", "i", "img", "label",
        "legend", "li", "ol", "p", "pre", "q", "s", "samp", "select", "small", "span", "strike", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "tt", "u", "ul",
    ]

    /// `slr:sizeRestriction`/`storageRestriction`: `max`, `min,max` or `min,*` (non-negative integers), or `*`.
    static func isSizeRestriction(_ value: String) -> Bool {
        func isInteger(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        if value == "*" { return true }
        let parts = value.split(separator: ",", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isInteger(parts[0])
        case 2: return isInteger(parts[0]) && (isInteger(parts[1]) || parts[1] == "*")
        default: return false
        }
    }

    /// `hex` values `<cp>` may carry: characters XML 1.0 forbids or discourages.
    static func isCodePointForCP(_ value: UInt32) -> Bool {
        switch value {
        case 0x0...0x8, 0xB, 0xC, 0xE...0x1F, 0x7F...0x84, 0x86...0x9F, 0xD800...0xDFFF, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }
}
