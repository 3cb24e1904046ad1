/// A whole document in memory, for small files, tests and round-trip comparison. Streaming
/// code works with `DocumentEvent`s instead.
public struct Document: Sendable, Hashable {
    /// The root information.
    public var info: DocumentInfo
    /// The files, in order.
    public var files: [File]

    /// Creates a document.
    public init(info: DocumentInfo, files: [File] = []) {
        self.info = info
        self.files = files
    }

    /// Builds a document from the events of a reader.
    public init(reading reader: inout some DocumentReader) throws {
        var builder = DocumentBuilder()
        while let event = try reader.next() { try builder.add(event) }
        self = try builder.document()
    }

    /// The document as a stream of events (the inverse of `init(reading:)`).
    public var events: [DocumentEvent] {
        var out: [DocumentEvent] = [.startDocument(info)]
        func emit(_ items: [FileItem]) {
            for item in items {
                switch item {
                case .unit(let u): out.append(.unit(u))
                case .group(let g):
                    out.append(.startGroup(g.info))
                    emit(g.items)
                    out.append(.endGroup)
                }
            }
        }
        for file in files {
            out.append(.startFile(file.info))
            emit(file.items)
            out.append(.endFile)
        }
        out.append(.endDocument)
        return out
    }

    /// Every unit of every file, depth first.
    public var allUnits: [Unit] {
        var out: [Unit] = []
        func walk(_ items: [FileItem]) {
            for item in items {
                switch item {
                case .unit(let u): out.append(u)
                case .group(let g): walk(g.items)
                }
            }
        }
        for f in files { walk(f.items) }
        return out
    }
}

/// A file with its units and groups.
public struct File: Sendable, Hashable {
    /// What the file says about itself.
    public var info: FileInfo
    /// Units and groups, in order.
    public var items: [FileItem]

    /// Creates a file.
    public init(info: FileInfo, items: [FileItem] = []) {
        self.info = info
        self.items = items
    }
}

/// A group with its units and nested groups.
public struct Group: Sendable, Hashable {
    /// What the group says about itself.
    public var info: GroupInfo
    /// Units and groups, in order.
    public var items: [FileItem]

    /// Creates a group.
    public init(info: GroupInfo, items: [FileItem] = []) {
        self.info = info
        self.items = items
    }
}

/// A member of a file or group.
public indirect enum FileItem: Sendable, Hashable {
    /// A unit.
    case unit(Unit)
    /// A group.
    case group(Group)
}

/// The event sequence was not a well-nested document (an internal error in a reader).
public struct DocumentStructureError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var description: String
}

/// Assembles `DocumentEvent`s into a `Document`.
public struct DocumentBuilder: Sendable {
    private var info: DocumentInfo?
    private var files: [File] = []
    private var groups: [Group] = []
    private var done = false

    /// Creates an empty builder.
    public init() {}

    /// Adds one event; throws when events arrive out of order.
    public mutating func add(_ event: DocumentEvent) throws {
        switch event {
        case .startDocument(let i):
            guard info == nil else { throw DocumentStructureError(description: "document started twice") }
            info = i
        case .startFile(let f):
            guard info != nil, groups.isEmpty else { throw DocumentStructureError(description: "file outside a document") }
            files.append(File(info: f))
        case .startGroup(let g):
            guard !files.isEmpty else { throw DocumentStructureError(description: "group outside a file") }
            groups.append(Group(info: g))
        case .unit(let u):
            guard !files.isEmpty else { throw DocumentStructureError(description: "unit outside a file") }
            if groups.isEmpty { files[files.count - 1].items.append(.unit(u)) }
            else { groups[groups.count - 1].items.append(.unit(u)) }
        case .endGroup:
            guard let g = groups.popLast() else { throw DocumentStructureError(description: "group ended twice") }
            if groups.isEmpty { files[files.count - 1].items.append(.group(g)) }
            else { groups[groups.count - 1].items.append(.group(g)) }
        case .endFile:
            guard groups.isEmpty else { throw DocumentStructureError(description: "file ended inside a group") }
        case .endDocument:
            done = true
        }
    }

    /// The assembled document.
    public func document() throws -> Document {
        guard let info, done else { throw DocumentStructureError(description: "document not finished") }
        return Document(info: info, files: files)
    }
}

/// Replays a list of events as a `DocumentReader`.
public struct EventListReader: DocumentReader {
    private var events: [DocumentEvent]
    private var index = 0

    /// Creates a reader over `events`.
    public init(_ events: [DocumentEvent]) { self.events = events }

    /// The next event.
    public mutating func next() throws -> DocumentEvent? {
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }
}
