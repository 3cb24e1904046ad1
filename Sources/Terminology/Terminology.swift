/// TBX namespaces and dialect names.
public enum TBXFormat {
    /// TBX 2019 (ISO 30042:2019) namespace.
    public static let namespace2019 = "urn:iso:std:iso:30042:ed-2"
}
