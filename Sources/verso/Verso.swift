import ArgumentParser

/// The `verso` command: prepares documents for translation.
@main
struct Verso: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verso",
        abstract: "Prepare documents for translation: XLIFF, segmentation, terminology, alignment.",
        version: VersoVersion.current,
        subcommands: [
            PrepareCommand.self,
            MergeCommand.self,
            ConvertCommand.self,
            ValidateCommand.self,
            LookupCommand.self,
            TermsCommand.self,
            GlossaryCommand.self,
            SegmentCommand.self,
            AlignCommand.self,
        ]
    )
}

/// The version printed by `verso --version`.
enum VersoVersion {
    static let current = "0.1.0"
}
