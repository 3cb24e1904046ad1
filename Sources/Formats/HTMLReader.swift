import Diagnostics
import TranslationModel
import XMLSupport

/// Reads HTML into units with libxml2's HTML parser, which repairs malformed markup as browsers do.
///
/// Block elements (`p`, `h1`, `li`, `td`, `div`, `title`…) delimit units; inline elements (`b`,
/// `a href`, `br`, `img`…) become inline codes whose original data is the exact tag text;
/// translatable attribute values (`alt`, `title`, `placeholder`, meta descriptions…) are units of
/// their own; `script`, `style` and content under `translate="no"` are never shown for
/// translation. Everything else is skeleton, kept byte for byte. Streams: memory is bounded by
/// the largest unit, not the document.
final class HTMLReader: SourceReader {
    private enum Mode {
        /// Translatable flow.
        case normal
        /// Not translated, written to the skeleton as is.
        case skeleton
        /// Not translated, but inside a unit: kept in the current inline code.
        case code
    }

    private struct Frame {
        var name: String
        var mode: Mode
        var translate: Bool
        var preformatted: Bool
        var kind: HTMLVocabulary.Kind
        /// Id of the opening code of an inline element, and the unit it is in.
        var codeID: String?
        var codeUnitSerial = 0
        /// True when a region of `translate="no"` markup starts at this element (an inner
        /// `translate="yes"` may re-open translation).
        var isTranslateNoRegion: Bool
    }

    // Stored properties are `@exclusivity(unchecked)`: this class is driven by one caller at a
    // time and never passes them inout across calls, and the runtime's dynamic access checks
    // on every event and character were a few percent of reading a page.
    private let input: ChunkedInput
    private let parser: HTMLStreamParser
    private let decoder: StreamingTextDecoder?
    private let skeleton: SkeletonSink
    private let description: SourceDescription
    @exclusivity(unchecked) private var stack: [Frame] = []
    @exclusivity(unchecked) private var assembler = UnitAssembler()
    @exclusivity(unchecked) private var queue: [DocumentEvent] = []
    @exclusivity(unchecked) private var queueIndex = 0
    @exclusivity(unchecked) private var unitCounter = 0
    @exclusivity(unchecked) private var inputDone = false
    @exclusivity(unchecked) private var ended = false
    @exclusivity(unchecked) private var newline: String?
    private let literalCounts = ScalarCounts()
    /// Texts without references whose characters are not counted yet. Only the characters the
    /// page also writes as references need counting, and they are known at the end: most
    /// pages write none but `&amp;` and `&lt;` (never counted), or only `&nbsp;`. Counting every
    /// accented letter as it came was a tenth of reading a French page. Bounded: past 1 MiB the
    /// texts are counted in full.
    @exclusivity(unchecked) private var uncountedTexts: [Substring] = []
    @exclusivity(unchecked) private var uncountedBytes = 0
    @exclusivity(unchecked) private var referenceCounts: [Unicode.Scalar: [String: Int]] = [:]
    @exclusivity(unchecked) private var problemsSeen = 0
    private(set) var findings: [Finding] = []
    private(set) var declaredLanguage: String?
    private(set) var declaredLanguageLocation: SourceLocation?
    private let encoding: TextEncoding
    private let hasByteOrderMark: Bool
    private var firstBytes: [UInt8]?

    /// The ASCII characters whose literal uses are counted (`ScalarCounts.addLiterals`).
    private static let countedASCII: Set<UInt32> = [0x3E, 0x22, 0x27]

    /// The skeleton header (complete at the end of the document).
    var skeletonHeader: SkeletonHeader {
        var references: [Unicode.Scalar: String] = [:]
        for (scalar, forms) in referenceCounts {
            // Literal ASCII is counted only for `>`, `"` and `'` (the others are never worth a
            // reference): one `&#97;` must not make a merge write every `a` as a reference.
            if scalar.isASCII && !Self.countedASCII.contains(scalar.value) { continue }
            let total = forms.values.reduce(0, +)
            guard total > literalCounts[scalar], let best = forms.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else { continue }
            references[scalar] = best.key
        }
        return SkeletonHeader(format: .html, encoding: encoding, hasByteOrderMark: hasByteOrderMark, newline: newline ?? "\n", preferredReferences: references)
    }

