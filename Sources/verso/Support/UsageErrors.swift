import ArgumentParser
import Foundation

/// Usage errors a subcommand finds in `run()`, once it has looked at its inputs (a plain-text
/// file needs `--source`, an HTML page without `lang` too). swift-argument-parser prints the
/// usage of the root command for errors thrown from `run()`; these get the subcommand's usage,
/// exactly as a `ValidationError` from `validate()` does, and exit status 64.
enum UsageErrors {
    /// Prints `error` with the usage of `command` (a subcommand of `root`) and exits with 64.
    static func exit(_ error: ValidationError, command: ParsableCommand.Type, root: ParsableCommand.Type) -> Never {
        let names = path(to: command, from: root) ?? [root._commandName, command._commandName]
        var text = "Error: \(error.message)\n"
        text += "Usage: " + root.usageString(for: command).replacingOccurrences(of: "\n", with: "\n       ") + "\n"
        text += "  See '\(names.joined(separator: " ")) --help' for more information.\n"
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }

    /// The command names from `root` down to `command` (`verso glossary index`).
    static func path(to command: ParsableCommand.Type, from root: ParsableCommand.Type) -> [String]? {
        if root == command { return [root._commandName] }
        for sub in root.configuration.subcommands {
            if let rest = path(to: command, from: sub) { return [root._commandName] + rest }
        }
        return nil
    }
}
