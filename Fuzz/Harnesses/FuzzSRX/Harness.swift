import FuzzSupport
import Segmentation

/// Fuzzes the SRX 2.0 rules reader and compiler (XML structure, language maps, the translation
/// of Java regular expressions to ICU's) and then segments a fixed French paragraph with the
/// rules for `fr` and `en`. A thrown error is fine; a crash, a sanitizer report or a hang
/// (a rule that makes matching take seconds: `-timeout`) is a bug.
@_cdecl("FuzzSRX_main")
func fuzzSRXMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv) { data, size in
        guard let rules = try? SRXRules(bytes: FuzzDriver.bytes(data, size), displayPath: "fuzz.srx") else { return 0 }
        for language in ["fr", "en-GB"] {
            guard let segmenter = try? Segmenter(rules: rules, language: language) else { continue }
            _ = segmenter.sentences(in: SRXSample.text)
        }
        return 0
    }
}

enum SRXSample {
    static let text = "M. Dupont est arrivé à 10 h. Il a dit : « Bonjour ! » Puis il est parti… Le 3 févr. 2022, l'OTAN (Organisation du traité de l'Atlantique Nord) a réagi. Voir p. 12, etc. Fin.\nDeuxième ligne ? Oui."
}