    init(input: ChunkedInput, options: SourceReaderOptions, description: SourceDescription, skeleton: SkeletonSink) throws {
        self.input = input
        self.skeleton = skeleton
        self.description = description
        var head = try input.read(atLeast: 4096)
        var encoding = TextEncoding.utf8
        var bom = false
        if let (e, length) = TextEncoding.detectByteOrderMark(head) {
            encoding = e
            bom = true
            head.removeFirst(length)
        } else if let e = options.encoding {
            encoding = e
        } else if let declared = Self.declaredCharset(head) {
            let e = TextEncoding(declared)
            // A page that declares a charset this system lacks is read as UTF-8, which it often
            // really is. So is one declaring an encoding its own ASCII markup cannot be in (UTF-7,
            // UTF-16 without BOM…): decoding it so would garble the page, and merge would write
            // the markup back encoded (`+ADw-` for `<`), as fuzzing found.
            if e.isSupported && e.isASCIICompatible {
                encoding = e
            } else if e.isSupported {
                findings.append(Finding(.warning, "the page declares charset \(declared), which a page cannot be written in; read as UTF-8", at: SourceLocation(file: input.displayPath), code: "html.charset"))
            }
        }
        self.encoding = encoding
        self.hasByteOrderMark = bom
        decoder = encoding.isUTF8 && !bom ? nil : try StreamingTextDecoder(encoding: encoding, displayPath: input.displayPath, startOffset: bom ? encoding.byteOrderMark.count : 0)
        parser = try HTMLStreamParser(displayPath: input.displayPath)
        firstBytes = head
        queue.append(.startDocument(DocumentInfo(sourceLanguage: description.sourceLanguage, targetLanguage: description.targetLanguage)))
        queue.append(.startFile(FileInfo(id: description.fileID, original: description.original, datatype: SourceFormat.html.datatype)))
    }

