/// TMX 1.4b, the exchange format of translation memories.
public enum TMXFormat {
    /// The version Verso writes.
    public static let version = "1.4"
}
