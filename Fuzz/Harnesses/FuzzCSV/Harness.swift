#if canImport(Glibc)
import Glibc
#endif
import FuzzSupport
import Terminology

/// Fuzzes the CSV/TSV glossary reader. It reads files (in 1 MB chunks), so each input is written
/// to a file in /dev/shm first; the first byte chooses `.csv` (delimiter guessed) or `.tsv`.
@_cdecl("FuzzCSV_main")
func fuzzCSVMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        let bytes = FuzzDriver.bytes(data, size)
        let ext = (bytes.first ?? 0) % 4 == 0 ? "tsv" : "csv"
        let path = FuzzDriver.scratchFile(ext)
        guard FuzzDriver.writeFile(bytes, to: path) else { return 0 }
        defer { unlink(path) }
        guard let reader = try? CSVTermbaseReader(path: path, displayPath: "fuzz.\(ext)") else { return 0 }
        var terms = 0
        while let concept = try? reader.next() {
            terms += concept.languageSections.reduce(0) { $0 + $1.terms.count }
        }
        _ = terms + reader.findings.count + reader.languages.count
        return 0
    }
}