    /// The charset a `<meta>` or XML declaration names in the first bytes, if any: the first
    /// `charset` (`encoding` in a document that starts with an XML declaration) followed by `=`
    /// and a name. Searched in ASCII bytes folded to lower case (other bytes count as spaces).
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { declaredCharset(in: UnsafeBufferPointer(rebasing: $0.prefix(2048))) }
    }

    private static func declaredCharset(in raw: UnsafeBufferPointer<UInt8>) -> String? {
        // Each byte folded where it is looked at, not a folded copy of the whole head: the
        // search usually ends within the first hundred bytes.
        struct Folded {
            let raw: UnsafeBufferPointer<UInt8>
            subscript(_ i: Int) -> UInt8 {
                let b = raw[i]
                return b >= 0x80 ? 0x20 : (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            }
            subscript(_ r: Range<Int>) -> [UInt8] { r.map { self[$0] } }
            func starts(at i: Int, with prefix: String.UTF8View) -> Bool {
                var k = i
                for c in prefix {
                    guard k < raw.count, self[k] == c else { return false }
                    k += 1
                }
                return true
            }
        }
        let head = Folded(raw: raw)
        let n = raw.count
        func find(_ needle: StaticString, from: Int) -> Int? {
            let m = needle.utf8CodeUnitCount
            let p = needle.utf8Start
            var i = from
            while i + m <= n {
                if head[i] == p[0] {
                    var k = 1
                    while k < m && head[i + k] == p[k] { k += 1 }
                    if k == m { return i }
                }
                i += 1
            }
            return nil
        }
        func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b == 0x3A || b == 0x2E
        }
        var from = 0
        while true {
            var found = find("charset", from: from).map { $0 + 7 }
            if found == nil, head.starts(at: from, with: "<?xml".utf8) { found = find("encoding", from: from).map { $0 + 8 } }
            guard let after = found else { return nil }
            var i = after
            while i < n, head[i] == 0x20 { i += 1 }
            guard i < n, head[i] == 0x3D else { from = after; continue }
            i += 1
            while i < n, head[i] == 0x20 || head[i] == 0x22 || head[i] == 0x27 { i += 1 }
            let start = i
            while i < n, isNameByte(head[i]) { i += 1 }
            if i > start { return String(decoding: head[start..<i], as: UTF8.self) }
            from = after
        }
    }

    func next() throws -> DocumentEvent? {
        while queueIndex >= queue.count {
            queue.removeAll(keepingCapacity: true)
            queueIndex = 0
            if ended { return nil }
            try pump()
        }
        defer { queueIndex += 1 }
        return queue.takeEvent(at: queueIndex)
    }

    // MARK: - Input

    private func pump() throws {
        if !inputDone {
            var bytes: [UInt8]
            if let first = firstBytes { bytes = first; firstBytes = nil } else { bytes = try input.read() }
            if bytes.isEmpty {
                inputDone = true
                if let decoder { parser.feed(text: String(decoding: try decoder.finish(), as: UTF8.self)) }
                // UTF-8 checked here, not decoded: bytes of a character the file cuts short must
                // fail as they do through the decoder, not vanish (fuzzing found them dropped).
                if decoder == nil, !utf8Carry.isEmpty {
                    if let bad = StreamingTextDecoder.firstInvalidUTF8(utf8Carry[...]) {
                        throw utf8Error("invalid UTF-8 byte sequence", valid: utf8Carry[..<bad], offset: utf8Offset + bad)
                    }
                    throw utf8Error("the file ends inside a character", valid: [], offset: utf8Offset)
                }
                parser.finish()
            } else {
                if let decoder {
                    parser.feed(text: String(decoding: try decoder.decode(bytes), as: UTF8.self))
                } else {
                    let text = try validatedUTF8(bytes)
                    // The whole page in hand (the input says no more comes, and no character
                    // is cut short): parsed and ended in one call, which spares libxml2 its
                    // look-ahead for the end of each construct (see `HTMLStreamParser.feed`).
                    if input.isAtEnd && utf8Carry.isEmpty {
                        inputDone = true
                        parser.feed(text: text, isLast: true)
                    } else {
                        parser.feed(text: text)
                    }
                }
            }
        }
        try parser.drainEvents { try handle($0) }
        collectProblems()
        if inputDone {
            try finishUnit()
            countUncountedTexts()
            queue.append(.endFile)
            queue.append(.endDocument)
            ended = true
        }
    }

    @exclusivity(unchecked) private var utf8Carry: [UInt8] = []
    @exclusivity(unchecked) private var utf8Offset = 0
    /// Where `utf8Uncounted` starts.
    @exclusivity(unchecked) private var utf8Position = TextPosition()
    /// Checked bytes `utf8Position` has not moved past yet: a position is only needed for an
    /// error in a later chunk, so a chunk is counted when the next one comes (never, for the
    /// usual file of one chunk) rather than as it is checked.
    @exclusivity(unchecked) private var utf8Uncounted: ArraySlice<UInt8> = []

    /// Checks UTF-8 without converting (the common case) and makes it a string, which the
    /// parser cuts its events' texts from without checking again; errors name the line,
    /// column and byte offset, as the text decoder's do.
    private func validatedUTF8(_ bytes: [UInt8]) throws -> String {
        var all = bytes
        if !utf8Carry.isEmpty {
            all = utf8Carry
            all.append(contentsOf: bytes)
        }
        let complete = StreamingTextDecoder.completePrefixLength(all)
        // One check (RFC 3629), the decoder's, which also says where invalid input goes wrong;
        // the string is then made without a second one.
        if let bad = StreamingTextDecoder.firstInvalidUTF8(all[..<complete]) {
            throw utf8Error("invalid UTF-8 byte sequence", valid: all[..<bad], offset: utf8Offset + bad)
        }
        let text = ValidUTF8.string(all[..<complete])
        utf8Position.advance(over: utf8Uncounted)
        utf8Uncounted = all[..<complete]
        utf8Carry = complete == all.count ? [] : Array(all[complete...])
        utf8Offset += complete
        return text
    }

    private func utf8Error(_ what: String, valid: ArraySlice<UInt8>, offset: Int) -> FormatsError {
        var position = utf8Position
        position.advance(over: utf8Uncounted)
        position.advance(over: valid)
        return FormatsError(location: SourceLocation(file: input.displayPath, line: position.line, column: position.column),
                            message: "\(what) at byte offset \(offset); give the file's encoding with --encoding (e.g. --encoding windows-1252)")
    }

    private func collectProblems() {
        let problems = parser.problems
        while problemsSeen < problems.count {
            let p = problems[problemsSeen]
            problemsSeen += 1
            if p.code == 801 {
                // "Tag x invalid": libxml2 2.9 predates HTML5; only truly unknown tags are worth a word.
                let name = p.message.split(separator: " ").dropFirst().first.map(String.init)?.lowercased() ?? ""
                if HTMLVocabulary.html5Elements.contains(name) || name.contains("-") || name.contains(":") { continue }
            }
            // libxml2 2.9 objects to "</p>" inside a script, which HTML allows.
            if p.message.contains("embeds close tag") { continue }
            if findings.count == 50 {
                findings.append(Finding(.warning, "more HTML problems not shown", at: SourceLocation(file: input.displayPath), code: "html.problem"))
            }
            if findings.count > 50 { continue }
            findings.append(Finding(.warning, "HTML repaired: \(p.message)", at: p.location, code: "html.problem"))
        }
    }

    // MARK: - Events

    // The innermost element's fields one at a time (the document's own outside any element):
    // a copy of the whole frame, names and ids included, on every event was measurable.

    /// How the innermost element's content is read.
    private var topMode: Mode { stack.last?.mode ?? .normal }
    /// Whether the innermost element's content is translated.
    private var topTranslate: Bool { stack.last?.translate ?? true }
    /// Whether whitespace is kept as written in the innermost element.
    private var topPreformatted: Bool { stack.last?.preformatted ?? false }

    private func handle(_ event: HTMLEvent) throws {
        if newline == nil { noteNewline(event.raw) }
        switch event {
        case .startTag(let tag): try start(tag)
        case .endTag(let tag): try end(tag)
        case .text(let text): try handleText(text)
        case .comment(let raw, _), .processingInstruction(let raw, _):
            try handleOther(raw, ctype: "x-html-comment")
        case .doctype(let raw, _):
            try handleOther(raw, ctype: "x-html-doctype")
        case .skipped(let raw, _):
            switch topMode {
            case .normal:
                if assembler.isEmpty { try skeletonText(raw) } else { assembler.append(SourceAtom(scalar: nil, raw: raw)) }
            case .code: assembler.appendToLastCode(raw)
            case .skeleton: try skeletonText(raw)
            }
        }
    }

    private func start(_ tag: HTMLStartTag) throws {
        if tag.name == "html", declaredLanguage == nil {
            declaredLanguage = tag.attribute("lang") ?? tag.attribute("xml:lang")
            if declaredLanguage?.isEmpty == true { declaredLanguage = nil }
            if declaredLanguage != nil {
                declaredLanguageLocation = SourceLocation(file: input.displayPath, line: tag.line > 0 ? tag.line : nil)
            }
        }
        let parentMode = topMode
        let element = HTMLVocabulary.element(tag.name)
        var kind = element.kind
        let explicit = tag.attribute("translate").map { $0.lowercased() != "no" }
        let preformatted = topPreformatted || element.isPreformatted
        var frame = Frame(name: tag.name, mode: parentMode, translate: explicit ?? topTranslate, preformatted: preformatted, kind: kind, codeID: nil, isTranslateNoRegion: false)

        switch parentMode {
        case .code:
            assembler.appendToLastCode(tag.raw)
            stack.append(frame)
            return
        case .skeleton:
            // Only an explicit translate="yes" under translate="no" markup re-opens translation.
            guard explicit == true, stack.contains(where: \.isTranslateNoRegion), kind != .rawContent else {
                try skeletonText(tag.raw)
                stack.append(frame)
                return
            }
            // The element's content is translated; its tags stay in the skeleton like a block's.
            frame.mode = .normal
            kind = .block
            frame.kind = .block
        case .normal:
            break
        }

        if tag.isImplied {
            if kind == .block { try finishUnit() }
            stack.append(frame)
            return
        }
        switch kind {
        case .rawContent:
            if assembler.isEmpty {
                try skeletonText(tag.raw)
                frame.mode = .skeleton
            } else {
                assembler.append(makeCode(tag, kind: .standalone, protected: true))
                frame.mode = .code
            }
        case .block:
            try finishUnit()
            if frame.translate {
                let nested = try attributeUnits(of: tag)
                if nested.isEmpty {
                    // The usual block tag: its text, without building a code to say so.
                    if !tag.raw.isEmpty { try skeleton.append(.text(tag.raw)) }
                } else {
                    for entry in UnitAssembler.skeleton(of: [.code(PendingCode(code: InlineCode(kind: .standalone, id: ""), raw: tag.raw, nested: nested))]) {
                        try skeleton.append(entry)
                    }
                }
                frame.mode = .normal
            } else {
                try skeletonText(tag.raw)
                frame.mode = .skeleton
                frame.isTranslateNoRegion = true
            }
        case .inline, .void:
            if !frame.translate {
                assembler.append(makeCode(tag, kind: .standalone, protected: true))
                frame.mode = .code
            } else {
                var code = makeCode(tag, kind: kind == .void ? .standalone : .opening, protected: false)
                code.nested = try attributeUnits(of: tag)
                if !code.nested.isEmpty { code.code.subFlows = code.nested.map { $0.layout.unitID }.joined(separator: " ") }
                if kind == .inline {
                    frame.codeID = code.code.id
                    frame.codeUnitSerial = unitSerial
                }
                assembler.append(code)
                frame.mode = .normal
            }
        }
        stack.append(frame)
    }

    private func end(_ tag: HTMLEndTag) throws {
        guard let index = stack.lastIndex(where: { $0.name == tag.name }) else {
            // An end tag for nothing open: keep its text where it stands.
            try handleOther(tag.raw, ctype: "x-html-\(HTMLVocabulary.sanitized(tag.name))")
            return
        }
        let parentMode = index > 0 ? stack[index - 1].mode : Mode.normal
        // The innermost element (nearly always) is moved off the stack rather than copied out
        // of it and then removed.
        let frame: Frame
        if index == stack.count - 1 {
            frame = stack.removeLast()
        } else {
            frame = stack[index]
            stack.removeSubrange(index...)
        }
        switch frame.mode {
        case .code:
            assembler.appendToLastCode(tag.raw)
        case .skeleton:
            try skeletonText(tag.raw)
        case .normal:
            if parentMode != .normal {
                // Leaving a translate="yes" island inside translate="no" markup.
                try finishUnit()
                try skeletonText(tag.raw)
                return
            }
            switch frame.kind {
            case .block, .rawContent:
                try finishUnit()
                try skeletonText(tag.raw)
            case .inline:
                guard !tag.raw.isEmpty else { return } // closed by the parser: the opening code stays isolated
                // The opening code may be in an earlier unit (a block started inside the element).
                let sameUnit = frame.codeID != nil && frame.codeUnitSerial == unitSerial
                assembler.append(makeCode(name: tag.name, raw: tag.raw, kind: .closing, id: sameUnit ? frame.codeID! : assembler.makeCodeID(), isolated: !sameUnit))
            case .void:
                if !tag.raw.isEmpty { try handleOther(tag.raw, ctype: "x-html-\(HTMLVocabulary.sanitized(tag.name))") }
            }
        }
    }

    private func handleText(_ text: HTMLText) throws {
        switch topMode {
        case .code:
            assembler.appendToLastCode(text.raw)
        case .skeleton:
            try skeletonText(text.raw)
        case .normal:
            if text.isRawText {
                if assembler.isEmpty { try skeletonText(text.raw) } else {
                    assembler.append(PendingCode(code: InlineCode(kind: .standalone, id: assembler.makeCodeID(), originalData: text.raw, type: "other", ctype: "x-html-script", xliff12Element: .ph), raw: text.raw))
                }
                return
            }
            if topPreformatted { unitIsPreformatted = true }
            if text.raw == text.decoded {
                // No reference in the text (the common case): every character stands for
                // itself (what `RawAlignment.align` would say), counted, and added as one run.
                // Whitespace before anything else (between block tags) is only held: it has
                // nothing to count, and usually goes to the skeleton at the next tag.
                if assembler.holdLeadingBlank(text.raw) { return }
                countLater(Substring(text.raw))
                assembler.append(literal: text.raw)
            } else {
                // Stretches of characters written as themselves become runs, as text without
                // references does; only the references (and what the parser changed) are atoms.
                for piece in RawAlignment.pieces(raw: text.raw, decoded: text.decoded) {
                    switch piece {
                    case .literal(let run):
                        countLater(run)
                        assembler.append(literal: run)
                    case .atom(let atom):
                        count(atom)
                        assembler.append(atom)
                    }
                }
            }
        }
    }

    /// Comments, processing instructions, stray end tags: skeleton between units, a code inside one.
    private func handleOther(_ raw: String, ctype: String) throws {
        guard !raw.isEmpty else { return }
        switch topMode {
        case .code: assembler.appendToLastCode(raw)
        case .skeleton: try skeletonText(raw)
        case .normal:
            if assembler.isEmpty { try skeletonText(raw) } else {
                assembler.append(PendingCode(code: InlineCode(kind: .standalone, id: assembler.makeCodeID(), originalData: raw, type: "other", ctype: ctype, xliff12Element: .ph), raw: raw))
            }
        }
    }

    // MARK: - Codes and attribute units

    private func makeCode(_ tag: HTMLStartTag, kind: InlineCode.Kind, protected: Bool) -> PendingCode {
        var code = makeCode(name: tag.name, raw: tag.raw, kind: kind, id: assembler.makeCodeID())
        if protected {
            code.code.type = "other"
            code.code.subType = nil
            code.code.ctype = "x-html-\(HTMLVocabulary.sanitized(tag.name))-protected"
        }
        return code
    }

    private func makeCode(name: String, raw: String, kind: InlineCode.Kind, id: String, isolated: Bool = false) -> PendingCode {
        let types = HTMLVocabulary.codeTypes(for: name)
        let element: XLIFF12CodeElement = kind == .opening ? .bpt : kind == .closing ? .ept : .ph
        let code = InlineCode(kind: kind, id: id, isolated: isolated, originalData: raw, type: types.type, subType: types.subType, ctype: types.ctype, xliff12Element: element)
        return PendingCode(code: code, raw: raw)
    }

    /// Makes a unit of every translatable attribute value of `tag` and says where each goes in
    /// the tag's text.
    private func attributeUnits(of tag: HTMLStartTag) throws -> [(utf16Range: Range<Int>, layout: UnitLayout)] {
        guard !tag.attributes.isEmpty else { return [] }
        // The name first: most attributes (`href`, `class`) are never translated, whatever their value.
        let candidates = tag.attributes.filter { a in
            guard HTMLVocabulary.isTranslatable(attribute: a.name, of: tag.name, attributes: { tag.attribute($0) }) else { return false }
            guard let v = a.value, v.unicodeScalars.contains(where: UnitAssembler.isVisible) else { return false }
            return true
        }
        guard !candidates.isEmpty else { return [] }
        let scanned = HTMLTagScanner.attributes(in: tag.raw)
        let utf16 = Array(tag.raw.utf16)
        var out: [(Range<Int>, UnitLayout)] = []
        for attribute in candidates {
            guard let found = scanned.first(where: { $0.name == attribute.name }), let range = found.valueRange else { continue }
            let rawValue = String(decoding: utf16[range], as: UTF16.self)
            guard let atoms = RawAlignment.alignStrictly(raw: rawValue, decoded: attribute.value ?? "") else { continue }
            var mini = UnitAssembler()
            mini.append(atoms: atoms)
            let policy = SpellingPolicy(context: .htmlAttribute(quote: found.quote), newline: newline ?? "\n")
            guard case .unit(let content, var layout, _, let leading, let trailing)? = mini.finish(unitID: nextUnitID, policy: policy, collapseWhitespace: true) else { continue }
            layout.attributeQuote = found.quote
            // An attribute value has no codes: what is around its text is plain text.
            func length(_ entries: [SkeletonEntry]) -> Int { entries.reduce(0) { if case .text(let t) = $1 { return $0 + t.utf16.count } else { return $0 } } }
            let start = range.lowerBound + length(leading)
            let end = range.upperBound - length(trailing)
            var unit = Unit(id: layout.unitID, source: content)
            unit.preserveSpace = true
            unit.name = "\(tag.name)@\(attribute.name)"
            queue.append(.unit(unit))
            out.append((start..<end, layout))
        }
        return out
    }

    // MARK: - Output

    private func nextUnitID() -> String {
        unitCounter += 1
        return UnitIDs.make(unitCounter)
    }

    private func skeletonText(_ raw: String) throws {
        guard !raw.isEmpty else { return }
        try finishUnit()
        try skeleton.append(.text(raw))
    }

    @exclusivity(unchecked) private var unitIsPreformatted = false
    /// Counts finished units, so that a code id is known to belong to the current one.
    @exclusivity(unchecked) private var unitSerial = 0

    private func finishUnit() throws {
        guard !assembler.isEmpty else { return }
        let policy = SpellingPolicy(context: .htmlContent, newline: newline ?? "\n")
        let collapse = !unitIsPreformatted
        unitIsPreformatted = false
        unitSerial += 1
        if let blank = assembler.takeLoneBlank() {
            // Only whitespace (between block tags): skeleton text, as `finish` would say.
            try skeleton.append(.text(String(blank)))
            return
        }
        switch assembler.finish(unitID: nextUnitID, policy: policy, collapseWhitespace: collapse) {
        case nil:
            return
        case .skeleton(let entries):
            for e in entries { try skeleton.append(e) }
        case .unit(let content, let layout, let nested, let leading, let trailing):
            for e in leading { try skeleton.append(e) }
            for n in nested { try skeleton.append(.nestedUnit(n)) }
            try skeleton.append(.unit(layout))
            for e in trailing { try skeleton.append(e) }
            // Made in place in the event (a `Unit` is large: a copy of a local one retained
            // each of its fields).
            queue.append(.unit(Unit(id: layout.unitID, preserveSpace: true, parts: [.segment(Segment(source: content))])))
        }
    }

    // MARK: - Statistics for the skeleton header

    private func noteNewline(_ raw: String) {
        guard newline == nil else { return }
        let u = Array(raw.utf8)
        guard let i = u.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return }
        if u[i] == 0x0A { newline = "\n" } else if i + 1 < u.count && u[i + 1] == 0x0A { newline = "\r\n" } else if i + 1 < u.count { newline = "\r" }
    }

    /// Keeps text written without references to be counted at the end of the page (past 1 MiB
    /// of such text, counts it all now).
    private func countLater(_ text: Substring) {
        uncountedTexts.append(text)
        uncountedBytes += text.utf8.count
        if uncountedBytes > 1 << 20 {
            for t in uncountedTexts { literalCounts.addLiterals(in: t) }
            uncountedTexts.removeAll()
            uncountedBytes = 0
        }
    }

    /// Counts, in the texts not counted yet, the characters the page also writes as references:
    /// all that the header needs of them.
    private func countUncountedTexts() {
        defer { uncountedTexts = []; uncountedBytes = 0 }
        guard !referenceCounts.isEmpty else { return }
        literalCounts.addLiterals(of: Array(referenceCounts.keys), in: uncountedTexts)
    }

    private func count(_ atom: SourceAtom) {
        guard let s = atom.scalar, s != "&", s != "<" else { return }
        if atom.raw.utf8.first == 0x26 { // a reference
            referenceCounts[s, default: [:]][atom.raw, default: 0] += 1
        } else if s.value >= 0x80 || s == ">" || s == "\"" || s == "'" {
            literalCounts.add(s)
        }
    }
}

