import Synchronization

/// The ICU regexes of one language's compiled rules, each compiled the first time a matcher
/// needs it, then shared: every matcher works on its own clone (an ICU clone shares the
/// compiled pattern and only adds matcher state).
///
/// Why lazily: compiling every pattern up front was most of a one-file run's start-up (ICU
/// builds each `\p{…}` set anew, over all of Unicode, for every pattern that names it), yet a
/// text needs a fraction of them: the look-behind programs answer most guards, the afterbreaks
/// of many no-break rules never meet a candidate, most branches of the list rule are never
/// reached. Patterns whose validity is not known (a user's SRX file) are still compiled while
/// the rules are, to report errors there; guards and split-scanner branches, which are derived
/// from valid patterns and have a fallback, are always compiled lazily.
final class RegexTemplates: @unchecked Sendable {
    // @unchecked: `slots` is only touched under `lock`; `sources` is immutable.

    /// What to compile for one regex.
    struct Source: Sendable, Hashable {
        /// The ICU pattern.
        var pattern: String
        /// A `beforebreak` look-behind `(?<=X)`: X and the bound to give its quantifiers, to
        /// compile `(?<=X)` bounded instead when ICU refuses `pattern` as a look-behind without a
        /// bounded length. Rewritten only then: most rules whose syntax may need it never do.
        var boundedFallback: (content: String, limit: Int)? = nil

        static func == (a: Source, b: Source) -> Bool {
            a.pattern == b.pattern && a.boundedFallback?.content == b.boundedFallback?.content && a.boundedFallback?.limit == b.boundedFallback?.limit
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(pattern)
            hasher.combine(boundedFallback?.content)
            hasher.combine(boundedFallback?.limit)
        }
    }

    private enum Slot {
        case notCompiled
        case failed
        case compiled(ICURegex)
    }

    /// The patterns, by regex id.
    let sources: [Source]
    private let lock = Mutex<Void>(())
    private let slots: UnsafeMutablePointer<Slot>

    /// `precompiled[i]`, when set, is regex `i` compiled already (to validate it).
    init(sources: [Source], precompiled: [Int: ICURegex]) {
        self.sources = sources
        slots = .allocate(capacity: max(1, sources.count))
        for i in sources.indices {
            (slots + i).initialize(to: precompiled[i].map { .compiled($0) } ?? .notCompiled)
        }
    }

    deinit {
        slots.deinitialize(count: sources.count)
        slots.deallocate()
    }

    /// The number of regexes.
    var count: Int { sources.count }

    /// True when regex `id` has been compiled (by a matcher, or with the rules).
    func isCompiled(_ id: Int) -> Bool {
        lock.withLock { _ in
            if case .compiled = slots[id] { return true }
            return false
        }
    }

    /// A matcher of its own for regex `id`, compiling the shared template first if no matcher
    /// needed it before; nil when ICU refuses the pattern.
    func matcher(_ id: Int) -> ICURegex? {
        let known = lock.withLock { _ -> ICURegex?? in
            switch slots[id] {
            case .compiled(let template): return .some(template.clone())
            case .failed: return .some(nil)
            case .notCompiled: return nil
            }
        }
        if let known { return known }
        // Compiled outside the lock: ICU takes about half a millisecond per pattern (its
        // `\p{…}` sets), and holding the one lock meanwhile kept the other workers from every
        // regex they needed. Two threads may compile the same pattern; the first one stored wins.
        let fresh = Fresh(regex: Self.compile(sources[id]))
        return lock.withLock { _ -> ICURegex? in
            let compiled = fresh.regex
            switch slots[id] {
            case .compiled(let template):
                return template.clone()
            case .failed:
                return nil
            case .notCompiled:
                guard let compiled else {
                    slots[id] = .failed
                    return nil
                }
                slots[id] = .compiled(compiled)
                return compiled.clone()
            }
        }
    }

    /// A template just compiled by this thread, not yet seen by any other: it is handed to
    /// the slots under the lock and not used outside it afterwards.
    private struct Fresh: @unchecked Sendable {
        let regex: ICURegex?
    }

    private static func compile(_ source: Source) -> ICURegex? {
        do {
            return try ICURegex.compile(source.pattern)
        } catch {
            guard error.name == "U_REGEX_LOOK_BEHIND_LIMIT", let fallback = source.boundedFallback else { return nil }
            let content = RegexTranslator.bounded(TranslatedPattern(pattern: fallback.content, originalOffsets: []), limit: fallback.limit)
            return try? ICURegex.compile("(?<=\(content.pattern))")
        }
    }
}
