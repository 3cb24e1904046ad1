/// The sentence-bead shapes the aligner considers (source count, target count).
public enum BeadShape {
    /// 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 1-3, 3-1.
    public static let all: [(Int, Int)] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (1, 3), (3, 1)]
}
