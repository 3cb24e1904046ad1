/// The shape of a bead: how many source sentences it pairs with how many target sentences.
public struct BeadShape: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Source sentences in the bead (0–3).
    public var source: Int
    /// Target sentences in the bead (0–3).
    public var target: Int

    /// Creates a shape; each side holds 0 to 3 sentences and at least one side is non-empty.
    public init(_ source: Int, _ target: Int) {
        precondition((0...3).contains(source) && (0...3).contains(target) && source + target > 0,
                     "a bead holds 0 to 3 sentences on each side and is not empty")
        self.source = source
        self.target = target
    }

    /// The shapes Verso considers by default: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 1-3, 3-1.
    public static let standard: [BeadShape] = [
        BeadShape(1, 1), BeadShape(1, 0), BeadShape(0, 1), BeadShape(2, 1),
        BeadShape(1, 2), BeadShape(2, 2), BeadShape(1, 3), BeadShape(3, 1),
    ]

    /// `"2-1"`.
    public var description: String { "\(source)-\(target)" }

    /// True for 1-0 and 0-1.
    public var isNull: Bool { source == 0 || target == 0 }
}
