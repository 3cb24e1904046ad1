import Diagnostics
import TranslationModel

/// Writes a translated document in its original format from the XLIFF's skeleton and units.
///
/// A part (segment or ignorable) whose target is its source — or that has no target — is
/// written exactly as the original spelled it (entities, line endings, whitespace, bytes a
/// parser dropped), so an untranslated document comes back byte for byte. A translated part is
/// written in the document's conventions: its encoding and line ending, HTML escaping, and the
/// character references the original preferred (`&nbsp;`). Inline codes are written from their
/// original data, with translated attribute values put back inside their tags.
public final class DocumentMerger {
    private let skeleton: SkeletonDocument
    private let location: SourceLocation
    private let encoder: TextEncoder
    private var available: [String: (unit: Unit, location: SourceLocation?)] = [:]
    private var nestedLayouts: [String: UnitLayout] = [:]
    private var renderedNested: [String: String] = [:]
    private var missingTargets: [String] = []
    private var partialTargets: [(unitID: String, segments: [Int])] = []
    private var changedSources: [String] = []
    /// Problems found while merging (missing translations, units the skeleton does not know…).
    public private(set) var findings: [Finding] = []

    /// Creates a merger for one XLIFF `<file>`. `location` names the XLIFF in findings;
    /// `outputPath` names the output in encoding errors.
    public init(skeleton: SkeletonDocument, location: SourceLocation, outputPath: String) throws {
        self.skeleton = skeleton
        self.location = location
        self.encoder = try TextEncoder(encoding: skeleton.header.encoding, displayPath: outputPath)
    }

    /// Parses the skeleton text of an XLIFF file; nil when the file carries no Verso skeleton.
    public static func skeleton(of file: FileInfo, location: SourceLocation) throws -> SkeletonDocument? {
        guard let content = file.skeleton?.content, file.skeleton?.form == SkeletonFormat.form || content.hasPrefix("{\"skeleton\":\"verso\"") else { return nil }
        return try SkeletonFormat.parse(content, location: location)
    }

    /// Merges: takes units from `nextUnit` (in XLIFF order, nil at the end of the file) and
    /// hands the output bytes to `write`, in order. Findings about a unit name the file only.
    public func merge(nextUnit: () throws -> Unit?, write: ([UInt8]) throws -> Void) throws {
        try merge(nextLocatedUnit: { try nextUnit().map { ($0, nil) } }, write: write)
    }

    /// Merges, taking each unit with where it starts in the XLIFF (`path:line`), so that findings
    /// about a unit (inline codes that do not match the source's) name its line.
    public func merge(nextLocatedUnit: () throws -> (Unit, SourceLocation?)?, write: ([UInt8]) throws -> Void) throws {
        let header = skeleton.header
        if header.hasByteOrderMark { try write(header.encoding.byteOrderMark) }
        func take(_ id: String) throws -> (unit: Unit, location: SourceLocation?)? {
            if let u = available.removeValue(forKey: id) { return u }
            while let (u, at) = try nextLocatedUnit() {
                if u.id == id { return (u, at) }
                available[u.id] = (u, at)
            }
            return nil
        }
        for entry in skeleton.entries {
            switch entry {
            case .text(let t):
                try write(encoder.encode(t))
            case .nestedUnit(let layout):
                nestedLayouts[layout.unitID] = layout
            case .unitRun(let run):
                var id = run.first
                while id < run.first + run.count {
                    if id > run.first && !run.separator.isEmpty { try write(encoder.encode(run.separator)) }
                    let unitID = "\(run.prefix)\(id)"
                    guard let (unit, at) = try take(unitID) else {
                        throw FormatsError(location: location, message: "unit '\(unitID)' of the original document is missing from the XLIFF")
                    }
                    let layout = UnitLayout(unitID: unitID, sourceUTF16Length: unit.source.plainText.utf16.count)
                    try write(encoder.encode(try render(unit, at: at, layout, take: take), fallback: fallback))
                    id += 1
                }
            case .unit(let layout):
                guard let (unit, at) = try take(layout.unitID) else {
                    throw FormatsError(location: location, message: "unit '\(layout.unitID)' of the original document is missing from the XLIFF")
                }
                try write(encoder.encode(try render(unit, at: at, layout, take: take), fallback: fallback))
            }
        }
        var extra = Array(available.keys).sorted()
        while let (u, _) = try nextLocatedUnit() { extra.append(u.id) }
        if !extra.isEmpty {
            findings.append(Finding(.warning, "\(extra.count == 1 ? "unit" : "units") \(list(extra)) not in the original document: ignored", at: location, code: "merge.unknown-unit"))
        }
        if !missingTargets.isEmpty {
            findings.append(Finding(.warning, "\(missingTargets.count == 1 ? "unit" : "\(missingTargets.count) units") \(list(missingTargets)) not translated: the source text is used", at: location, code: "merge.missing-target"))
        }
        if !partialTargets.isEmpty {
            func segments(_ numbers: [Int]) -> String {
                (numbers.count == 1 ? "segment " : "segments ") + numbers.map(String.init).joined(separator: ", ")
            }
            let message: String
            if partialTargets.count == 1, let only = partialTargets.first {
                message = "unit \(only.unitID) partly translated: \(segments(only.segments)) \(only.segments.count == 1 ? "uses" : "use") the source text"
            } else {
                message = "\(partialTargets.count) units partly translated, their other segments use the source text: " + list(partialTargets.map { "\($0.unitID) (\(segments($0.segments)))" })
            }
            findings.append(Finding(.warning, message, at: location, code: "merge.partial-target"))
        }
        if !changedSources.isEmpty {
            findings.append(Finding(.warning, "the source text of \(changedSources.count == 1 ? "unit" : "units") \(list(changedSources)) was changed after prepare: its original spelling (entities, line endings) may differ", at: location, code: "merge.source-changed"))
        }
    }

