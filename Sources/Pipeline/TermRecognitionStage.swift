import Diagnostics
import Synchronization
import Terminology
import TranslationModel

/// Marks glossary terms in every segment's source and attaches the glossary entries to the unit,
/// the way the XLIFF version written can show them to the translator.
///
/// Occurrences become `term` markers (XLIFF 1.2 `<mrk mtype="term" comment="NATO">`, XLIFF 2
/// `<mrk type="term">`). The entries themselves — the term, its translations, a definition —
/// become XLIFF 2 glossary-module entries (`<gls:glossEntry>`), or for XLIFF 1.2, which has no
/// glossary element in a unit, one `<note>` per term (`OTAN → NATO`): notes are what both
/// translate-toolkit and OmegaT show beside a segment, whereas `<alt-trans>` would be offered
/// as a translation of the whole segment. See docs/prepare-merge.md.
public struct TermRecognitionStage: Stage {
    /// "terms".
    public var name: String { "terms" }

    private let recognizers: TermRecognizers
    private let usage: TermUsageLog?
    private let facts = ConceptFacts()

    /// The `from` of the notes this stage writes, so that they can be told apart.
    public static let noteAuthor = "Verso glossary"

    /// Creates the stage. `usage`, when given, records every concept found, per file.
    public init(recognizers: TermRecognizers, usage: TermUsageLog? = nil) {
        self.recognizers = recognizers
        self.usage = usage
    }

    /// Marks the terms of one unit.
    ///
    /// The unit is taken over and changed in place: most units have no term, and they go on
    /// without a copy of their parts or of the segments looked at.
    public func process(_ unit: consuming Unit, in context: StageContext) throws -> Unit {
        let recognizer = try recognizers.recognizer(for: context.sourceLanguage, target: context.targetLanguage)
        // Preparing a prepared file again: what an earlier run marked is recognised afresh
        // (the glossary may have changed), never nested or listed twice.
        var u = Self.removingEarlierTermMarkup(unit)
        // Marked through `inout` rather than in this body: returning a variable that the loop
        // below changes in place made the compiler copy the whole unit on the way out.
        try mark(&u, recognizer: recognizer, in: context)
        return u
    }

    /// Marks the terms of every segment of `u` and adds the glossary notes or entries.
    private func mark(_ u: inout Unit, recognizer: TermRecognizer, in context: StageContext) throws {
        let asNotes = !context.xliffVersion.isVersion2
        // The ids already in use, gathered when the first term is found (most units have none),
        // before any part is changed.
        var usedIDs: Set<String>? = nil
        var markerCount = 0
        func nextMarkerID() -> String {
            repeat { markerCount += 1 } while usedIDs!.contains("t\(markerCount)")
            return "t\(markerCount)"
        }
        // One entry per concept, in order of first occurrence, found by concept id.
        var entries: [(occurrence: TermOccurrence, markerID: String, facts: ConceptFacts.Facts)] = []
        var entryIndex: [String: Int] = [:]
        for index in u.parts.indices {
            guard case .segment = u.parts[index] else { continue }
            // Only the source is read, not a copy of the whole segment: most have no term.
            let occurrences = try recognizer.occurrences(in: u.parts[index].source)
            guard !occurrences.isEmpty, case .segment(var segment) = u.parts[index] else { continue }
            if usedIDs == nil { usedIDs = Self.inlineIDs(of: u) }
            var spans: [(range: Range<Int>, start: Marker, end: Marker)] = []
            for o in occurrences {
                let id = nextMarkerID()
                // By concept id: termbases sharing an id describe one concept (one note).
                let key = o.concept.id
                // A concept's translations are looked up once per unit, not per occurrence.
                let translations: [Term]
                if let known = entryIndex[key] {
                    translations = entries[known].facts.translations
                } else {
                    let f = facts.of(o, source: context.sourceLanguage, target: context.targetLanguage ?? "")
                    translations = f.translations
                    entryIndex[key] = entries.count
                    entries.append((o, id, f))
                }
                let translation = context.targetLanguage == nil ? nil : translations.first?.text
                let start = Marker(boundary: .start, id: id, type: "term", value: asNotes ? translation : o.concept.definition)
                spans.append((o.utf16Offset..<(o.utf16Offset + o.utf16Length), start, Marker(boundary: .end, id: id, type: "term")))
                usage?.record(o, file: context.file, targetLanguage: context.targetLanguage)
                if let finding = o.discouragedTermFinding(at: SourceLocation(file: context.file)) {
                    if let pending = context.pendingPositions {
                        pending.add(finding, unit: u.id, text: o.text)
                    } else {
                        var f = finding
                        f.message += " in unit \(u.id)"
                        context.findings.report(f)
                    }
                }
            }
            segment.source = segment.source.insertingMarkers(spans)
            u.parts[index] = .segment(segment)
        }
        for entry in entries {
            let o = entry.occurrence
            let translations = entry.facts.translations
            if asNotes {
                var text = "\(o.text) → " + (translations.isEmpty ? "(no translation into \(context.targetLanguage ?? "?") in the glossary)" : translations.map(\.text).joined(separator: " | "))
                if let d = o.concept.definition ?? entry.facts.sourceDefinition { text += " — \(d)" }
                text += " [\(o.glossary)]"
                u.notes.append(Note(text, from: Self.noteAuthor, appliesTo: .source))
            } else {
                var glossaryID = u.glossary.count + 1
                while u.glossary.contains(where: { $0.id == "g\(glossaryID)" }) { glossaryID += 1 }
                u.glossary.append(GlossaryEntry(
                    term: o.text,
                    id: "g\(glossaryID)",
                    ref: "#\(entry.markerID)",
                    termSource: o.glossary,
                    definition: o.concept.definition,
                    translations: translations.map { GlossaryEntry.Translation($0.text, source: o.glossary) }
                ))
            }
        }
    }

