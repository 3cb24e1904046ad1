import XCTest
import TranslationModel
import Diagnostics
@testable import Formats

/// The skeleton's JSON Lines: what each entry's line says, and that it parses back.
final class SkeletonFormatTests: XCTestCase {
    /// The rule written out one character at a time: JSON's escapes for `"`, `\`, line feed,
    /// carriage return and tab, `\u` with four lower-case hex digits for the other C0 controls,
    /// DEL, U+FEFF, U+FFFE, U+FFFF, U+2028 and U+2029; every other character as itself.
    private func expectedQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x7F || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF || v == 0x2028 || v == 0x2029 {
                    let hex = String(v, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    func testQuoteEscapesExactlyTheCharactersJSONAndXMLNeedEscaped() {
        // Neighbours of every escaped character (same lead bytes, adjacent values) must stay as
        // they are: U+FEFE, U+FFFD, U+2027, U+202A, U+FF00; and four-byte characters.
        let samples = [
            "", "plain ASCII text", "quote \" and backslash \\ and slash /",
            "line\nfeed\r\ncr\ttab\u{0B}vt\u{0C}ff\u{0}nul\u{1F}us\u{7F}del",
            "\u{FEFF}start", "middle\u{FEFF}middle", "end\u{FEFF}", "\u{FEFE}\u{FFFD}\u{FFFE}\u{FFFF}\u{FF00}",
            "\u{2027}\u{2028}\u{2029}\u{202A}", "Biélorussie l’OTAN — «Paris» 日本語 😀𝄞",
            "\u{80}\u{9F}\u{A0}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}",
            String(repeating: "é\"", count: 40) + "\u{2028}",
        ]
        for s in samples {
            XCTAssertEqual(SkeletonFormat.quote(s), expectedQuote(s), "\(s.debugDescription)")
        }
        // Every character of the first planes once, in one string.
        var all = ""
        for v in Array(0..<0x3000) + Array(0xFE00..<0x10000) + [0x10000, 0x1F600, 0x10FFFF] {
            if let scalar = Unicode.Scalar(UInt32(v)) { all.unicodeScalars.append(scalar) }
        }
        XCTAssertEqual(SkeletonFormat.quote(all), expectedQuote(all))
    }

    func testEveryKindOfEntryIsWrittenOnOneLineAndParsesBack() throws {
        var layout = UnitLayout(unitID: "u12", attributeQuote: "'", sourceUTF16Length: 1234567)
        layout.substitutions = [RawSubstitution(utf16Offset: 0, utf16Length: 1, codesBefore: 0, raw: "&eacute;"),
                                RawSubstitution(utf16Offset: 98765, utf16Length: 0, codesBefore: 10, raw: "\r\n\u{FEFF}\"")]
        layout.nestedUnits = [NestedUnitPlacement(codeID: "3", utf16Start: 9, utf16End: 120, unitID: "u13")]
        let entries: [SkeletonEntry] = [
            .text("<p class=\"x\">\n\t"), .unit(UnitLayout(unitID: "u1", sourceUTF16Length: 0)), .unit(layout),
            .nestedUnit(UnitLayout(unitID: "u2", attributeQuote: "", sourceUTF16Length: 10)),
            .unitRun(UnitRun(prefix: "u", first: 3, count: 100, separator: "\r\n\r\n")),
        ]
        XCTAssertEqual(SkeletonFormat.line(for: entries[1]), "{\"u\":\"u1\",\"len\":0}")
        XCTAssertEqual(SkeletonFormat.line(for: entries[2]), "{\"u\":\"u12\",\"len\":1234567,\"q\":\"'\",\"sub\":[[0,1,0,\"&eacute;\"],[98765,0,10,\"\\r\\n\\ufeff\\\"\"]],\"in\":[[\"3\",9,120,\"u13\"]]}")
        XCTAssertEqual(SkeletonFormat.line(for: entries[4]), "{\"r\":\"u\",\"from\":3,\"count\":100,\"sep\":\"\\r\\n\\r\\n\"}")
        var bytes: [UInt8] = []
        for e in entries {
            let before = bytes.count
            SkeletonFormat.appendLine(for: e, to: &bytes)
            XCTAssertEqual(String(decoding: bytes[before...], as: UTF8.self), SkeletonFormat.line(for: e))
            XCTAssertFalse(bytes[before...].contains(0x0A))
            bytes.append(0x0A)
        }
        let header = SkeletonHeader(format: .html, newline: "\r\n")
        let text = SkeletonFormat.line(for: header) + "\n" + String(decoding: bytes, as: UTF8.self)
        let parsed = try SkeletonFormat.parse(text, location: SourceLocation(file: "test"))
        XCTAssertEqual(parsed.header, header)
        XCTAssertEqual(parsed.entries, entries)
    }
}
