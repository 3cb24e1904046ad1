import TranslationModel

/// Where a run sits among the runs merge writes for a unit: the part (segment or ignorable) and
/// the run's index in what is written for that part. `run == count` means "after the last run".
struct RunPosition: Hashable, Comparable {
    var part: Int
    var run: Int

    static func < (a: RunPosition, b: RunPosition) -> Bool { (a.part, a.run) < (b.part, b.run) }
}

/// Checks the inline codes a merge is about to write for one unit against the unit's source,
/// and plans the repairs that keep the document's markup balanced.
///
/// The codes written are the translation's where a part is translated and the source's where it
/// is not. Compared with the source's codes (by kind and id):
/// - a copy of a source code (XLIFF 2 `copyOf`) is the code it copies, written once more,
///   unless the source code says it cannot be copied (`canCopy` false), which is a problem;
/// - a code the source does not have, a code written more often than the source has it, a
///   closing code before its opening code, and paired codes that overlap although they nest in
///   the source are **problems**: nothing says what markup the translation means, so the unit is
///   written from its source (`problems` non-empty);
/// - a paired code whose opening or closing half is missing is **repaired**: the missing half is
///   added where it keeps the markup balanced (a closing code at the end of the segment that holds
///   its opening when the source pair lies in one segment, else at the end of the unit or before
///   the enclosing closing code; an opening code at the start of the span that holds its closing);
/// - a code missing altogether (both halves, or a standalone code) is **left out**, as the
///   translator chose, unless it says it cannot be deleted (`canDelete` false), which is a problem.
///
/// Codes the source itself leaves unpaired or misnested (isolated codes, HTML the parser
/// recovered from) are only counted, never reordered.
struct TargetCodeCheck {
    private struct Key: Hashable {
        var kind: InlineCode.Kind
        var id: String
    }

    private struct OpenCode {
        var id: String
        var position: RunPosition
        var closingWritten: Bool
        var pairInOnePart: Bool
    }

    /// What makes the translation's codes unusable; when not empty the unit is written from its source.
    private(set) var problems: [String] = []
    /// What was repaired or left out (warnings).
    private(set) var repairs: [String] = []
    /// Codes to write before the run at a position: closing codes first (in this order), then
    /// opening codes (in this order).
    private(set) var closingsBefore: [RunPosition: [InlineCode]] = [:]
    private(set) var openingsBefore: [RunPosition: [InlineCode]] = [:]

    /// True when there is anything to add.
    var hasInsertions: Bool { !closingsBefore.isEmpty || !openingsBefore.isEmpty }

