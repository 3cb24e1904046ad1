import ArgumentParser

/// `--source`/`--target` (aliases `--from`/`--to`), shared by every command that needs languages.
struct LanguageOptions: ParsableArguments {
    @Option(name: [.customLong("source"), .customLong("from")], help: ArgumentHelp("Source language (BCP 47, e.g. fr, en-GB).", valueName: "lang"), transform: LanguageArgument.check)
    var source: String?

    @Option(name: [.customLong("target"), .customLong("to")], help: ArgumentHelp("Target language (BCP 47).", valueName: "lang"), transform: LanguageArgument.check)
    var target: String?
}

/// `--quiet`, `--strict`, `--json`: how a command reports.
struct ReportingOptions: ParsableArguments {
    @Flag(name: .long, help: "Print only errors and warnings.")
    var quiet = false

    @Flag(name: .long, help: "Treat warnings as errors (exit 1).")
    var strict = false

    @Flag(name: .long, help: "Machine-readable JSON on stdout instead of the human output.")
    var json = false
}
