/// An XLIFF 2 fragment identifier (`#f=f1/u=u1/n=n1`, `#m1`, `#t=m2`): the selectors that
/// locate an element of an XLIFF document, parsed and checked for syntax.
struct XLIFF2FragmentIdentifier: Equatable {
    /// Whether the expression starts with `/` (absolute, from the document).
    var absolute: Bool
    /// File, group and unit selectors, when present.
    var file: String?
    var group: String?
    var unit: String?
    /// The last selector: what is pointed at inside the scope above.
    var leaf: Leaf?

    enum Leaf: Equatable {
        /// `n=` a note.
        case note(String)
        /// `d=` original data.
        case data(String)
        /// `t=` an inline element of a target.
        case target(String)
        /// No prefix: a segment, an ignorable or an inline element of a source.
        case source(String)
        /// A module or extension selector (`mtc=`, `gls=`, `res=`…).
        case module(prefix: String, id: String)
    }

    /// Prefixes registered for fragment identification: the modules' and those the XLIFF TC
    /// registered for extensions (`tbx`).
    static let modulePrefixes: Set<String> = ["mtc", "gls", "mda", "res", "ctr", "slr", "val", "fs", "its", "pgs", "tbx"]

    /// Parses the part after `#` (without it); returns the reason when it is not valid.
    static func parse(_ fragment: String) -> Result<XLIFF2FragmentIdentifier, FragmentError> {
        var text = Substring(fragment)
        var id = XLIFF2FragmentIdentifier(absolute: false)
        if text.hasPrefix("/") {
            id.absolute = true
            text = text.dropFirst()
        }
        guard !text.isEmpty else { return .failure(FragmentError("the fragment identifier is empty")) }
        var seen = Set<String>()
        var rank = 0 // 0: nothing, 1: f, 2: g, 3: u, 4: leaf
        for selector in text.split(separator: "/", omittingEmptySubsequences: false) {
            guard !selector.isEmpty else { return .failure(FragmentError("empty selector in '#\(fragment)'")) }
            if rank == 4 { return .failure(FragmentError("only one selector may follow the file, group and unit selectors in '#\(fragment)'")) }
            let parts = selector.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 1 {
                let value = String(parts[0])
                guard XLIFF2Syntax.isNMTOKEN(value) else { return .failure(FragmentError("'\(value)' is not a valid identifier in '#\(fragment)'")) }
                id.leaf = .source(value)
                rank = 4
                continue
            }
            let prefix = String(parts[0]), value = String(parts[1])
            guard XLIFF2Syntax.isNMTOKEN(prefix) else { return .failure(FragmentError("prefix '\(prefix)' is not a name token in '#\(fragment)'")) }
            guard XLIFF2Syntax.isNMTOKEN(value) else { return .failure(FragmentError("'\(value)' is not a valid identifier in '#\(fragment)'")) }
            guard seen.insert(prefix).inserted else { return .failure(FragmentError("prefix '\(prefix)' is used twice in '#\(fragment)'")) }
            switch prefix {
            case "f":
                guard rank < 1 else { return .failure(FragmentError("the file selector must come first in '#\(fragment)'")) }
                id.file = value
                rank = 1
            case "g":
                guard rank < 2 else { return .failure(FragmentError("the group selector must come before the unit selector in '#\(fragment)'")) }
                id.group = value
                rank = 2
            case "u":
                guard rank < 3 else { return .failure(FragmentError("selectors out of order in '#\(fragment)'")) }
                id.unit = value
                rank = 3
            case "n": id.leaf = .note(value); rank = 4
            case "d": id.leaf = .data(value); rank = 4
            case "t": id.leaf = .target(value); rank = 4
            default:
                guard prefix.count >= 2 else { return .failure(FragmentError("prefix '\(prefix)' is not an XLIFF selector (module and extension prefixes have at least two characters) in '#\(fragment)'")) }
                guard modulePrefixes.contains(prefix) else { return .failure(FragmentError("prefix '\(prefix)' is not a registered module or extension prefix in '#\(fragment)'")) }
                id.leaf = .module(prefix: prefix, id: value)
                rank = 4
            }
        }
        return .success(id)
    }

    /// Why a fragment identifier is not valid.
    struct FragmentError: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
