import ArgumentParser
import Terminology

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
        // Compiled termbases are kept between runs (see TermbaseCache) by the command, not the
        // library, which writes nothing into the user's home on its own.
        TermbaseCache.shared = TermbaseCache.fromEnvironment()
        let command: ParsableCommand
        do { command = try await asyncParseAsRoot() } catch { exit(withError: error) }
        do {
            // The subcommands are all synchronous; only the root (run without one: it prints
            // its help) is async. Testing for that type compares metadata pointers, where
            // casting to `AsyncParsableCommand` searched the program's protocol conformances (a
            // negative answer reads all of them: half a million instructions at every start).
            assert(command is Verso || !(command is AsyncParsableCommand), "an async subcommand needs its own branch here")
            if var root = command as? Verso {
                try root.run()
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
