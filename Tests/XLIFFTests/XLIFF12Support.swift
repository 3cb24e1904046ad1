import Foundation
import TestSupport
import TranslationModel
import XCTest
@testable import XLIFF

/// Shared helpers of the XLIFF 1.2 tests: the real-tool corpus, schema validation with xmllint,
/// translate-toolkit checks, and readable model differences.
enum XLIFF12Fixtures {
    /// The Okapi real-tool samples (XLIFF 1.0/1.1/1.2 and SDLXLIFF).
    static var corpus: [URL] {
        let folders = ["standards/conformance/okapi/xliff12", "standards/conformance/okapi/sdlxliff"]
        var out: [URL] = []
        for f in folders {
            let dir = TestPaths.sharedFile(f)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            out += names.sorted().map { dir.appendingPathComponent($0) }
        }
        return out
    }

    /// Corpus files that are not well-formed XML and must be refused.
    static let malformed: Set<String> = ["invalid_xml_entity.xlf"]

    /// A corpus file by name.
    static func file(_ name: String) -> URL {
        corpus.first { $0.lastPathComponent == name }!
    }

    /// Reads a document.
    static func read(_ url: URL, options: XLIFF12Reader.Options = .init()) throws -> (Document, [Finding]) {
        var reader = try XLIFF12Reader(path: url.path, options: options)
        let doc = try Document(reading: &reader)
        return (doc, reader.findings)
    }

    /// Reads a document from bytes.
    static func read(bytes: [UInt8], name: String = "out.xlf") throws -> (Document, [Finding]) {
        var reader = try XLIFF12Reader(bytes: bytes, displayPath: name)
        let doc = try Document(reading: &reader)
        return (doc, reader.findings)
    }

    /// Reads a document given as a string.
    static func read(string: String, name: String = "in.xlf") throws -> (Document, [Finding]) {
        try read(bytes: Array(string.utf8), name: name)
    }
}

import Diagnostics

/// Runs xmllint offline with the shared catalog.
enum XLIFF12Schema {
    enum Flavour: String {
        case strict = "xliff-core-1.2-strict.xsd"
        case transitional = "xliff-core-1.2-transitional.xsd"
    }

    static var available: Bool { VersoCommand.which("xmllint") != nil }

    /// Validates files; returns the xmllint messages of the files that fail (empty when all validate).
    static func failures(_ files: [URL], _ flavour: Flavour) throws -> [String: String] {
        guard !files.isEmpty else { return [:] }
        let standards = TestPaths.sharedFile("standards")
        let schema = standards.appendingPathComponent("schemas/xliff12/\(flavour.rawValue)")
        var failures: [String: String] = [:]
        // Batches keep the command line short.
        for start in stride(from: 0, to: files.count, by: 50) {
            let batch = Array(files[start..<min(start + 50, files.count)])
            let result = try VersoCommand.runProcess(
                VersoCommand.which("xmllint")!,
                ["--nonet", "--noout", "--schema", schema.path] + batch.map(\.path),
                environment: ["XML_CATALOG_FILES": standards.appendingPathComponent("catalog.xml").path]
            )
            for file in batch where !result.stderr.contains("\(file.path) validates") {
                let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix(file.path) && !$0.hasSuffix("validates") }
                failures[file.lastPathComponent] = lines.prefix(5).joined(separator: "\n")
            }
        }
        return failures
    }
}

/// Runs translate-toolkit's reader on files.
enum TranslateToolkit {
    static var available: Bool {
        guard let python = VersoCommand.which("python3") else { return false }
        let r = try? VersoCommand.runProcess(python, ["-c", "import translate"])
        return r?.status == 0
    }

    /// Runs tt_check.py; returns its exit status and output.
    static func check(_ files: [URL], roundtrip: Bool = false) throws -> CommandResult {
        let script = TestPaths.sharedFile("standards/tools/tt_check.py").path
        return try VersoCommand.runProcess(VersoCommand.which("python3")!, [script] + (roundtrip ? ["-r"] : []) + ["-q"] + files.map(\.path))
    }
}

/// A short description of where two documents first differ, for assertion messages.
func firstDifference(_ a: Document, _ b: Document) -> String {
    if a.info != b.info { return "document info: \(a.info) vs \(b.info)" }
    if a.files.count != b.files.count { return "file count \(a.files.count) vs \(b.files.count)" }
    for (fa, fb) in zip(a.files, b.files) {
        if fa.info != fb.info { return "file info:\n\(fa.info)\nvs\n\(fb.info)" }
        let ea = Document(info: a.info, files: [fa]).events, eb = Document(info: b.info, files: [fb]).events
        if ea.count != eb.count { return "event count \(ea.count) vs \(eb.count) in file \(fa.info.id)" }
        for (x, y) in zip(ea, eb) where x != y {
            if case .unit(let ua) = x, case .unit(let ub) = y {
                for (label, pa, pb) in [("parts", "\(ua.parts)", "\(ub.parts)"), ("notes", "\(ua.notes)", "\(ub.notes)"), ("matches", "\(ua.matches)", "\(ub.matches)"), ("metadata", "\(ua.metadata)", "\(ub.metadata)"), ("extensions", "\(ua.extensions)", "\(ub.extensions)"), ("markup", "\(ua.xliff12Markup)", "\(ub.xliff12Markup)"), ("attributes", "\(ua.xliff12Attributes)", "\(ub.xliff12Attributes)")] where pa != pb {
                    return "unit \(ua.id) \(label):\n\(pa)\nvs\n\(pb)"
                }
                return "unit \(ua.id):\n\(ua)\nvs\n\(ub)"
            }
            return "\(x)\nvs\n\(y)"
        }
    }
    return "no difference"
}
