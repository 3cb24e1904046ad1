import Foundation
import Diagnostics
import FileAccess
import Formats
import TranslationModel
import XLIFF

/// The kinds of input `verso prepare` takes.
public enum InputFormat: String, Sendable, Hashable, CaseIterable {
    /// Plain text.
    case plainText = "text"
    /// HTML.
    case html
    /// XLIFF 1.2 or 2.x: untranslated units are prepared again.
    case xliff

    /// The format of a file: by its name, else by its first bytes.
    public static func detect(path: String) throws -> InputFormat {
        if XLIFFDocuments.hasXLIFFName(path) { return .xliff }
        switch try SourceDocuments.format(path: path) {
        case .plainText:
            // An XML file that is XLIFF whatever its name.
            if SourceFormat.guess(fileName: path) == nil, (try? XLIFFDocuments.version(ofFile: path)) ?? nil != nil { return .xliff }
            return .plainText
        case .html: return .html
        }
    }

    var sourceFormat: SourceFormat? {
        switch self {
        case .plainText: return .plainText
        case .html: return .html
        case .xliff: return nil
        }
    }
}

/// How `verso prepare` prepares each input.
public struct PrepareOptions: Sendable {
    /// `--source`; nil takes the language the document declares (HTML `lang`, XLIFF `srcLang`).
    public var sourceLanguage: String?
    /// `--target`; nil keeps an XLIFF input's target language (required for other inputs).
    public var targetLanguage: String?
    /// `--xliff`; nil writes 1.2 for documents and keeps an XLIFF input's version.
    public var xliffVersion: XLIFFVersion?
    /// How source documents are decoded and cut into units.
    public var readerOptions: SourceReaderOptions
    /// `--format`; nil detects it from the file.
    public var format: InputFormat?
    /// Count repeated segments (keeps a hash per distinct segment in memory).
    public var countRepetitions: Bool
    /// Count words and characters (`verso convert` does not report them).
    public var countWords: Bool = true
    /// `--keep-extensions`: XLIFF 1.2 output keeps other tools' markup (`sdl:`, `mq:`…) of an
    /// XLIFF input, valid against the transitional schema instead of the strict one.
    public var keepExtensions: Bool = false
    /// Set by a caller that has already made sure no output is one of the inputs (a batch's
    /// plan does): outputs are then opened without the `stat` that checks it again.
    public var outputsCheckedAgainstInputs = false

    /// Creates options.
    public init(sourceLanguage: String? = nil, targetLanguage: String? = nil, xliffVersion: XLIFFVersion? = nil, readerOptions: SourceReaderOptions = SourceReaderOptions(), format: InputFormat? = nil, countRepetitions: Bool = true) {
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.xliffVersion = xliffVersion
        self.readerOptions = readerOptions
        self.format = format
        self.countRepetitions = countRepetitions
    }
}

/// One input prepared.
public struct PreparedFile: Sendable {
    /// The input as the user named it.
    public var input: String
    /// The XLIFF written.
    public var output: String
    /// The input's format.
    public var format: InputFormat
    /// The XLIFF version written.
    public var xliffVersion: XLIFFVersion
    /// The source language used.
    public var sourceLanguage: String
    /// The target language written.
    public var targetLanguage: String?
    /// Units, segments, words…
    public var statistics: PrepareStatistics
    /// Problems that did not stop the file.
    public var findings: [Finding]
}

/// A problem that stops preparing one input (other than reading or writing errors).
public struct PrepareError: LocatedError {
    /// The input concerned.
    public var location: SourceLocation
    /// What went wrong.
    public var message: String

    /// Creates an error about a file.
    public init(file: String, _ message: String) {
        location = SourceLocation(file: file)
        self.message = message
    }

    /// Creates an error at a place in a file.
    public init(location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }
}

