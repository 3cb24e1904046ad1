import TranslationModel

/// Namespaces of the XLIFF versions and of the XLIFF 2 modules Verso interprets.
public enum XLIFFNamespace {
    /// XLIFF 1.2.
    public static let v1_2 = "urn:oasis:names:tc:xliff:document:1.2"
    /// XLIFF 2.0 and 2.1.
    public static let v2_0 = "urn:oasis:names:tc:xliff:document:2.0"
    /// XLIFF 2.2.
    public static let v2_2 = "urn:oasis:names:tc:xliff:document:2.2"
    /// XLIFF 2 Translation Candidates module (`mtc`).
    public static let matches = "urn:oasis:names:tc:xliff:matches:2.0"
    /// XLIFF 2 Glossary module (`gls`).
    public static let glossary = "urn:oasis:names:tc:xliff:glossary:2.0"
    /// XLIFF 2 Metadata module (`mda`).
    public static let metadata = "urn:oasis:names:tc:xliff:metadata:2.0"
    /// XLIFF 2 Format Style module (`fs`).
    public static let formatStyle = "urn:oasis:names:tc:xliff:fs:2.0"
    /// XLIFF 2 Resource Data module (`res`).
    public static let resourceData = "urn:oasis:names:tc:xliff:resourcedata:2.0"
    /// XLIFF 2 Size and Length Restriction module (`slr`).
    public static let sizeRestriction = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
    /// XLIFF 2 Validation module (`val`).
    public static let validation = "urn:oasis:names:tc:xliff:validation:2.0"
    /// XLIFF 2.0 Change Tracking module, an extension since 2.1 (`ctr`).
    public static let changeTracking = "urn:oasis:names:tc:xliff:changetracking:2.0"
    /// Change Tracking namespace as written in the XLIFF 2.1 Schematron files.
    public static let changeTracking21 = "urn:oasis:names:tc:xliff:changetracking:2.1"
    /// W3C Internationalization Tag Set (XLIFF 2.1 ITS module, `its`).
    public static let its = "http://www.w3.org/2005/11/its"
    /// XLIFF 2.1 ITS module's own attributes (`itsm`).
    public static let itsm = "urn:oasis:names:tc:xliff:itsm:2.1"
    /// XLIFF 2.2 Plural, Gender and Select module (`pgs`).
    public static let pgs = "urn:oasis:names:tc:xliff:pgs:1.0"

    /// The core namespace of an XLIFF 2 version (2.0 and 2.1 share one).
    public static func core(of version: XLIFFVersion) -> String {
        switch version {
        case .v1_2: return v1_2
        case .v2_0, .v2_1: return v2_0
        case .v2_2: return v2_2
        }
    }
}