    private func list(_ ids: [String]) -> String {
        let shown = ids.prefix(10).joined(separator: ", ")
        return ids.count > 10 ? "\(shown) and \(ids.count - 10) more" : shown
    }

    private var fallback: ((Unicode.Scalar) -> String)? {
        skeleton.header.format == .html ? { "&#\($0.value);" } : nil
    }

    // MARK: - What to write for a unit

    /// One part of a unit as merge writes it.
    private struct PlannedPart {
        /// The part's source (offsets and codes of the recorded spellings count in it).
        var source: Content
        /// The runs written for a translated part; nil: the source, spelled as the original was.
        var target: [Run]?
    }

    /// What to write for a unit: its parts, translated or not, and the repairs of its codes.
    private struct UnitPlan {
        var parts: [PlannedPart]
        var codes: TargetCodeCheck?
    }

    /// Decides, part by part, whether the translation or the source is written, checks the
    /// translation's inline codes, and records what is reported about the unit.
    private func plan(for unit: Unit, at unitLocation: SourceLocation?) -> UnitPlan {
        let segments = unit.segments
        // A plain XLIFF 1.2 <target> on a unit whose source is segmented translates the whole unit.
        if unit.xliff12Markup.targetIsUnsegmented, let whole = segments.first?.target, !whole.isEmpty {
            var merged = Unit(id: unit.id, source: unit.source)
            merged.parts = [.segment(Segment(source: unit.source, target: whole))]
            return plan(for: merged, at: unitLocation)
        }
        // A segment without a translation keeps its source; so does the material on either side of it.
        var untranslated = Set<Int>()
        var untranslatedNumbers: [Int] = []
        var number = 0
        for (i, part) in unit.parts.enumerated() {
            guard case .segment(let s) = part else { continue }
            number += 1
            if s.target == nil || (s.target!.isEmpty && !s.source.isEmpty) {
                untranslated.insert(i)
                untranslatedNumbers.append(number)
            }
        }
        func neighbourIsUntranslated(_ i: Int) -> Bool {
            let before = unit.parts[..<i].lastIndex { if case .segment = $0 { return true } else { return false } }
            let after = unit.parts[(i + 1)...].firstIndex { if case .segment = $0 { return true } else { return false } }
            return before.map(untranslated.contains) == true || after.map(untranslated.contains) == true
        }
        var parts: [PlannedPart] = []
        for (i, part) in unit.parts.enumerated() {
            let source = part.source
            var written: [Run]?
            if let target = part.target, !untranslated.contains(i), !target.sameText(as: source) {
                if case .ignorable = part, neighbourIsUntranslated(i) {
                    written = nil
                } else {
                    written = target.runs
                }
            }
            parts.append(PlannedPart(source: source, target: written))
        }
        if !untranslatedNumbers.isEmpty {
            if untranslatedNumbers.count == number { missingTargets.append(unit.id) } else { partialTargets.append((unit.id, untranslatedNumbers)) }
        }
        guard parts.contains(where: { $0.target != nil }) else { return UnitPlan(parts: parts, codes: nil) }

        let check = TargetCodeCheck(sources: parts.map(\.source), written: parts.map { $0.target ?? $0.source.runs })
        let at = unitLocation ?? location
        if !check.problems.isEmpty {
            findings.append(Finding(.error, "unit \(unit.id): the inline codes of the translation do not match the source's (\(check.problems.joined(separator: "; "))): the unit is written in the source language", at: at, code: "merge.code-mismatch"))
            return UnitPlan(parts: parts.map { PlannedPart(source: $0.source, target: nil) }, codes: nil)
        }
        for repair in check.repairs {
            findings.append(Finding(.warning, "unit \(unit.id): \(repair)", at: at, code: "merge.code-repaired"))
        }
        return UnitPlan(parts: parts, codes: check.hasInsertions ? check : nil)
    }