/// How many times each character occurs, for the characters an HTML page may write either as
/// themselves or as references. The Basic Multilingual Plane in flat tables of 256 characters,
/// a table made when a character of its block first occurs (Latin-1's from the start): text in
/// one script touches two or three of them, and a dictionary update per character (the `’` of
/// French or English typography, Cyrillic or Greek letters) was the dearest part of counting.
/// A class owning its tables, so that counting a character checks no array for uniqueness.
final class ScalarCounts {
    /// Latin-1's table, also `tables[0]`.
    private let latin1: UnsafeMutablePointer<Int>
    /// The table of each block of 256 characters of the BMP, by its upper byte; nil until a
    /// character of the block occurs. A fixed block of 256 pointers rather than an array: no
    /// bounds or uniqueness check for a character of another script (`’` is U+2019).
    private let tables: UnsafeMutablePointer<UnsafeMutablePointer<Int>?>
    /// Characters beyond the BMP (rare).
    @exclusivity(unchecked) private var others: [Unicode.Scalar: Int] = [:]

    /// Creates counts of zero.
    init() {
        latin1 = Self.makeTable()
        tables = .allocate(capacity: 256)
        tables.initialize(repeating: nil, count: 256)
        tables[0] = latin1
    }

    deinit {
        for block in 0..<256 { tables[block]?.deallocate() }
        tables.deallocate()
    }