    /// `unit` without the term markup an earlier run of this stage added: its glossary notes
    /// (XLIFF 1.2, `from="Verso glossary"`), its glossary entries (XLIFF 2, `g1` referring to
    /// `#t1`) and the term markers they go with (`t1`, `t2`…). Term markers are only taken out of
    /// a unit that carries such notes or entries, so other tools' term markup stays.
    public static func removingEarlierTermMarkup(_ unit: consuming Unit) -> Unit {
        // Asked first, without building filtered lists: most units carry neither.
        guard unit.notes.contains(where: { $0.from == noteAuthor }) || unit.glossary.contains(where: isOwnEntry) else { return unit }
        var u = unit
        u.notes = u.notes.filter { $0.from != noteAuthor }
        u.glossary = u.glossary.filter { !isOwnEntry($0) }
        u.parts = u.parts.map { part in
            guard case .segment(var segment) = part else { return part }
            // An end marker read back from XLIFF has no type: it goes with its start.
            var own: Set<String> = []
            for case .marker(let m) in segment.source.runs where m.boundary == .start && isOwnMarker(m) { own.insert(m.id) }
            guard !own.isEmpty else { return part }
            let runs = segment.source.runs.filter { run in
                if case .marker(let m) = run, own.contains(m.id) { return false }
                return true
            }
            guard runs.count != segment.source.runs.count else { return part }
            segment.source.runs = runs
            segment.source = segment.source.normalized
            return .segment(segment)
        }
        return u
    }

    /// A term marker as this stage writes it: type `term`, id `t` and a number.
    static func isOwnMarker(_ m: Marker) -> Bool {
        m.type == "term" && isNumbered(m.id, prefix: "t")
    }

    /// An XLIFF 2 glossary entry as this stage writes it: id `g<n>`, referring to a `t<n>` marker.
    static func isOwnEntry(_ e: GlossaryEntry) -> Bool {
        guard let id = e.id, isNumbered(id, prefix: "g"), let ref = e.ref, ref.hasPrefix("#") else { return false }
        return isNumbered(String(ref.dropFirst()), prefix: "t")
    }

    private static func isNumbered(_ id: String, prefix: Character) -> Bool {
        id.first == prefix && id.count > 1 && id.dropFirst().allSatisfy(\.isASCII) && id.dropFirst().allSatisfy(\.isNumber)
    }

    /// Ids already used in the unit (other tools' markers and codes, segment ids): new term
    /// markers must not take them (XLIFF 2 wants them unique within the unit).
    private static func inlineIDs(of unit: Unit) -> Set<String> {
        var ids: Set<String> = []
        for part in unit.parts {
            switch part {
            case .segment(let s):
                insertIDs(of: s, into: &ids)
            case .ignorable(let i):
                if let id = i.id { ids.insert(id) }
            }
        }
        return ids
    }

    /// Adds the ids of `s` and of the markers and codes of its source and target to `ids`.
    private static func insertIDs(of s: Segment, into ids: inout Set<String>) {
        if let id = s.id { ids.insert(id) }
        for run in s.source.runs {
            if case .marker(let m) = run { ids.insert(m.id) }
            if case .code(let c) = run { ids.insert(c.id) }
        }
        for run in s.target?.runs ?? [] {
            if case .marker(let m) = run { ids.insert(m.id) }
            if case .code(let c) = run { ids.insert(c.id) }
        }
    }
}