    // MARK: - Rendering a unit

    private func policy(for layout: UnitLayout) -> SpellingPolicy {
        let context: SpellingPolicy.Context
        switch skeleton.header.format {
        case .plainText: context = .plainText
        case .html: context = layout.attributeQuote.map { .htmlAttribute(quote: $0) } ?? .htmlContent
        }
        return SpellingPolicy(context: context, newline: skeleton.header.newline)
    }

    private func render(_ unit: Unit, at unitLocation: SourceLocation?, _ layout: UnitLayout, take: (String) throws -> (unit: Unit, location: SourceLocation?)?) throws -> String {
        var layout = layout
        // The recorded spellings are only valid for the source they were recorded for.
        if !layout.substitutions.isEmpty, unit.source.plainText.utf16.count != layout.sourceUTF16Length {
            changedSources.append(unit.id)
            layout.substitutions = []
        }
        let plan = plan(for: unit, at: unitLocation)
        var (text, changed) = try renderParts(unit, plan, layout, policy: policy(for: layout), take: take)
        // An unquoted attribute value that now holds spaces or quotes needs quotes.
        if layout.attributeQuote == "", changed, text.isEmpty || text.unicodeScalars.contains(where: { " \t\n\r\u{0C}\"'=<>`".unicodeScalars.contains($0) }) {
            var quoted = layout
            quoted.attributeQuote = "\""
            let (again, _) = try renderParts(unit, plan, quoted, policy: policy(for: quoted), take: take)
            text = "\"" + again + "\""
        }
        // Units translated inside codes the translation left out: taken, so they are not reported as unknown.
        for placement in layout.nestedUnits where renderedNested[placement.unitID] == nil && nestedLayouts[placement.unitID] != nil {
            if try take(placement.unitID) != nil { renderedNested[placement.unitID] = "" }
        }
        return text
    }