/// Prepares documents for translation: reads an input a unit at a time, runs the pipeline's
/// stages on each unit and writes XLIFF, with the skeleton merge needs inside it.
///
/// A source document is read twice: the first pass sends its skeleton to a temporary file beside
/// the output, the second streams the units through the pipeline into the XLIFF writer, and the
/// skeleton is copied into the XLIFF header as it is written. Memory therefore does not grow with
/// the document. The output is written under a temporary name and renamed when complete; inputs
/// are never overwritten.
public final class DocumentPreparer: Sendable {
    /// The options.
    public let options: PrepareOptions
    /// The stages every unit goes through.
    public let pipeline: Pipeline
    /// Called with each unit after the pipeline, before it is written.
    public let unitObserver: (@Sendable (TranslationModel.Unit, StageContext) -> Void)?

    /// Creates a preparer. It holds no state between inputs: several threads may share it.
    public init(options: PrepareOptions, pipeline: Pipeline, unitObserver: (@Sendable (TranslationModel.Unit, StageContext) -> Void)? = nil) {
        self.options = options
        self.pipeline = pipeline
        self.unitObserver = unitObserver
    }

    /// The name of the XLIFF written for an input (`article.txt` → `article.txt.xlf`; an XLIFF
    /// input keeps its name).
    public static func outputName(for input: String, format: InputFormat) -> String {
        let name = PathNames.lastComponent(input)
        return format == .xliff ? name : name + ".xlf"
    }

    /// Prepares one input into `folder`, as `<input file name>.xlf`. `protectedInputs` are never
    /// written over.
    public func prepare(input: String, into folder: String, protectedInputs: [String] = []) throws -> PreparedFile {
        try InputFile.checkReadable(input)
        let format = try options.format ?? InputFormat.detect(path: input)
        let output = Self.join(folder, Self.outputName(for: input, format: format))
        return try prepare(input: input, format: format, output: output, folder: folder, protectedInputs: protectedInputs)
    }

    /// The XLIFF `prepare(input:into:)` writes for `input`, named as the folder was given
    /// (`out/` + `article.txt.xlf`); nil when the input cannot be read or its format told
    /// (preparing it then fails with the reason).
    public func outputPath(for input: String, in folder: String) -> String? {
        guard (try? InputFile.checkReadable(input)) != nil,
              let format = try? options.format ?? InputFormat.detect(path: input) else { return nil }
        return Self.join(folder, Self.outputName(for: input, format: format))
    }