/// What the stage writes about a concept for a pair of languages (its recommended translations,
/// the definition of its source-language section), remembered across units: a run meets the
/// same concepts in file after file, and working them out again each time (language tags
/// compared section by section) cost more than recognising the terms. Safe to share.
private final class ConceptFacts: Sendable {
    struct Facts {
        /// `Concept.recommendedTerms(in: target)`.
        var translations: [Term]
        /// The definition of the first section serving the source language.
        var sourceDefinition: String?
    }

    private struct Key: Hashable {
        var glossary: String
        var handle: Int
        var source: String
        var target: String
    }

    private let known = Mutex<[Key: (concept: Concept, facts: Facts)]>([:])

    /// The facts of `o`'s concept. Remembered by termbase and handle, and used again only for
    /// an equal concept (one several termbases share is merged per segment and may differ).
    func of(_ o: TermOccurrence, source: String, target: String) -> Facts {
        let key = Key(glossary: o.glossary, handle: o.conceptHandle, source: source, target: target)
        // An unchanged copy of a stored concept compares equal at once (same buffers).
        if let hit = known.withLock({ $0[key] }), hit.concept == o.concept { return hit.facts }
        let facts = Facts(translations: o.concept.recommendedTerms(in: target),
                          sourceDefinition: o.concept.sections(for: source).first?.definition)
        known.withLock { $0[key] = (o.concept, facts) }
        return facts
    }
}

extension Concept {
    /// The concept's terms in `language` that are not deprecated or forbidden, preferred first
    /// (as the glossary orders them).
    func recommendedTerms(in language: String) -> [Term] {
        terms(in: language).filter { !($0.status?.isDiscouraged ?? false) }
    }
}

/// The concepts a run's term recognition found, per file: for the report and for the glossary
/// subset written beside each XLIFF. Safe to share between threads.
public final class TermUsageLog: Sendable {
    /// A concept found in a file.
    public struct Usage: Sendable {
        /// The concept, with every language its glossary was read for (over the built-in
        /// glossaries, the sections of the source and target languages).
        public var concept: Concept
        /// The termbase it comes from.
        public var glossary: String
        /// The source term as the glossary writes it.
        public var term: String
        /// Translations into the target language, preferred first.
        public var translations: [String]
        /// Occurrences.
        public var occurrences: Int
        /// Order of first occurrence.
        var order: Int
    }

    private let state = Mutex<[String: [String: Usage]]>([:])

    /// Creates an empty log.
    public init() {}

    func record(_ o: TermOccurrence, file: String, targetLanguage: String?) {
        // By concept id: termbases sharing an id describe one concept, merged as the built-in
        // glossaries are (one entry in the subset).
        let key = o.concept.id
        state.withLock { all in
            // The file's table changed in place: taken out and put back, it was copied whole
            // at every occurrence.
            Self.record(o, key: key, targetLanguage: targetLanguage, in: &all[file, default: [:]])
        }
    }

    private static func record(_ o: TermOccurrence, key: String, targetLanguage: String?, in perFile: inout [String: Usage]) {
        if perFile[key] != nil {
            perFile[key]!.occurrences += 1
            if perFile[key]!.concept != o.concept {
                let merged = BuiltInGlossaries.merged(perFile[key]!.concept, o.concept)
                perFile[key]!.concept = merged
                perFile[key]!.translations = targetLanguage.map { merged.recommendedTerms(in: $0).map(\.text) } ?? []
            }
        } else {
            let translations = targetLanguage.map { o.concept.recommendedTerms(in: $0).map(\.text) } ?? []
            perFile[key] = Usage(concept: o.concept, glossary: o.glossary, term: o.term.text, translations: translations, occurrences: 1, order: perFile.count)
        }
    }

    /// The concepts found in `file`, in order of first occurrence.
    public func usage(for file: String) -> [Usage] {
        state.withLock { all in (all[file] ?? [:]).values.sorted { $0.order < $1.order } }
    }
}

/// One term recognizer per source language over the same glossary, built when first needed
/// (inputs of one run may be in different languages: HTML declares its own). Safe to share.
///
/// Over the built-in glossaries (`init(builtInGlossaries:)`), each recognizer reads only the
/// sections of its source and target languages (`LanguageScope`): what it finds and what the
/// stage writes for that pair are the same as over every language, and a run does not pay for
/// converting eight languages it never uses.
public final class TermRecognizers: Sendable {
    /// The glossary for a scope: the same glossary whatever the scope, or the built-in
    /// glossaries read for it.
    private let glossaries: @Sendable (LanguageScope) throws -> Glossary
    /// True when recognizers are built over scoped glossaries.
    private let scoped: Bool
    /// Names of the termbases, for reports.
    public let names: [String]
    /// By normalized tag (and target language, over scoped glossaries), and by the tags as
    /// asked (every unit asks: normalizing them each time cost more than the lookup); the last
    /// one asked for, which every unit of a run in one language pair finds with a comparison of
    /// short strings instead of hashing its tags.
    private struct Cache {
        var normalized: [String: TermRecognizer] = [:]
        var asked: [String: TermRecognizer] = [:]
        var last: (language: String, target: String?, recognizer: TermRecognizer)?
    }
    private let cache = Mutex<Cache>(Cache())

