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

    /// Parses and runs the subcommand; a usage error it throws from `run()` is printed with the
    /// subcommand's own usage (UsageErrors), not `verso <subcommand>`.
    static func main() async {
        AllocatorTuning.apply()
        let command: ParsableCommand
        do { command = try await asyncParseAsRoot() } catch { exit(withError: error) }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error as ValidationError {
            UsageErrors.exit(error, command: type(of: command), root: Verso.self)
        } catch {
            exit(withError: error)
        }
    }
}

/// The version printed by `verso --version`.
enum VersoVersion {
    static let current = "0.1.0"
}
