import Diagnostics
import TranslationModel

/// What a stage may know about the document it is working on, and where it reports problems
/// that let the run go on.
public struct StageContext: Sendable {
    /// The input being processed, as the user named it (findings point here).
    public var file: String
    /// Source language of the document (BCP 47).
    public var sourceLanguage: String
    /// Target language, when known.
    public var targetLanguage: String?
    /// The XLIFF version being written (stages shape what they add to what it can hold).
    public var xliffVersion: XLIFFVersion
    /// Receives findings (a deprecated term, a unit too long to segment…).
    public var findings: FindingCollector
    /// Receives findings about a place inside a unit, to be given their line and column in the
    /// input after the run; nil: such findings go to `findings`, naming their unit.
    public var pendingPositions: PendingPositions?

    /// Creates a context.
    public init(file: String, sourceLanguage: String, targetLanguage: String?, xliffVersion: XLIFFVersion = .v1_2, findings: FindingCollector = FindingCollector()) {
        self.file = file
        self.sourceLanguage = sourceLanguage
        self.targetLanguage = targetLanguage
        self.xliffVersion = xliffVersion
        self.findings = findings
    }
}

/// A step of the prepare pipeline: takes one unit and returns it transformed (segmented, terms
/// marked, targets filled…). A stage is a value with one job and no state shared between units,
/// so the pipeline can stream a document of any size a unit at a time.
public protocol Stage: Sendable {
    /// A short name for reports and `--help` ("segment", "terms").
    var name: String { get }
    /// Transforms one unit. The unit is handed over (`consuming`): a stage that changes it in
    /// place copies none of its strings and arrays (a stage may still take it borrowed).
    func process(_ unit: consuming Unit, in context: StageContext) throws -> Unit
}

/// The stages a command assembled from its flags, applied in order to every unit.
public struct Pipeline: Sendable {
    /// The stages, in order.
    public var stages: [any Stage]

    /// Creates a pipeline.
    public init(_ stages: [any Stage] = []) {
        self.stages = stages
    }

    /// The names of the stages, in order.
    public var stageNames: [String] { stages.map(\.name) }

    /// Runs every stage on `unit`. Units marked `translate="no"` pass through untouched.
    public func process(_ unit: consuming Unit, in context: StageContext) throws -> Unit {
        // `consume`: each stage gets the only reference, so it can change strings in place.
        var u = consume unit
        guard u.translate else { return u }
        // By index: `for stage in stages` copied each stage's existential box per unit.
        for i in stages.indices { u = try stages[i].process(consume u, in: context) }
        return u
    }
}

/// Pre-fills every segment's target with its source, as OmegaT needs (it reads only units that
/// have a `<target>`): state `initial`, XLIFF 1.2 `needs-translation`.
public struct CopySourceStage: Stage {
    /// "copy-source".
    public var name: String { "copy-source" }

    /// Creates the stage.
    public init() {}

    /// Copies each segment's source (without markers) into a missing or empty target.
    public func process(_ unit: consuming Unit, in context: StageContext) throws -> Unit {
        var u = unit
        u.parts = u.parts.map { part in
            guard case .segment(var s) = part, s.target == nil || s.target!.isEmpty else { return part }
            // Term and other annotation markers stay on the source: in the target they would be
            // extra tags for the translator.
            var target = Content(s.source.runs.filter { if case .marker = $0 { return false } else { return true } })
            target = target.normalized
            s.target = target
            s.state = .initial
            s.xliff12State = "needs-translation"
            return .segment(s)
        }
        return u
    }
}
