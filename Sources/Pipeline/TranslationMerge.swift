import Foundation
import Diagnostics
import FileAccess
import Formats
import TranslationModel

/// The documents written back from one translated XLIFF.
public struct MergedFile: Sendable {
    /// The XLIFF as the user named it.
    public var xliff: String
    /// The documents written, one per XLIFF `<file>`.
    public var outputs: [String]
    /// Units, segments and words merged, per XLIFF (for the summary).
    public var units: Int
    /// Problems that did not stop the merge (missing translations…).
    public var findings: [Finding]
}

/// Writes translated XLIFF back into the original documents (`verso merge`), streaming: the
/// skeleton travels in the XLIFF header, and units are taken as the skeleton calls for them.
public enum TranslationMerge {
    /// Merges every `<file>` of `xliff` into `folder`, each under the name in its `original`.
    ///
    /// `claimedOutputs` holds the outputs already written in this run: writing one twice is an
    /// error (two XLIFF files for the same document). `protectedInputs` are never written over.
    ///
    /// `singleOutput` names the document to write instead (`verso convert FILE --merge -o OUT`);
    /// the XLIFF must then hold one `<file>`.
    ///
    /// A unit whose inline codes do not match the source's is an error finding; the document is
    /// then written (with that unit in the source language) only when `writeDocumentsWithUnitErrors`
    /// is true (`verso merge`). A batch (`verso convert`) leaves such a document unwritten, so that
    /// a later run does not take it for up to date.
    public static func merge(xliff: String, into folder: String, protectedInputs: [String] = [], claimedOutputs: inout Set<String>, singleOutput: String? = nil, writeDocumentsWithUnitErrors: Bool = false) throws -> MergedFile {
        var (reader, _) = try XLIFFDocuments.reader(path: xliff)
        var outputs: [String] = []
        var findings: [Finding] = []
        var unitCount = 0
        var fileCount = 0
        let location = SourceLocation(file: xliff)
        var pending: AtomicFile?
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        while let event = try reader.next() {
            guard case .startFile(let info) = event else { continue }
            fileCount += 1
            guard let skeleton = try DocumentMerger.skeleton(of: info, location: location) else {
                throw FormatsError(location: location, message: "<file> '\(info.original ?? info.id)' has no Verso skeleton: only XLIFF written by verso prepare can be merged")
            }
            let name = safeName(info.original, fallback: URL(fileURLWithPath: xliff).deletingPathExtension().lastPathComponent)
            if singleOutput != nil && fileCount > 1 {
                throw FormatsError(location: location, message: "the XLIFF holds several <file>s (one document each): give -o a folder")
            }
            let output = singleOutput ?? URL(fileURLWithPath: folder).appendingPathComponent(name).path
            let key = URL(fileURLWithPath: output).standardizedFileURL.path
            guard claimedOutputs.insert(key).inserted else {
                throw FormatsError(location: location, message: "'\(name)' is written by another XLIFF of this run already; merge them into different folders")
            }
            let out = try AtomicFile(destination: output, protectedInputs: protectedInputs + [xliff])
            do {
                let merger = try DocumentMerger(skeleton: skeleton, location: location, outputPath: output)
                var fileEnded = false
                try merger.merge(nextLocatedUnit: {
                    guard !fileEnded else { return nil }
                    while let e = try reader.next() {
                        switch e {
                        case .unit(let u):
                            unitCount += 1
                            return (u, XLIFFDocuments.eventLocation(of: reader))
                        case .endFile:
                            fileEnded = true
                            return nil
                        default:
                            continue
                        }
                    }
                    fileEnded = true
                    return nil
                }, write: { try out.write($0) })
                // Skip to the end of this <file> if the skeleton did not need every unit.
                while !fileEnded, let e = try reader.next() { if case .endFile = e { fileEnded = true } }
                findings += merger.findings
                if !writeDocumentsWithUnitErrors && merger.findings.contains(where: { $0.severity == .error }) {
                    out.discard()
                    continue
                }
                // One named output is committed once the XLIFF is known to hold no other <file>.
                if singleOutput != nil { pending = out } else { try out.commit() }
                outputs.append(output)
            } catch {
                out.discard()
                throw error
            }
        }
        if fileCount == 0 { throw FormatsError(location: location, message: "the XLIFF has no <file>") }
        try pending?.commit()
        // A plain <target> on a segmented XLIFF 1.2 unit is not attached to its first segment by
        // merge, as the reader warns, but translates the whole unit (DocumentMerger).
        findings = XLIFFDocuments.findings(of: reader).filter { $0.code != "xliff12.unsegmented-target" } + findings
        return MergedFile(xliff: xliff, outputs: outputs, units: unitCount, findings: findings)
    }

    /// The name `merge` gives the document of the XLIFF's first `<file>` (only the start of the
    /// XLIFF is read), so that a batch can plan its outputs before merging.
    public static func outputName(forXLIFF xliff: String) throws -> String {
        var (reader, _) = try XLIFFDocuments.reader(path: xliff)
        let fallback = URL(fileURLWithPath: xliff).deletingPathExtension().lastPathComponent
        while let event = try reader.next() {
            if case .startFile(let info) = event { return safeName(info.original, fallback: fallback) }
        }
        return fallback
    }

    /// The file name to write: the last component of `original` (never a path that leaves the
    /// output folder), or `fallback`.
    static func safeName(_ original: String?, fallback: String) -> String {
        guard let original else { return fallback }
        let last = original.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        if last.isEmpty || last == "." || last == ".." { return fallback }
        return last
    }
}
