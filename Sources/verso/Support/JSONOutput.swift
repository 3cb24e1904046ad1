import Diagnostics
import Foundation

/// `--json` output of every command: pretty, sorted keys, paths with their slashes unescaped.
enum JSONOutputWriter {
    /// The JSON text of `value`, ending with a line break.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// Prints `value` as JSON on stdout.
    static func print(_ value: some Encodable) throws {
        FileHandle.standardOutput.write(try encode(value))
    }
}

/// A finding in `--json` output: flat, so that scripts read `line` without a nested location.
struct FindingJSON: Encodable {
    var severity: String
    var message: String
    var code: String?
    var file: String?
    var line: Int?
    var column: Int?

    init(_ finding: Finding) {
        severity = finding.severity.rawValue
        message = finding.message
        code = finding.code
        file = finding.location?.file
        line = finding.location?.line
        column = finding.location?.column
    }
}