    /// `folder/name`, the folder as the user wrote it (paths in messages and reports stay
    /// relative when the user's were).
    static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Prepares one input into the file `output`, whatever its name (`verso convert FILE -o OUT`,
    /// and each file of a folder conversion). `protectedInputs` are never written over.
    /// `inputBytes`, the input's size when the caller knows it, spares a `stat`.
    public func prepare(input: String, output: String, protectedInputs: [String] = [], inputBytes: Int64? = nil) throws -> PreparedFile {
        let format: InputFormat
        if let given = options.format {
            // The reader opening the input says why it cannot be read, if it cannot.
            format = given
        } else {
            try InputFile.checkReadable(input)
            format = try InputFormat.detect(path: input)
        }
        let folder = PathNames.folder(of: output)
        return try prepare(input: input, format: format, output: output, folder: folder, protectedInputs: protectedInputs, inputBytes: inputBytes)
    }

    private func prepare(input: String, format: InputFormat, output: String, folder: String, protectedInputs: [String], inputBytes: Int64? = nil) throws -> PreparedFile {
        let protected = options.outputsCheckedAgainstInputs ? [] : protectedInputs + [input]
        if let sourceFormat = format.sourceFormat {
            return try prepareDocument(input: input, format: sourceFormat, output: output, folder: folder, protected: protected, inputBytes: inputBytes)
        }
        return try prepareXLIFF(input: input, output: output, protected: protected)
    }

    // MARK: - Plain text and HTML

    private func prepareDocument(input: String, format: SourceFormat, output: String, folder: String, protected: [String], inputBytes: Int64?) throws -> PreparedFile {
        let original = PathNames.lastComponent(input)

        // Pass 1: the skeleton, into a temporary file; problems in the input show up here,
        // before any output exists.
        let spool = try SkeletonSpool(folder: folder, name: original)
        var description = SourceDescription(sourceLanguage: options.sourceLanguage ?? "und", targetLanguage: options.targetLanguage, original: original)
        let compactor = SkeletonCompactor(spool)
        let first = try SourceDocuments.reader(path: input, format: format, options: options.readerOptions, description: description, skeleton: compactor)
        var firstReader = first
        // A small document keeps its events from this pass, so it is read (and parsed) once: in
        // a folder of thousands of small files, the second read was a third of the time.
        let buffered: EventBuffer? = (inputBytes.map { $0 <= Self.singlePassLimit } ?? Self.isSmall(input)) ? EventBuffer() : nil
        while let event = try firstReader.next() { buffered?.append(event) }
        try compactor.finish()
        try spool.flush()
        let header = first.skeletonHeader
        var findings = first.findings

        guard let sourceLanguage = options.sourceLanguage ?? first.declaredLanguage else {
            throw PrepareError(file: input, "no source language: the document declares none (HTML lang); give it with --source")
        }
        // The document's own lang goes into the XLIFF's source-language: a malformed one would
        // make the output invalid (--source, when given, is used instead and already checked).
        if options.sourceLanguage == nil, let problem = DeclaredLanguage.problem(sourceLanguage, declaration: "HTML lang") {
            throw PrepareError(location: first.declaredLanguageLocation ?? SourceLocation(file: input), problem)
        }
        guard let targetLanguage = options.targetLanguage else {
            throw PrepareError(file: input, "no target language: give it with --target")
        }
        description.sourceLanguage = sourceLanguage

        // Pass 2: units through the pipeline into the XLIFF, the skeleton spliced into its header.
        let version = options.xliffVersion ?? .v1_2
        let out = try AtomicFile(destination: output, protectedInputs: protected)
        do {
            let token = SkeletonSplicer.makeToken()
            let splicer = SkeletonSplicer(token: token, header: SkeletonFormat.line(for: header), spool: spool) { try out.write($0) }
            let writer = try XLIFFOutput(version: version, displayPath: output) { try splicer.write($0) }
            var reader: (any SourceReader)?
            if buffered == nil {
                reader = try SourceDocuments.reader(path: input, format: format, options: options.readerOptions, description: description, skeleton: DiscardingSkeletonSink())
            }
            func next() throws -> DocumentEvent? {
                guard let buffered else { return try reader?.next() }
                return buffered.next()
            }
            var context = StageContext(file: input, sourceLanguage: sourceLanguage, targetLanguage: targetLanguage, xliffVersion: version)
            context.pendingPositions = PendingPositions()
            var counter = StatisticsCounter(countRepetitions: options.countRepetitions, countWords: options.countWords)
            while let event = try next() {
                guard case .unit = event else {
                    switch consume event {
                    case .startDocument(var info) where buffered != nil:
                        // Pass 1 ran before the source language was known (HTML lang).
                        info.sourceLanguage = sourceLanguage
                        try writer.write(.startDocument(info))
                    case .startFile(var info):
                        info.skeleton = Skeleton(content: token, form: SkeletonFormat.form)
                        try writer.write(.startFile(info))
                    case let other:
                        try writer.write(other)
                    }
                    continue
                }
                let prepared = try pipeline.process(Self.unit(of: consume event), in: context)
                counter.count(prepared)
                unitObserver?(prepared, context)
                // Moved into the event: a copy would retain every string and array once more
                // and release them twice.
                try writer.write(.unit(consume prepared))
            }
            try writer.finish()
            try splicer.finish()
            try out.commit()
            let placed = FindingPositions.locateInDocument(context.pendingPositions?.requests ?? [], path: input, encoding: header.encoding)
            findings += context.findings.findings + placed + writer.findings
            return PreparedFile(input: input, output: output, format: format == .html ? .html : .plainText, xliffVersion: version, sourceLanguage: sourceLanguage, targetLanguage: targetLanguage, statistics: counter.statistics, findings: findings)
        } catch {
            out.discard()
            throw error
        }
    }

    /// The unit of a `.unit` event, moved out of it. Bound by a `case .unit(let unit)` in the
    /// loop, even of a consumed event, the unit was copied and the event kept until the unit
    /// had gone through the stages: every string and array of the unit retained once more, and
    /// the parts the stages replaced still held by the event.
    private static func unit(of event: consuming DocumentEvent) -> TranslationModel.Unit {
        guard case .unit(let unit) = consume event else { preconditionFailure("not a unit event") }
        return unit
    }

    /// The events of a small document, kept between the two passes and handed out by moving
    /// them: an array's iterator would copy each unit (retaining every string and array in it)
    /// and release the originals when the array goes.
    private final class EventBuffer {
        private var storage: UnsafeMutablePointer<DocumentEvent>
        private var capacity = 64
        private var count = 0
        private var taken = 0

        init() {
            storage = .allocate(capacity: capacity)
        }

        deinit {
            (storage + taken).deinitialize(count: count - taken)
            storage.deallocate()
        }

        func append(_ event: consuming DocumentEvent) {
            if count == capacity {
                let larger = UnsafeMutablePointer<DocumentEvent>.allocate(capacity: capacity * 2)
                larger.moveInitialize(from: storage, count: count)
                storage.deallocate()
                storage = larger
                capacity *= 2
            }
            (storage + count).initialize(to: event)
            count += 1
        }

        /// The next event, moved out; nil after the last.
        func next() -> DocumentEvent? {
            guard taken < count else { return nil }
            taken += 1
            return (storage + taken - 1).move()
        }
    }

    /// Documents up to this size are parsed once, their events kept in memory between the passes.
    static let singlePassLimit: Int64 = 512 << 10

    private static func isSmall(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        return Int64(st.st_size) <= singlePassLimit
    }

    // MARK: - XLIFF

    private func prepareXLIFF(input: String, output: String, protected: [String]) throws -> PreparedFile {
        var (reader, inputVersion) = try XLIFFDocuments.reader(path: input)
        let version = options.xliffVersion ?? inputVersion
        var adapter = version == inputVersion ? nil : XLIFFVersionAdapter(target: version)
        let out = try AtomicFile(destination: output, protectedInputs: protected)
        do {
            let writer = try XLIFFOutput(version: version, displayPath: output, keepExtensions: options.keepExtensions) { try out.write($0) }
            var counter = StatisticsCounter(countRepetitions: options.countRepetitions, countWords: options.countWords)
            var context: StageContext?
            var fileTarget: String?
            while let event = try reader.next() {
                var event = event
                // A malformed source language the XLIFF declares would be written back into an
                // invalid output: --source replaces it, else the input is refused.
                try DeclaredLanguage.resolve(&event, replacement: options.sourceLanguage,
                                             at: XLIFFDocuments.eventLocation(of: reader) ?? SourceLocation(file: input))
                switch event {
                case .startDocument(var info):
                    if let s = options.sourceLanguage, s.lowercased() != info.sourceLanguage.lowercased() {
                        throw PrepareError(file: input, "the XLIFF's source language is \(info.sourceLanguage), not \(s)")
                    }
                    if info.targetLanguage == nil { info.targetLanguage = options.targetLanguage }
                    fileTarget = info.targetLanguage
                    context = StageContext(file: input, sourceLanguage: info.sourceLanguage, targetLanguage: info.targetLanguage, xliffVersion: version)
                    context?.pendingPositions = PendingPositions()
                    event = .startDocument(info)
                case .unit(let unit):
                    // Only units nobody has translated yet are prepared again.
                    let untranslated = unit.segments.allSatisfy { $0.target?.isEmpty ?? true }
                    let prepared = untranslated && context != nil ? try pipeline.process(unit, in: context!) : unit
                    counter.count(prepared)
                    if let context { unitObserver?(prepared, context) }
                    event = .unit(prepared)
                default:
                    break
                }
                if adapter != nil { event = adapter!.adapt(event) }
                try writer.write(event)
            }
            try writer.finish()
            try out.commit()
            let placed = FindingPositions.locateInXLIFF(context?.pendingPositions?.requests ?? [], path: input)
            let findings = XLIFFDocuments.findings(of: reader) + (context?.findings.findings ?? []) + placed + (adapter?.findings ?? []) + writer.findings
            return PreparedFile(input: input, output: output, format: .xliff, xliffVersion: version, sourceLanguage: context?.sourceLanguage ?? "", targetLanguage: fileTarget, statistics: counter.statistics, findings: findings)
        } catch {
            out.discard()
            throw error
        }
    }
}
