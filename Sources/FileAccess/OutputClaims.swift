/// The outputs the inputs of one run are going to write: a second input that would write a file
/// another input of the run writes is refused (`a/x.txt` and `b/x.txt` both giving `out/x.txt.xlf`),
/// so that nothing is overwritten silently. The first input on the command line keeps the output.
public struct OutputClaims: Sendable {
    private var claimed: [String: String] = [:]
    private let currentFolder: String

    /// No output claimed yet; relative paths are taken from the current folder.
    public init() {
        currentFolder = PathNames.currentFolder
    }

    /// Makes room for `count` claims at once (growing the table step by step hashes every
    /// path claimed so far again at each step).
    public mutating func reserveCapacity(_ count: Int) {
        claimed.reserveCapacity(count)
    }

    /// Claims `output` for `input`. Returns nil when it is free (and now taken), else the error
    /// for `input`, naming the input that claimed it first; `advice` ends that message.
    public mutating func claim(_ output: String, for input: String, advice: String = "rename one of them or write them into different folders") -> FileAccessError? {
        let key = PathNames.normalized(output, currentFolder: currentFolder)
        // One hash of the path for a free output (the usual case), not a look-up then an
        // insertion; a taken one is given back to its first claimer.
        if let other = claimed.updateValue(input, forKey: key) {
            claimed[key] = other
            if other == input { return FileAccessError(path: input, "named more than once; its output \(output) is written once") }
            return FileAccessError(path: input, "its output \(output) is also the output of \(other); \(advice)")
        }
        return nil
    }
}
