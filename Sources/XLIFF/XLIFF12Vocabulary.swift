import TranslationModel

/// The names and value lists of XLIFF 1.2 (OASIS Standard, 1 February 2008) that Verso's reader
/// and writer share, taken from `xliff-core-1.2-strict.xsd`.
enum XLIFF12 {
    /// Namespaces a document may use for XLIFF 1.x elements; all are read as 1.2.
    static let namespaces: Set<String> = [
        XLIFFNamespace.v1_2,
        "urn:oasis:names:tc:xliff:document:1.1",
        "urn:oasis:names:tc:xliff:document:1.0",
    ]

    /// The XML Schema instance namespace (`xsi:schemaLocation`): XSD processors accept it anywhere.
    static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    /// `state` values of `<target>`.
    static let states: Set<String> = [
        "final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
        "needs-review-translation", "needs-translation", "new", "signed-off", "translated",
    ]

    /// `state-qualifier` values of `<target>`.
    static let stateQualifiers: Set<String> = [
        "exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited",
        "leveraged-mt", "leveraged-repository", "leveraged-tm", "mt-suggestion", "rejected-grammar",
        "rejected-inaccurate", "rejected-length", "rejected-spelling", "tm-suggestion",
    ]

    /// `ctype` values of `<g>`, `<bx>`, `<bpt>`, `<it>`, `<sub>` (besides `x-…`).
    static let delimiterCtypes: Set<String> = ["bold", "italic", "underlined", "link"]

    /// `ctype` values of `<x>` and `<ph>` (besides `x-…`).
    static let placeholderCtypes: Set<String> = ["image", "pb", "lb"]

    /// `mtype` values of `<mrk>` (besides `x-…`).
    static let mtypes: Set<String> = [
        "abbrev", "abbreviated-form", "abbreviation", "acronym", "appellation", "collocation",
        "common-name", "datetime", "equation", "expanded-form", "formula", "head-term", "initialism",
        "international-scientific-term", "internationalism", "logical-expression",
        "materials-management-unit", "name", "near-synonym", "part-number", "phrase",
        "phraseological-unit", "protected", "romanized-form", "seg", "set-phrase", "short-form", "sku",
        "standard-text", "symbol", "synonym", "synonymous-phrase", "term", "transcribed-form",
        "transliterated-form", "truncated-term", "variant",
    ]

    /// `datatype` values (besides `x-…`).
    static let datatypes: Set<String> = [
        "asp", "c", "cdf", "cfm", "cpp", "csharp", "cstring", "csv", "database", "documentfooter",
        "documentheader", "filedialog", "form", "html", "htmlbody", "ini", "interleaf", "javaclass",
        "javapropertyresourcebundle", "javalistresourcebundle", "javascript", "jscript", "layout",
        "lisp", "margin", "menufile", "messagefile", "mif", "mimetype", "mo", "msglib", "pagefooter",
        "pageheader", "parameters", "pascal", "php", "plaintext", "po", "report", "resources", "resx",
        "rtf", "sgml", "sgmldtd", "svg", "vbscript", "warning", "winres", "xhtml", "xml", "xmldtd",
        "xsl", "xul",
    ]

    /// `restype` values (besides `x-…`).
    static let restypes: Set<String> = [
        "auto3state", "autocheckbox", "autoradiobutton", "bedit", "bitmap", "button", "caption", "cell",
        "checkbox", "checkboxmenuitem", "checkedlistbox", "colorchooser", "combobox", "comboboxexitem",
        "comboboxitem", "component", "contextmenu", "ctext", "cursor", "datetimepicker", "defpushbutton",
        "dialog", "dlginit", "edit", "file", "filechooser", "fn", "font", "footer", "frame", "grid",
        "groupbox", "header", "heading", "hedit", "hscrollbar", "icon", "iedit", "keywords", "label",
        "linklabel", "list", "listbox", "listitem", "ltext", "menu", "menubar", "menuitem",
        "menuseparator", "message", "monthcalendar", "numericupdown", "panel", "popupmenu", "pushbox",
        "pushbutton", "radio", "radiobuttonmenuitem", "rcdata", "row", "rtext", "scrollpane",
        "separator", "shortcut", "spinner", "splitter", "state3", "statusbar", "string", "tabcontrol",
        "table", "textbox", "togglebutton", "toolbar", "tooltip", "trackbar", "tree", "uri", "userbutton",
        "usercontrol", "var", "versioninfo", "vscrollbar", "window",
    ]

    /// `context-type` values of `<context>` (besides `x-…`).
    static let contextTypes: Set<String> = [
        "database", "element", "elementtitle", "linenumber", "numparams", "paramnotes", "record",
        "recordtitle", "sourcefile",
    ]

    /// `size-unit` values (besides `x-…`).
    static let sizeUnits: Set<String> = [
        "byte", "char", "col", "cm", "dlgunit", "em", "ex", "glyph", "in", "mm", "percent", "pixel",
        "point", "row",
    ]

    /// `alttranstype` values (besides `x-…`).
    static let altTransTypes: Set<String> = ["proposal", "previous-version", "rejected", "reference", "accepted"]

    /// `unit` values of `<count>` (besides `x-…`).
    static let countUnits: Set<String> = [
        "word", "page", "trans-unit", "bin-unit", "glyph", "item", "instance", "character", "line",
        "sentence", "paragraph", "segment", "placeable",
    ]

