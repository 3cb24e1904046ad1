import Diagnostics
import TranslationModel

/// TMX 1.4b, the exchange format of translation memories (LISA OSCAR).
public enum TMXFormat {
    /// The version Verso writes.
    public static let version = "1.4"
    /// The public identifier of the TMX 1.4 DTD.
    public static let publicIdentifier = "-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN"
}

/// A `<prop type="…">` of a header, unit or variant: tool-specific data.
public struct TMXProperty: Sendable, Hashable {
    /// The property's type (`x-…` for user-defined ones).
    public var type: String
    /// Its value.
    public var value: String
    /// Language of the value (`xml:lang`), when stated.
    public var language: String?

    /// Creates a property.
    public init(type: String, value: String, language: String? = nil) {
        self.type = type
        self.value = value
        self.language = language
    }
}

/// A `<note>` of a header, unit or variant.
public struct TMXNote: Sendable, Hashable {
    /// The note's text.
    public var text: String
    /// Language of the note (`xml:lang`), when stated.
    public var language: String?

    /// Creates a note.
    public init(_ text: String, language: String? = nil) {
        self.text = text
        self.language = language
    }
}

/// The `<header>` of a TMX document.
public struct TMXHeader: Sendable, Hashable {
    /// `creationtool`.
    public var creationTool: String
    /// `creationtoolversion`.
    public var creationToolVersion: String
    /// `segtype`: `block`, `paragraph`, `sentence` or `phrase`.
    public var segmentType: String
    /// `o-tmf`: the format of the memory the data came from.
    public var originalFormat: String
    /// `adminlang`: language of notes and properties.
    public var adminLanguage: String
    /// `srclang`: the source language, or `*all*`.
    public var sourceLanguage: String
    /// `datatype` (`plaintext`, `html`, `xml`, `unknown`…).
    public var dataType: String
    /// Optional attributes (`creationdate`, `creationid`, `changedate`, `changeid`, `o-encoding`), by name.
    public var attributes: [String: String]
    /// Header properties.
    public var properties: [TMXProperty]
    /// Header notes.
    public var notes: [TMXNote]

    /// Creates a header.
    public init(creationTool: String, creationToolVersion: String, segmentType: String = "sentence",
                originalFormat: String, adminLanguage: String = "en", sourceLanguage: String,
                dataType: String = "plaintext", attributes: [String: String] = [:],
                properties: [TMXProperty] = [], notes: [TMXNote] = []) {
        self.creationTool = creationTool
        self.creationToolVersion = creationToolVersion
        self.segmentType = segmentType
        self.originalFormat = originalFormat
        self.adminLanguage = adminLanguage
        self.sourceLanguage = sourceLanguage
        self.dataType = dataType
        self.attributes = attributes
        self.properties = properties
        self.notes = notes
    }
}

/// A `<tuv>`: the text of a translation unit in one language.
public struct TMXVariant: Sendable, Hashable {
    /// The language (`xml:lang`).
    public var language: String
    /// The segment (`<seg>`), inline codes as `Content` codes.
    public var content: Content
    /// Optional attributes (`creationdate`, `changeid`, `usagecount`…), by name.
    public var attributes: [String: String]
    /// Properties.
    public var properties: [TMXProperty]
    /// Notes.
    public var notes: [TMXNote]

    /// Creates a variant.
    public init(language: String, content: Content, attributes: [String: String] = [:],
                properties: [TMXProperty] = [], notes: [TMXNote] = []) {
        self.language = language
        self.content = content
        self.attributes = attributes
        self.properties = properties
        self.notes = notes
    }
}

/// A `<tu>`: one translation unit with its variants.
public struct TMXUnit: Sendable, Hashable {
    /// `tuid`, when present.
    public var id: String?
    /// Optional attributes (`srclang`, `creationdate`, `usagecount`…), by name.
    public var attributes: [String: String]
    /// Properties.
    public var properties: [TMXProperty]
    /// Notes.
    public var notes: [TMXNote]
    /// The variants, in document order.
    public var variants: [TMXVariant]
    /// 1-based line of the `<tu>` start tag when read from a file (0 otherwise).
    public var line: Int

    /// Creates a unit.
    public init(id: String? = nil, attributes: [String: String] = [:], properties: [TMXProperty] = [],
                notes: [TMXNote] = [], variants: [TMXVariant] = [], line: Int = 0) {
        self.id = id
        self.attributes = attributes
        self.properties = properties
        self.notes = notes
        self.variants = variants
        self.line = line
    }

    /// The first variant whose language is `language` or a variant of it (`fr` matches `fr-CA`),
    /// compared without regard to case.
    public func variant(for language: String) -> TMXVariant? {
        let wanted = language.lowercased()
        if let exact = variants.first(where: { $0.language.lowercased() == wanted }) { return exact }
        return variants.first { v in
            let l = v.language.lowercased()
            return l.hasPrefix(wanted + "-") || wanted.hasPrefix(l + "-")
        }
    }
}

/// A TMX document that cannot be read (wrong root, a required attribute missing…).
public struct TMXError: LocatedError, Equatable {
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }
}
