import ArgumentParser
import Diagnostics
import Terminology

/// `--glossary FILE` (repeatable): TBX, CSV/TSV or a `.sqlite` index; the built-in glossaries
/// when none is given.
struct GlossaryOptions: ParsableArguments {
    @Option(name: .customLong("glossary"), help: ArgumentHelp("Termbase to use: TBX, CSV/TSV or a .sqlite index (repeatable). Default: the built-in glossaries.", valueName: "file"))
    var glossaries: [String] = []

    /// Opens the glossaries named on the command line, or the built-in ones. Reading warnings
    /// go to `printer`; a file that cannot be read is thrown. `builtInScope`: the languages the
    /// command reads of the built-in glossaries (files named on the command line are read whole,
    /// so that every warning about them is shown).
    func open(printer: DiagnosticsPrinter, builtInScope: LanguageScope = .all) throws -> Glossary {
        if glossaries.isEmpty {
            let g = try BuiltInGlossaries.glossary(scope: builtInScope)
            if g.stores.isEmpty {
                printer.emit(Finding(.warning, "no built-in glossary found (searched: \(BuiltInGlossaries.searchPath.map(\.path).joined(separator: ", "))); set VERSO_GLOSSARIES or pass --glossary", code: "terms.no-glossary"))
            }
            return g
        }
        let (g, findings) = try Glossary.open(paths: glossaries)
        for f in findings { printer.emit(f) }
        return g
    }
}