    /// `purpose` values of `<context-group>` (a space-separated list; besides `x-…`).
    static let purposes: Set<String> = ["information", "location", "match"]

    /// True for a value of an open XLIFF 1.2 list: one of `values` or an `x-` extension.
    static func isValid(_ value: String, in values: Set<String>) -> Bool {
        // The x- test first: it needs no hashing, and tools use x- values everywhere.
        isExtensionValue(value) || values.contains(value)
    }

    /// True for `x-` followed by at least one non-space character (the schema's `XTend`).
    static func isExtensionValue(_ value: String) -> Bool {
        var utf8 = value.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "x"), utf8.next() == UInt8(ascii: "-") else { return false }
        var count = 0
        while let b = utf8.next() {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { return false }
            count += 1
        }
        return count > 0
    }

    /// The attributes the strict schema allows on `<file>` besides the four Verso models.
    static let fileAttributes: Set<String> = ["tool-id", "date", "category", "product-name", "product-version", "build-num"]

    /// Attributes of `<file>` that only the transitional schema allows (XLIFF 1.0/1.1 leftovers).
    static let fileTransitionalAttributes: Set<String> = ["tool", "ts", "id", "content"]

    /// Attributes the strict schema allows on `<trans-unit>` besides those Verso models.
    static let unitAttributes: Set<String> = [
        "reformat", "datatype", "phase-name", "extradata", "extype", "help-id", "menu", "menu-option",
        "menu-name", "coord", "font", "css-style", "style", "exstyle", "size-unit", "maxwidth",
        "minwidth", "maxheight", "minheight", "maxbytes", "minbytes", "charclass", "merged-trans",
    ]

    /// Attributes the strict schema allows on `<group>` besides those Verso models.
    static let groupAttributes: Set<String> = [
        "datatype", "extradata", "extype", "help-id", "menu", "menu-option", "menu-name", "coord",
        "font", "css-style", "style", "exstyle", "reformat", "size-unit", "maxwidth", "minwidth",
        "maxheight", "minheight", "maxbytes", "minbytes", "charclass", "merged-trans",
    ]

    /// Attributes the strict schema allows on `<bin-unit>` besides those Verso models.
    static let binUnitAttributes: Set<String> = ["reformat", "phase-name"]

    /// Attributes the strict schema allows on `<target>` besides `state`, `state-qualifier`, `xml:lang`.
    static let targetAttributes: Set<String> = ["phase-name", "resname", "coord", "font", "css-style", "style", "exstyle", "equiv-trans"]

    /// Attributes the strict schema allows on `<alt-trans>` besides those Verso models.
    static let altTransAttributes: Set<String> = [
        "match-quality", "tool-id", "crc", "xml:lang", "datatype", "xml:space", "restype", "resname",
        "extradata", "extype", "help-id", "menu", "menu-option", "menu-name", "coord", "font",
        "css-style", "style", "exstyle", "phase-name", "alttranstype",
    ]

    /// Attributes only the transitional schema allows on many elements.
    static let transitionalOnlyAttributes: Set<String> = ["ts", "tool", "content"]
}

/// How XLIFF 1.2 `state` values and XLIFF 2 `state` (+ `subState`) correspond.
///
/// Each 1.2 state maps to the XLIFF 2 state with the same meaning; where several 1.2 states share
/// one (`needs-review-l10n` and `translated` are both "translated, not reviewed"), the 1.2 value is
/// kept in `subState` as `xliff1.2:<value>` so that a 2.x file converted back gives the same 1.2 state.
public enum XLIFFStateMapping {
    /// The `subState` prefix that carries an XLIFF 1.2 state through XLIFF 2.
    public static let subStatePrefix = "xliff1.2:"

    /// The XLIFF 2 state of a 1.2 state (nil for an `x-…` value with no known meaning).
    public static func state(for xliff12State: String) -> SegmentState? {
        switch xliff12State {
        case "new", "needs-translation", "needs-l10n", "needs-adaptation": return .initial
        case "translated", "needs-review-translation", "needs-review-l10n", "needs-review-adaptation": return .translated
        case "signed-off": return .reviewed
        case "final": return .final
        default: return nil
        }
    }

    /// The 1.2 state an XLIFF 2 state is written as when nothing more precise is known.
    public static func canonicalXLIFF12State(for state: SegmentState) -> String {
        switch state {
        case .initial: return "needs-translation"
        case .translated: return "translated"
        case .reviewed: return "signed-off"
        case .final: return "final"
        }
    }

    /// The `subState` that records a 1.2 state in XLIFF 2, or nil when the 2.x state alone gives it back.
    public static func subState(for xliff12State: String) -> String? {
        if let s = state(for: xliff12State), canonicalXLIFF12State(for: s) == xliff12State { return nil }
        return subStatePrefix + xliff12State
    }

    /// The 1.2 state to write for a segment: its kept 1.2 state when that still agrees with its
    /// XLIFF 2 state, else the state recorded in `subState`, else the canonical value of `state`.
    public static func xliff12State(of segment: Segment) -> String? {
        if let kept = segment.xliff12State {
            guard let s = segment.state else { return kept }
            if state(for: kept) == s || state(for: kept) == nil { return kept }
        }
        if let sub = segment.subState, sub.hasPrefix(subStatePrefix) {
            let value = String(sub.dropFirst(subStatePrefix.count))
            if segment.state == nil || state(for: value) == nil || state(for: value) == segment.state { return value }
        }
        return segment.state.map(canonicalXLIFF12State(for:))
    }
}
