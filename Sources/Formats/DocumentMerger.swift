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
    private var available: [String: Unit] = [:]
    private var nestedLayouts: [String: UnitLayout] = [:]
    private var missingTargets: [String] = []
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
    /// hands the output bytes to `write`, in order.
    public func merge(nextUnit: () throws -> Unit?, write: ([UInt8]) throws -> Void) throws {
        let header = skeleton.header
        if header.hasByteOrderMark { try write(header.encoding.byteOrderMark) }
        func take(_ id: String) throws -> Unit? {
            if let u = available.removeValue(forKey: id) { return u }
            while let u = try nextUnit() {
                if u.id == id { return u }
                available[u.id] = u
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
                    guard let unit = try take(unitID) else {
                        throw FormatsError(location: location, message: "unit '\(unitID)' of the original document is missing from the XLIFF")
                    }
                    let layout = UnitLayout(unitID: unitID, sourceUTF16Length: unit.source.plainText.utf16.count)
                    try write(encoder.encode(try render(unit, layout, take: take), fallback: fallback))
                    id += 1
                }
            case .unit(let layout):
                guard let unit = try take(layout.unitID) else {
                    throw FormatsError(location: location, message: "unit '\(layout.unitID)' of the original document is missing from the XLIFF")
                }
                try write(encoder.encode(try render(unit, layout, take: take), fallback: fallback))
            }
        }
        var extra = Array(available.keys).sorted()
        while let u = try nextUnit() { extra.append(u.id) }
        if !extra.isEmpty {
            findings.append(Finding(.warning, "\(extra.count == 1 ? "unit" : "units") \(list(extra)) not in the original document: ignored", at: location, code: "merge.unknown-unit"))
        }
        if !missingTargets.isEmpty {
            findings.append(Finding(.warning, "\(missingTargets.count == 1 ? "unit" : "\(missingTargets.count) units") \(list(missingTargets)) not translated: the source text is used", at: location, code: "merge.missing-target"))
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

    // MARK: - Rendering a unit

    private func policy(for layout: UnitLayout) -> SpellingPolicy {
        let context: SpellingPolicy.Context
        switch skeleton.header.format {
        case .plainText: context = .plainText
        case .html: context = layout.attributeQuote.map { .htmlAttribute(quote: $0) } ?? .htmlContent
        }
        return SpellingPolicy(context: context, newline: skeleton.header.newline)
    }

    private func render(_ unit: Unit, _ layout: UnitLayout, take: (String) throws -> Unit?) throws -> String {
        var layout = layout
        // The recorded spellings are only valid for the source they were recorded for.
        if !layout.substitutions.isEmpty, unit.source.plainText.utf16.count != layout.sourceUTF16Length {
            changedSources.append(unit.id)
            layout.substitutions = []
        }
        let (text, changed) = try renderParts(unit, layout, policy: policy(for: layout), take: take)
        // An unquoted attribute value that now holds spaces or quotes needs quotes.
        if layout.attributeQuote == "", changed, text.isEmpty || text.unicodeScalars.contains(where: { " \t\n\r\u{0C}\"'=<>`".unicodeScalars.contains($0) }) {
            var quoted = layout
            quoted.attributeQuote = "\""
            let (again, _) = try renderParts(unit, quoted, policy: policy(for: quoted), take: take)
            return "\"" + again + "\""
        }
        return text
    }

    private func renderParts(_ unit: Unit, _ layout: UnitLayout, policy: SpellingPolicy, take: (String) throws -> Unit?) throws -> (String, Bool) {
        let subs = layout.substitutions.sorted { ($0.utf16Offset, $0.codesBefore, $0.utf16Length) < ($1.utf16Offset, $1.codesBefore, $1.utf16Length) }
        var cursor = 0
        var out = ""
        var offset = 0
        var codes = 0
        var anyChanged = false
        var missing = false
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
            var data = code.originalData ?? sourceCodes["\(code.kind.rawValue):\(code.id)"]?.originalData
            if data == nil {
                findings.append(Finding(.warning, "inline code '\(code.id)' of unit \(unit.id) has no original data: left out", at: location, code: "merge.code-without-data"))
                return ""
            }
            let placements = layout.nestedUnits.filter { $0.codeID == code.id }.sorted { $0.utf16Start < $1.utf16Start }
            guard !placements.isEmpty, let original = data else { return data ?? "" }
            let utf16 = Array(original.utf16)
            var result = ""
            var position = 0
            for p in placements where p.utf16Start >= position && p.utf16End <= utf16.count {
                result += String(decoding: utf16[position..<p.utf16Start], as: UTF16.self)
                if let nestedLayout = nestedLayouts[p.unitID], let nested = try take(p.unitID) {
                    result += try render(nested, nestedLayout, take: take)
                } else {
                    result += String(decoding: utf16[p.utf16Start..<p.utf16End], as: UTF16.self)
                }
                position = p.utf16End
            }
            result += String(decoding: utf16[position...], as: UTF16.self)
            data = result
            return result
        }

        for part in unit.parts {
            let source = part.source
            let target = part.target
            var unchanged = target == nil || target!.sameText(as: source)
            if case .segment = part, target == nil || (target!.isEmpty && !source.isEmpty) {
                missing = true
                unchanged = true
            }
            let partLength = source.plainText.utf16.count
            let partCodes = source.codes.count
            if unchanged {
                for run in source.runs {
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
            } else {
                anyChanged = true
                for run in target!.runs {
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
                offset += partLength
                codes += partCodes
                skipSubstitutions(before: (offset, codes))
            }
        }
        insertions(upTo: (Int.max, Int.max))
        if missing { missingTargets.append(unit.id) }
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
