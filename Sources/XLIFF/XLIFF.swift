/// Namespaces of the XLIFF versions and of the XLIFF 2 modules Verso interprets.
public enum XLIFFNamespace {
    /// XLIFF 1.2.
    public static let v1_2 = "urn:oasis:names:tc:xliff:document:1.2"
    /// XLIFF 2.0 and 2.1.
    public static let v2_0 = "urn:oasis:names:tc:xliff:document:2.0"
    /// XLIFF 2.2.
    public static let v2_2 = "urn:oasis:names:tc:xliff:document:2.2"
}
