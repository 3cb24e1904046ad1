import Foundation
import XCTest
import TestSupport
import TranslationModel
import Diagnostics
@testable import Formats

/// Reads, fills targets, merges: the helpers the round-trip tests share.
enum RoundTrip {
    /// Reads `bytes` as `format` into a document with its skeleton.
    static func read(_ bytes: [UInt8], format: SourceFormat, options: SourceReaderOptions = SourceReaderOptions(), name: String = "doc") throws -> Document {
        try SourceDocuments.read(bytes: bytes, displayPath: name, format: format, options: options, description: SourceDescription(sourceLanguage: "fr", targetLanguage: "en", original: name)).0
    }

    /// Every segment's target set by `translate` (the identity by default).
    static func translated(_ document: Document, _ translate: (Content) -> Content? = { $0 }) -> Document {
        var d = document
        for f in d.files.indices {
            d.files[f].items = d.files[f].items.map { item in
                guard case .unit(var u) = item else { return item }
                u.parts = u.parts.map { part in
                    guard case .segment(var s) = part else { return part }
                    s.target = translate(s.source)
                    return .segment(s)
                }
                return .unit(u)
            }
        }
        return d
    }

    /// Merges a document (its first file) back into bytes.
    static func merge(_ document: Document) throws -> (bytes: [UInt8], findings: [Finding]) {
        let info = document.files[0].info
        let location = SourceLocation(file: "doc.xlf")
        guard let skeleton = try DocumentMerger.skeleton(of: info, location: location) else {
            throw FormatsError(file: "doc.xlf", "no skeleton")
        }
        let merger = try DocumentMerger(skeleton: skeleton, location: location, outputPath: "out")
        var units = document.allUnits.makeIterator()
        var out: [UInt8] = []
        try merger.merge(nextUnit: { units.next() }, write: { out.append(contentsOf: $0) })
        return (out, merger.findings)
    }

    /// prepare → copy source to target → merge.
    static func identity(_ bytes: [UInt8], format: SourceFormat, options: SourceReaderOptions = SourceReaderOptions()) throws -> [UInt8] {
        try merge(translated(read(bytes, format: format, options: options))).bytes
    }

    /// Asserts the round trip gives back `bytes` exactly, showing where it does not.
    static func assertIdentity(_ bytes: [UInt8], format: SourceFormat, options: SourceReaderOptions = SourceReaderOptions(), _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
        do {
            let back = try identity(bytes, format: format, options: options)
            if back != bytes {
                let i = (0..<min(back.count, bytes.count)).first { back[$0] != bytes[$0] } ?? min(back.count, bytes.count)
                let context = { (b: [UInt8]) in String(decoding: b[max(0, i - 30)..<min(b.count, i + 30)], as: UTF8.self).debugDescription }
                XCTFail("\(label): round trip differs at byte \(i) (\(back.count) vs \(bytes.count) bytes): got \(context(back)), expected \(context(bytes))", file: file, line: line)
            }
        } catch {
            XCTFail("\(label): \(error)", file: file, line: line)
        }
    }
}