    private func renderParts(_ unit: Unit, _ plan: UnitPlan, _ layout: UnitLayout, policy: SpellingPolicy, take: (String) throws -> (unit: Unit, location: SourceLocation?)?) throws -> (String, Bool) {
        let subs = layout.substitutions.sorted { ($0.utf16Offset, $0.codesBefore, $0.utf16Length) < ($1.utf16Offset, $1.codesBefore, $1.utf16Length) }
        var cursor = 0
        var out = ""
        var offset = 0
        var codes = 0
        var anyChanged = false
        let sourceCodes = Dictionary(unit.source.codes.map { ("\($0.kind.rawValue):\($0.id)", $0) }, uniquingKeysWith: { a, _ in a })

        func insertions(upTo position: (Int, Int)) {
            while cursor < subs.count, subs[cursor].utf16Length == 0, (subs[cursor].utf16Offset, subs[cursor].codesBefore) <= position {
                out += subs[cursor].raw
                cursor += 1
            }
        }
        func skipSubstitutions(before position: (Int, Int)) {
            while cursor < subs.count, (subs[cursor].utf16Offset, subs[cursor].codesBefore) < position { cursor += 1 }
        }
        func codeText(_ code: InlineCode) throws -> String {
            // The source's markup for a code the source has: a translation never changes what a
            // code stands for. A copy (XLIFF 2 `copyOf`) stands for the code it copies.
            let base = code.copyOf.flatMap { sourceCodes["\(code.kind.rawValue):\($0)"] }
            guard let original = (base ?? sourceCodes["\(code.kind.rawValue):\(code.id)"])?.originalData ?? code.originalData else {
                findings.append(Finding(.warning, "inline code '\(code.id)' of unit \(unit.id) has no original data: left out", at: location, code: "merge.code-without-data"))
                return ""
            }
            // Nested units are attribute values, so they sit in a start tag: an opening or
            // standalone code. A closing code shares its opening's id, but the placements'
            // offsets are into the start tag's text, not the end tag's.
            guard code.kind != .closing else { return original }
            let placements = layout.nestedUnits.filter { $0.codeID == code.id }.sorted { $0.utf16Start < $1.utf16Start }
            guard !placements.isEmpty else { return original }
            let utf16 = Array(original.utf16)
            var result = ""
            var position = 0
            for p in placements where p.utf16Start >= position && p.utf16End <= utf16.count {
                result += String(decoding: utf16[position..<p.utf16Start], as: UTF16.self)
                if let done = renderedNested[p.unitID] {
                    result += done
                } else if let nestedLayout = nestedLayouts[p.unitID], let (nested, at) = try take(p.unitID) {
                    let rendered = try render(nested, at: at, nestedLayout, take: take)
                    renderedNested[p.unitID] = rendered
                    result += rendered
                } else {
                    result += String(decoding: utf16[p.utf16Start..<p.utf16End], as: UTF16.self)
                }
                position = p.utf16End
            }
            result += String(decoding: utf16[position...], as: UTF16.self)
            return result
        }
        func repairs(before position: RunPosition) throws {
            guard let check = plan.codes else { return }
            for c in check.closingsBefore[position] ?? [] { out += try codeText(c) }
            for c in check.openingsBefore[position] ?? [] { out += try codeText(c) }
        }

        for (p, part) in plan.parts.enumerated() {
            let source = part.source
            let partLength = source.plainText.utf16.count
            let partCodes = source.codes.count
            if let target = part.target {
                anyChanged = true
                for (r, run) in target.enumerated() {
                    try repairs(before: RunPosition(part: p, run: r))
                    switch run {
                    case .text(let t):
                        for scalar in t.unicodeScalars {
                            if let preferred = skeleton.header.preferredReferences[scalar], policy.context == .htmlContent {
                                out += preferred
                            } else {
                                out += policy.spell(scalar)
                            }
                        }
                    case .code(let c):
                        out += try codeText(c)
                    case .marker:
                        break
                    }
                }
                try repairs(before: RunPosition(part: p, run: target.count))
                offset += partLength
                codes += partCodes
                skipSubstitutions(before: (offset, codes))
            } else {
                for (r, run) in source.runs.enumerated() {
                    try repairs(before: RunPosition(part: p, run: r))
                    switch run {
                    case .text(let t):
                        var skip = 0
                        for scalar in t.unicodeScalars {
                            let width = scalar.utf16.count
                            if skip > 0 { skip -= width; offset += width; continue }
                            insertions(upTo: (offset, codes))
                            if cursor < subs.count, subs[cursor].utf16Offset == offset, subs[cursor].utf16Length > 0 {
                                out += subs[cursor].raw
                                skip = subs[cursor].utf16Length - width
                                cursor += 1
                            } else {
                                out += policy.spell(scalar)
                            }
                            offset += width
                        }
                    case .code(let c):
                        insertions(upTo: (offset, codes))
                        out += try codeText(c)
                        codes += 1
                    case .marker:
                        break
                    }
                }
                try repairs(before: RunPosition(part: p, run: source.runs.count))
            }
        }
        insertions(upTo: (Int.max, Int.max))
        return (out, anyChanged)
    }
}

extension Content {
    /// True when both hold the same text and the same codes (by kind and id) in the same order;
    /// markers (terms, comments) and how text is split into runs do not count.
    func sameText(as other: Content) -> Bool {
        func key(_ c: Content) -> [String] {
            var out: [String] = []
            var text = ""
            for run in c.runs {
                switch run {
                case .text(let t): text += t
                case .code(let code):
                    out.append(text); text = ""
                    out.append("\u{0}\(code.kind.rawValue):\(code.id)")
                case .marker: break
                }
            }
            out.append(text)
            return out
        }
        return key(self) == key(other)
    }
}
