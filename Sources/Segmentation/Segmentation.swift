/// SRX 2.0 sentence segmentation.
public enum SRXNamespace {
    /// The SRX 2.0 namespace.
    public static let uri = "http://www.lisa.org/srx20"
}