    /// Recognizers over `glossary`, whatever the languages.
    public init(glossary: Glossary, names: [String]) {
        self.glossaries = { _ in glossary }
        self.scoped = false
        self.names = names
    }

    /// Recognizers over the built-in glossaries (`BuiltInGlossaries`), each reading the
    /// languages it serves only.
    public init(builtInGlossaries names: [String]) {
        self.glossaries = { try BuiltInGlossaries.glossary(scope: $0) }
        self.scoped = true
        self.names = names
    }

    /// The glossary terms come from, with every language.
    public var glossary: Glossary {
        get throws { try glossaries(.all) }
    }

    /// The recognizer for `language` (BCP 47), its concepts with every language.
    public func recognizer(for language: String) throws -> TermRecognizer {
        try cache.withLock { try recognizer(for: language, target: nil, everyLanguage: true, in: &$0) }
    }

    /// The recognizer for source `language` (BCP 47) whose concepts hold at least the sections
    /// of `language` and of `target`: all the term stage reads of them.
    ///
    /// Built under the lock: the workers of a batch all ask for the same language as they
    /// start, and building it once while the others wait costs less than each building it.
    public func recognizer(for language: String, target: String?) throws -> TermRecognizer {
        try cache.withLock { cache in
            if let last = cache.last, last.language == language, last.target == target { return last.recognizer }
            let r = try recognizer(for: language, target: target, everyLanguage: false, in: &cache)
            cache.last = (language, target, r)
            return r
        }
    }

    private func recognizer(for language: String, target: String?, everyLanguage: Bool, in cache: inout Cache) throws -> TermRecognizer {
        // Over one glossary the target changes nothing: one recognizer per source language.
        // Over scoped ones: one per source language and target's primary subtag.
        let suffix = !scoped ? "" : everyLanguage ? "\u{2}" : "\u{1}" + (target ?? "")
        if let r = cache.asked[language + suffix] { return r }
        let normalizedSuffix = !scoped ? "" : everyLanguage ? "\u{2}" : "\u{1}" + (target.map(LanguageTag.primary) ?? "")
        let key = LanguageTag.normalized(language) + normalizedSuffix
        let r: TermRecognizer
        if let known = cache.normalized[key] {
            r = known
        } else {
            let scope = !scoped || everyLanguage ? LanguageScope.all : LanguageScope([language] + (target.map { [$0] } ?? []))
            r = try TermRecognizer(glossary: try glossaries(scope), language: language)
            cache.normalized[key] = r
        }
        cache.asked[language + suffix] = r
        return r
    }
}

/// The glossary subset a prepared file uses, written beside its XLIFF for CAT tools that import
/// termbases: `<input>.glossary.tbx` (TBX 2008, TBX-Basic style) and `<input>.glossary.csv`.
public enum GlossarySubset {
    /// Writes the subset of `usage` (source and target languages only) and returns the paths
    /// written; nothing when no term was found.
    public static func write(_ usage: [TermUsageLog.Usage], folder: String, inputName: String, sourceLanguage: String, targetLanguage: String?, protectedInputs: [String]) throws -> [String] {
        guard !usage.isEmpty else { return [] }
        let languages = [sourceLanguage] + (targetLanguage.map { [$0] } ?? [])
        let concepts = usage.map { u -> Concept in
            var c = u.concept
            c.languageSections = c.languageSections.filter { section in
                languages.contains { LanguageTag.primary(section.language) == LanguageTag.primary($0) }
            }
            return c
        }
        let base = folder.hasSuffix("/") ? folder + inputName : folder + "/" + inputName
        let tbx = base + ".glossary.tbx"
        let csv = base + ".glossary.csv"
        try TBXWriter.write(concepts, to: tbx, language: sourceLanguage, sourceDescription: "Terms of \(inputName) found by verso prepare", protectedInputs: protectedInputs)
        try CSVTermbaseWriter.write(concepts, to: csv, languages: languages, protectedInputs: protectedInputs)
        return [tbx, csv]
    }
}