    /// Checks `written` (the runs merge writes, per part) against `sources` (each part's source).
    init(sources: [Content], written: [[Run]]) {
        // The source's codes, in order, with the part they are in.
        var sourceCount: [Key: Int] = [:]
        var sourceCode: [Key: InlineCode] = [:]
        var sourceOrder: [(key: Key, part: Int)] = []
        for (p, content) in sources.enumerated() {
            for case .code(let c) in content.runs {
                let key = Key(kind: c.kind, id: c.id)
                sourceCount[key, default: 0] += 1
                if sourceCode[key] == nil { sourceCode[key] = c }
                sourceOrder.append((key, p))
            }
        }
        var writtenCount: [Key: Int] = [:]
        var writtenOrder: [Key] = []
        var writtenCode: [Key: InlineCode] = [:]
        var copied: [Key] = []
        for runs in written {
            for case .code(let c) in runs {
                // A copy of a source code (XLIFF 2 `copyOf`) is written as the code it copies and
                // takes no part in the counts and pairing of the source's own codes.
                if let base = c.copyOf, sourceCode[Key(kind: c.kind, id: base)] != nil {
                    copied.append(Key(kind: c.kind, id: base))
                    continue
                }
                let key = Key(kind: c.kind, id: c.id)
                if writtenCount[key] == nil { writtenOrder.append(key); writtenCode[key] = c }
                writtenCount[key, default: 0] += 1
            }
        }
        func name(_ key: Key) -> String {
            Self.describe(kind: key.kind, id: key.id, data: sourceCode[key]?.originalData ?? writtenCode[key]?.originalData)
        }

        var reportedCopies = Set<Key>()
        for base in copied where sourceCode[base]?.canCopy == false && reportedCopies.insert(base).inserted {
            problems.append("\(name(base)) may not be copied (canCopy=\"no\") but the translation copies it")
        }

        // Codes the source does not have, and codes written more often than the source has them.
        for key in writtenOrder {
            let written = writtenCount[key] ?? 0
            guard let inSource = sourceCount[key] else {
                let opening = Key(kind: .opening, id: key.id), closing = Key(kind: .closing, id: key.id)
                if key.kind == .opening, writtenCount[closing] != nil, sourceCount[closing] == nil {
                    problems.append("\(Self.describePair(id: key.id, opening: writtenCode[opening]?.originalData, closing: writtenCode[closing]?.originalData)) is not in the source")
                } else if !(key.kind == .closing && writtenCount[opening] != nil && sourceCount[opening] == nil) {
                    problems.append("\(name(key)) is not in the source")
                }
                continue
            }
            guard written > inSource else { continue }
            // Both halves of a pair repeated alike: one message for the pair.
            let closing = Key(kind: .closing, id: key.id)
            if key.kind == .opening, writtenCount[closing] == written, sourceCount[closing] == inSource {
                let pair = Self.describePair(id: key.id, opening: sourceCode[key]?.originalData, closing: sourceCode[closing]?.originalData)
                problems.append("\(pair) appears \(Self.times(written)) (the source has it \(Self.times(inSource)))")
            } else if key.kind == .closing, writtenCount[Key(kind: .opening, id: key.id)] == written, sourceCount[Key(kind: .opening, id: key.id)] == inSource {
                continue
            } else {
                problems.append("\(name(key)) appears \(Self.times(written)) (the source has it \(Self.times(inSource)))")
            }
        }

        // Pairs whose opening comes before their closing and that nest properly in the source:
        // those are the ones whose order and completeness the translation must respect.
        var pairs: [String: Bool] = [:] // id → the pair lies in one part
        var openedIn: [String: Int] = [:]
        var stack: [String] = []
        var misnested = Set<String>()
        for (key, part) in sourceOrder {
            guard key.kind != .standalone,
                  sourceCount[Key(kind: .opening, id: key.id)] == 1, sourceCount[Key(kind: .closing, id: key.id)] == 1,
                  sourceCode[Key(kind: .opening, id: key.id)]?.isolated != true, sourceCode[Key(kind: .closing, id: key.id)]?.isolated != true
            else { continue }
            if key.kind == .opening {
                openedIn[key.id] = part
                stack.append(key.id)
            } else if let start = openedIn[key.id] {
                if let index = stack.lastIndex(of: key.id) {
                    if index != stack.count - 1 { misnested.formUnion(stack[index...]) }
                    stack.removeSubrange(index...)
                }
                pairs[key.id] = start == part
            }
        }
        for id in misnested { pairs[id] = nil }

        // Codes missing from what is written.
        var deleted = Set<String>()
        for (key, _) in sourceOrder where (writtenCount[key] ?? 0) < (sourceCount[key] ?? 0) {
            let code = sourceCode[key]
            if key.kind != .standalone, pairs[key.id] != nil {
                let partner = Key(kind: key.kind == .opening ? .closing : .opening, id: key.id)
                guard (writtenCount[partner] ?? 0) == 0, !deleted.contains(key.id) else { continue } // one half: repaired below
                deleted.insert(key.id)
                let pair = Self.describePair(id: key.id, opening: sourceCode[Key(kind: .opening, id: key.id)]?.originalData, closing: sourceCode[Key(kind: .closing, id: key.id)]?.originalData)
                if code?.canDelete == false || sourceCode[partner]?.canDelete == false {
                    problems.append("\(pair) may not be deleted (canDelete=\"no\") but is missing")
                } else {
                    repairs.append("\(pair) is missing from the translation: left out")
                }
            } else if code?.canDelete == false {
                problems.append("\(name(key)) may not be deleted (canDelete=\"no\") but is missing")
            } else {
                repairs.append("\(name(key)) is missing from the translation: left out")
            }
        }
        guard problems.isEmpty else {
            repairs = []
            return
        }

        // Walk what is written, pairing codes with a stack; add the missing halves.
        let scope = written.count == 1 ? "unit" : "segment"
        var open: [OpenCode] = []
        var lowestDepthInPart = 0
        for (p, runs) in written.enumerated() {
            let depthAtPartStart = open.count
            lowestDepthInPart = open.count
            for (r, run) in runs.enumerated() {
                guard case .code(let c) = run, c.kind != .standalone, let inOnePart = pairs[c.id] else { continue }
                let here = RunPosition(part: p, run: r)
                let closingWritten = (writtenCount[Key(kind: .closing, id: c.id)] ?? 0) > 0
                let openingWritten = (writtenCount[Key(kind: .opening, id: c.id)] ?? 0) > 0
                if c.kind == .opening {
                    open.append(OpenCode(id: c.id, position: here, closingWritten: closingWritten, pairInOnePart: inOnePart))
                    continue
                }
                let closing = Key(kind: .closing, id: c.id)
                if openingWritten {
                    guard let index = open.lastIndex(where: { $0.id == c.id }) else {
                        problems.append("\(name(closing)) comes before its opening code")
                        break
                    }
                    while open.count - 1 > index {
                        let inner = open.removeLast()
                        if inner.closingWritten {
                            problems.append("\(Self.describePair(id: inner.id, opening: sourceCode[Key(kind: .opening, id: inner.id)]?.originalData, closing: sourceCode[Key(kind: .closing, id: inner.id)]?.originalData)) and \(Self.describePair(id: c.id, opening: sourceCode[Key(kind: .opening, id: c.id)]?.originalData, closing: c.originalData ?? sourceCode[closing]?.originalData)) overlap")
                            break
                        }
                        add(closingOf: inner.id, sourceCode, before: here)
                        repairs.append("\(name(Key(kind: .closing, id: inner.id))) is missing from the translation: added before \(name(closing))")
                    }
                    if !problems.isEmpty { break }
                    open.removeLast()
                    lowestDepthInPart = min(lowestDepthInPart, open.count)
                } else {
                    // The opening half is missing: it goes at the start of the span that holds
                    // this closing code (the segment, the enclosing code, or the unit).
                    let opening = Key(kind: .opening, id: c.id)
                    let at: RunPosition
                    let place: String
                    if depthAtPartStart == open.count && lowestDepthInPart >= open.count && (open.last.map { $0.position.part < p } ?? true) {
                        at = RunPosition(part: p, run: 0)
                        place = "at the start of the \(scope)"
                    } else if let enclosing = open.last {
                        at = RunPosition(part: enclosing.position.part, run: enclosing.position.run + 1)
                        place = "after \(name(Key(kind: .opening, id: enclosing.id)))"
                    } else {
                        at = RunPosition(part: 0, run: 0)
                        place = "at the start of the unit"
                    }
                    if let code = sourceCode[opening] { openingsBefore[at, default: []].insert(code, at: 0) }
                    repairs.append("\(name(opening)) is missing from the translation: added \(place)")
                }
            }
            if !problems.isEmpty { break }
            // Closing codes missing for pairs opened in this part that the source closes in it.
            while let top = open.last, !top.closingWritten, top.pairInOnePart, top.position.part == p {
                open.removeLast()
                add(closingOf: top.id, sourceCode, before: RunPosition(part: p, run: runs.count))
                repairs.append("\(name(Key(kind: .closing, id: top.id))) is missing from the translation: added at the end of the \(scope)")
            }
        }
        guard problems.isEmpty else {
            repairs = []
            closingsBefore = [:]
            openingsBefore = [:]
            return
        }
        let last = RunPosition(part: max(written.count - 1, 0), run: written.last?.count ?? 0)
        while let top = open.popLast() {
            add(closingOf: top.id, sourceCode, before: last)
            repairs.append("\(name(Key(kind: .closing, id: top.id))) is missing from the translation: added at the end of the unit")
        }
    }

    private mutating func add(closingOf id: String, _ sourceCode: [Key: InlineCode], before position: RunPosition) {
        guard let code = sourceCode[Key(kind: .closing, id: id)] else { return }
        closingsBefore[position, default: []].append(code)
    }

    /// `opening code 1 (<b>)`, `closing code 1 (</b>)`, `code 2 (<br>)`.
    static func describe(kind: InlineCode.Kind, id: String, data: String?) -> String {
        let what: String
        switch kind {
        case .opening: what = "opening code"
        case .closing: what = "closing code"
        case .standalone: what = "code"
        }
        return "\(what) \(id)" + (data.map { " (\(shortened($0)))" } ?? "")
    }

    /// `code 1 (<b>…</b>)`.
    static func describePair(id: String, opening: String?, closing: String?) -> String {
        guard let opening else { return "code \(id)" }
        return "code \(id) (\(shortened(opening))…\(closing.map(shortened) ?? ""))"
    }

    private static func shortened(_ data: String) -> String {
        let flat = String(data.map { $0 == "\n" || $0 == "\r\n" ? " " : $0 })
        return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
    }

    private static func times(_ n: Int) -> String {
        n == 1 ? "once" : n == 2 ? "twice" : "\(n) times"
    }
}