    private static func makeTable() -> UnsafeMutablePointer<Int> {
        let table = UnsafeMutablePointer<Int>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        return table
    }

    /// Counts one occurrence of `s`.
    @inline(__always)
    func add(_ s: Unicode.Scalar) {
        add(value: s.value)
    }

    /// Counts one occurrence of the character with the (valid) scalar value `v`.
    @inline(__always)
    private func add(value v: UInt32) {
        if v < 0x100 { latin1[Int(v)] &+= 1 } else { addBeyondLatin1(v) }
    }

    private func addBeyondLatin1(_ v: UInt32) {
        guard v < 0x10000 else {
            if let s = Unicode.Scalar(v) { others[s, default: 0] += 1 }
            return
        }
        let block = Int(v >> 8)
        if let table = tables[block] {
            table[Int(v & 0xFF)] &+= 1
        } else {
            let table = Self.makeTable()
            tables[block] = table
            table[Int(v & 0xFF)] = 1
        }
    }

    /// Counts the characters of `text` written as themselves that a page may also write as
    /// references: all but ASCII, and `>`, `"`, `'`. Walks the UTF-8 bytes, decoding only the
    /// non-ASCII characters.
    func addLiterals(in text: Substring) {
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            var i = 0
            let base = UnsafeRawPointer(bytes.baseAddress)
            while i < n {
                // Eight ASCII bytes at a time past text with none of `>`, `"`, `'` (most of it):
                // a byte is one of them when XOR-ing its value in makes it zero.
                while i + 8 <= n, let base {
                    let w = UTF8Words.load(base, i)
                    if w & UTF8Words.highs != 0 || UTF8Words.has(w, 0x3E) || UTF8Words.has(w, 0x22) || UTF8Words.has(w, 0x27) { break }
                    i += 8
                }
                guard i < n else { break }
                let b = bytes[i]
                if b < 0x80 {
                    if b == 0x3E || b == 0x22 || b == 0x27 { latin1[Int(b)] &+= 1 }
                    i += 1
                    continue
                }
                // Valid UTF-8 (a String): a lead byte and its continuation bytes.
                var value: UInt32
                let length: Int
                if b < 0xE0 { value = UInt32(b & 0x1F); length = 2 } else if b < 0xF0 { value = UInt32(b & 0x0F); length = 3 } else { value = UInt32(b & 0x07); length = 4 }
                for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                i += length
                add(value: value)
            }
        }
    }

    /// Counts, in `texts`, the occurrences of the characters of `wanted` written as themselves
    /// that `addLiterals(in:)` counts (all but ASCII, and `>`, `"`, `'`). One pass over each
    /// text for all of them (a pass per character was most of the counting on pages with
    /// several references): a character is found by its UTF-8 bytes (UTF-8 never matches a
    /// character's bytes inside another's), eight bytes at a time while none of their first
    /// bytes occurs; those are few (`&nbsp;`'s U+00A0 and the other Latin-1 signs share C2).
    func addLiterals(of wanted: [Unicode.Scalar], in texts: [Substring]) {
        // Each character's UTF-8 bytes in a word, the first byte lowest, with the mask of its length.
        var scalars: [Unicode.Scalar] = []
        var encodings: [(bytes: UInt32, mask: UInt32)] = []
        var leads: [UInt8] = []
        for s in wanted where s.value >= 0x80 || s == ">" || s == "\"" || s == "'" {
            var encoded: UInt32 = 0
            var length: UInt32 = 0
            UTF8.encode(s) { encoded |= UInt32($0) << (8 * length); length += 1 }
            scalars.append(s)
            encodings.append((encoded, length == 4 ? ~0 : (1 << (8 * length)) - 1))
            let lead = UInt8(truncatingIfNeeded: encoded)
            if !leads.contains(lead) { leads.append(lead) }
        }
        guard !scalars.isEmpty else { return }
        var found = [Int](repeating: 0, count: scalars.count)
        encodings.withUnsafeBufferPointer { encodings in
            leads.withUnsafeBufferPointer { leads in
                found.withUnsafeMutableBufferPointer { found in
                    for text in texts {
                        var text = text
                        text.withUTF8 { Self.count(encodings, leads: leads, in: $0, into: found) }
                    }
                }
            }
        }
        for k in found.indices where found[k] > 0 { add(value: scalars[k].value, count: found[k]) }
    }

    /// Adds to `found[k]` the occurrences of `encodings[k]` in `bytes` (valid UTF-8).
    private static func count(_ encodings: UnsafeBufferPointer<(bytes: UInt32, mask: UInt32)>, leads: UnsafeBufferPointer<UInt8>,
                              in bytes: UnsafeBufferPointer<UInt8>, into found: UnsafeMutableBufferPointer<Int>) {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return }
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n {
                let w = UInt64(littleEndian: UTF8Words.load(base, i))
                // The high bit of each byte that is a first byte (exact up to the lowest such
                // byte: a borrow only spoils the bytes above a true match).
                var hits: UInt64 = 0
                for lead in leads {
                    let x = w ^ (UTF8Words.ones &* UInt64(lead))
                    hits |= (x &- UTF8Words.ones) & ~x
                }
                hits &= UTF8Words.highs
                if hits == 0 { i += 8; continue }
                i += hits.trailingZeroBitCount &>> 3
            } else if !leads.contains(bytes[i]) {
                i += 1
                continue
            }
            // Up to four bytes from `i` (fewer at the end: a character's bytes are all there).
            var next: UInt32 = 0
            if i + 4 <= n {
                next = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            } else {
                for k in 0..<(n - i) { next |= UInt32(bytes[i + k]) << (8 * k) }
            }
            i += 1
            for k in encodings.indices where next & encodings[k].mask == encodings[k].bytes {
                found[k] += 1
                // Past the rest of its bytes (the lead byte is passed already).
                i += (encodings[k].mask.nonzeroBitCount &>> 3) - 1
                break
            }
        }
    }

    /// Counts `count` more occurrences of the character with the (valid) scalar value `v`.
    private func add(value v: UInt32, count: Int) {
        if v < 0x100 { latin1[Int(v)] &+= count } else { for _ in 0..<count { addBeyondLatin1(v) } }
    }

    /// The number of occurrences of `s`.
    subscript(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        guard v < 0x10000 else { return others[s] ?? 0 }
        return tables[Int(v >> 8)]?[Int(v & 0xFF)] ?? 0
    }
}
