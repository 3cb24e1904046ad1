#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CLibXML2
import Diagnostics
import Synchronization

/// Validates documents against a W3C XML Schema with libxml2, offline.
///
/// The schema's imports (`http://www.w3.org/2001/xml.xsd`, the OASIS module URLs…) are
/// resolved to local files through an OASIS catalog (`catalog.xml` in the schema's folder or
/// above it, or one given explicitly) or, failing that, by file name inside the schema folder.
/// Anything else that is not a local file is refused: libxml2 never touches the network.
///
/// Validation streams the document through `xmlTextReader` with Verso's secure parse options
/// and reports every violation, each with its line and (found in the text) column. Not
/// `Sendable`: the compiled schema belongs to one owner; create one validator per thread.
public final class XMLSchemaValidator {
    private var schema: OpaquePointer?
    /// The schema file.
    public let schemaPath: String
    /// Warnings from compiling the schema (imports libxml2 skipped, …).
    public private(set) var schemaWarnings: [XMLError] = []

    /// Compiles the schema at `schemaPath`. `catalogPath` names the catalog to resolve remote
    /// schema locations with; nil looks for `catalog.xml` in the schema's folder and above.
    public init(schemaPath: String, catalogPath: String? = nil) throws {
        LibXML2.prepareThread()
        XMLSchemaResolution.installLoader()
        self.schemaPath = schemaPath
        var st = stat()
        guard stat(schemaPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw XMLError(location: .init(file: schemaPath), message: "schema not found")
        }
        let folder = Self.directory(of: schemaPath)
        let catalog = catalogPath ?? Self.findCatalog(from: folder)
        let resolver = try XMLSchemaResolver(schemaFolder: folder, catalogPath: catalog)
        let token = XMLSchemaResolution.register(resolver)
        defer { XMLSchemaResolution.unregister(token) }

        let sink = LibXML2ErrorSink(displayPath: schemaPath)
        guard let context = xmlSchemaNewParserCtxt(schemaPath) else {
            throw XMLError(location: .init(file: schemaPath), message: "cannot start the schema parser")
        }
        defer { xmlSchemaFreeParserCtxt(context) }
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        xmlSchemaSetParserStructuredErrors(context, libxml2StructuredErrorHandler, unmanaged.toOpaque())
        schema = xmlSchemaParse(context)
        schemaWarnings = sink.warnings
        if let refused = XMLSchemaResolution.takeRefusals().first {
            throw XMLError(location: .init(file: schemaPath), message: "the schema needs '\(refused)', which is not available locally (network access is refused); add it to a catalog.xml beside the schemas")
        }
        guard schema != nil else {
            throw sink.firstError ?? XMLError(location: .init(file: schemaPath), message: "the schema could not be compiled")
        }
    }

    deinit {
        if let schema { xmlSchemaFree(schema) }
    }

    /// Validates the document at `path`; returns every violation (empty when valid). A document
    /// that is not well-formed gives its parse error last.
    ///
    /// libxml2 2.9 can crash when a document that is not well-formed goes through its schema
    /// validator, so a plain parse checks well-formedness first unless `wellFormed` says a
    /// previous pass already did.
    public func validate(path: String, displayPath: String? = nil, wellFormed: Bool = false) -> [XMLError] {
        let shown = displayPath ?? path
        LibXML2.prepareThread()
        if !wellFormed, let error = Self.wellFormednessError(xmlReaderForFile(path, nil, LibXML2.secureOptions), displayPath: shown) {
            return [error]
        }
        guard let reader = xmlReaderForFile(path, nil, Self.validationOptions) else {
            return [XMLError(location: .init(file: shown), message: "cannot open the document")]
        }
        defer { xmlFreeTextReader(reader) }
        return run(reader, displayPath: shown, text: .file(path))
    }

    /// Validates a document held in memory.
    public func validate(bytes: [UInt8], displayPath: String) -> [XMLError] {
        LibXML2.prepareThread()
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { copy.deallocate() }
        _ = copy.initialize(from: bytes)
        let made = copy.baseAddress!.withMemoryRebound(to: CChar.self, capacity: copy.count) {
            xmlReaderForMemory($0, Int32(bytes.count), nil, nil, Self.validationOptions)
        }
        guard let reader = made else { return [XMLError(location: .init(file: displayPath), message: "cannot start the XML parser")] }
        defer { xmlFreeTextReader(reader) }
        let check = copy.baseAddress!.withMemoryRebound(to: CChar.self, capacity: copy.count) {
            xmlReaderForMemory($0, Int32(bytes.count), nil, nil, LibXML2.secureOptions)
        }
        if let error = Self.wellFormednessError(check, displayPath: displayPath) { return [error] }
        return run(reader, displayPath: displayPath, text: .bytes(bytes))
    }

    /// The parse options of the validation pass: Verso's secure ones, without warnings.
    private static let validationOptions: Int32 = LibXML2.secureOptions | Int32(XML_PARSE_NOWARNING.rawValue)

    /// Reads the whole document without a schema; returns the first error, if any (and frees the reader).
    private static func wellFormednessError(_ reader: OpaquePointer?, displayPath: String) -> XMLError? {
        guard let reader else { return XMLError(location: .init(file: displayPath), message: "cannot open the document") }
        defer { xmlFreeTextReader(reader) }
        let sink = LibXML2ErrorSink(displayPath: displayPath)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        xmlTextReaderSetStructuredErrorHandler(reader, libxml2StructuredErrorHandler, unmanaged.toOpaque())
        var status: Int32 = 1
        while status == 1 && sink.firstError == nil { status = xmlTextReaderRead(reader) }
        if let error = sink.firstError { return error }
        if status < 0 { return XMLError(location: .init(file: displayPath), message: "XML parse error") }
        return nil
    }

    private enum Text {
        case file(String)
        case bytes([UInt8])
    }

    private func run(_ reader: OpaquePointer, displayPath: String, text: Text) -> [XMLError] {
        let collector = XMLSchemaErrorCollector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        // The validity errors go to a validation context of our own. No parser error handler is
        // set on the reader: libxml2 2.9 hands such handlers the schema plug instead of the
        // parser context (a crash); the document was found well-formed before, and warnings are
        // off for this pass.
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLError(location: .init(file: displayPath), message: "out of memory")]
        }
        defer {
            // Unplug the validator from the reader before freeing it (the reader is freed later).
            _ = xmlTextReaderSchemaValidateCtxt(reader, nil, 0)
            xmlSchemaFreeValidCtxt(context)
        }
        xmlSchemaSetValidStructuredErrors(context, schemaErrorHandler, unmanaged.toOpaque())
        guard xmlTextReaderSchemaValidateCtxt(reader, context, 0) == 0 else {
            return [XMLError(location: .init(file: displayPath), message: "cannot attach the schema to the reader")]
        }
        var counts: [String: Int] = [:]
        var lastLine = -1
        collector.occurrence = { line, name in
            if line != lastLine { return 0 }
            return counts[name, default: 0]
        }
        while true {
            let status = xmlTextReaderRead(reader)
            if status <= 0 { break }
            if collector.fatal { break }
            if xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue), let node = xmlTextReaderCurrentNode(reader) {
                let line = Int(xmlGetLineNo(node))
                if line != lastLine {
                    lastLine = line
                    counts.removeAll(keepingCapacity: true)
                }
                let name = qualifiedName(node)
                counts[name, default: 0] += 1
            }
        }
        if xmlTextReaderIsValid(reader) == 0 && collector.errors.isEmpty {
            collector.errors.append(.init(line: nil, request: nil, message: "the document does not validate against the schema", code: 0))
        }
        // Columns: found in the text from each error's element (and attribute).
        let requests = collector.errors.compactMap(\.request)
        let located: [XMLStartTagLocator.Request: (line: Int, column: Int)]
        switch text {
        case .file(let path): located = XMLStartTagLocator.locate(requests, inFile: path)
        case .bytes(let bytes): located = XMLStartTagLocator.locate(requests, inBytes: bytes)
        }
        return collector.errors.map { e in
            var location = SourceLocation(file: displayPath, line: e.line, column: e.column)
            if let r = e.request, let l = located[r] {
                location.line = l.line
                location.column = l.column
            }
            return XMLError(location: location, message: e.message, code: e.code)
        }
    }

    private static func directory(of path: String) -> String {
        XMLSchemaValidatorPath.directory(of: path)
    }

    /// The nearest `catalog.xml` in `folder` or above it (at most four levels).
    static func findCatalog(from folder: String) -> String? {
        var current = folder
        for _ in 0..<5 {
            let candidate = current + "/catalog.xml"
            if access(candidate, R_OK) == 0 { return candidate }
            let parent = directory(of: current)
            if parent == current { break }
            current = parent
        }
        return nil
    }
}

func qualifiedName(_ node: UnsafeMutablePointer<xmlNode>) -> String {
    let local = node.pointee.name.map { String(cString: $0) } ?? ""
    if let ns = node.pointee.ns, let prefix = ns.pointee.prefix {
        return String(cString: prefix) + ":" + local
    }
    return local
}

/// Receives libxml2's errors during schema validation.
final class XMLSchemaErrorCollector {
    struct Entry {
        var line: Int?
        var column: Int?
        var request: XMLStartTagLocator.Request?
        var message: String
        var code: Int

        init(line: Int?, column: Int? = nil, request: XMLStartTagLocator.Request?, message: String, code: Int) {
            self.line = line
            self.column = column
            self.request = request
            self.message = message
            self.code = code
        }
    }
    var errors: [Entry] = []
    var fatal = false
    var occurrence: (Int, String) -> Int = { _, _ in 0 }

    func record(_ error: UnsafePointer<xmlError>) {
        let e = error.pointee
        if e.level == XML_ERR_WARNING { return }
        var text = e.message.map { String(cString: $0) } ?? "XML error"
        text = Self.simplify(text.trimmingWhitespace().replacingNewlines())
        let line = e.line > 0 ? Int(e.line) : nil
        var request: XMLStartTagLocator.Request?
        if e.domain == Int32(XML_FROM_SCHEMASV.rawValue), let raw = e.node {
            var element: UnsafeMutablePointer<xmlNode>?
            var attribute = Self.attribute(in: text)
            let node = raw.assumingMemoryBound(to: xmlNode.self)
            if node.pointee.type == XML_ELEMENT_NODE {
                element = node
            } else if node.pointee.type == XML_ATTRIBUTE_NODE {
                let attr = raw.assumingMemoryBound(to: xmlAttr.self)
                element = attr.pointee.parent
                if let name = attr.pointee.name {
                    let local = String(cString: name)
                    if let ns = attr.pointee.ns, let prefix = ns.pointee.prefix { attribute = String(cString: prefix) + ":" + local } else { attribute = local }
                }
            }
            if let element {
                let nodeLine = Int(xmlGetLineNo(element))
                let name = qualifiedName(element)
                if nodeLine > 0 {
                    request = XMLStartTagLocator.Request(line: nodeLine, qualifiedName: name, occurrence: occurrence(nodeLine, name), attribute: attribute)
                }
            }
        } else if e.domain == Int32(XML_FROM_SCHEMASV.rawValue), let line, let element = Self.quoted(after: "Element '", in: text) {
            // Streaming validation gives no node: the message names the element (without prefix).
            request = XMLStartTagLocator.Request(line: line, qualifiedName: element, occurrence: 0, attribute: Self.attribute(in: text), anyPrefix: true)
        } else {
            // A well-formedness error: the parse cannot go on.
            if e.level == XML_ERR_FATAL { fatal = true }
        }
        errors.append(Entry(line: line, column: e.int2 > 0 ? Int(e.int2) : nil, request: request, message: text, code: Int(e.code)))
    }

    /// `Element '{urn:…}unit', attribute 'x': …` → `Element 'unit', attribute 'x': …` (sets of
    /// values such as `{'yes', 'no'}` are kept).
    static func simplify(_ message: String) -> String {
        var out = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let inside = rest[rest.index(after: open)..<close]
            if inside.contains(":") && !inside.contains("'") && !inside.contains(" ") {
                rest = rest[rest.index(after: close)...]
            } else {
                out += rest[open...close]
                rest = rest[rest.index(after: close)...]
            }
        }
        out += rest
        return out
    }

    /// The attribute a schema message is about (`attribute 'foo'`), if any.
    static func attribute(in message: String) -> String? {
        quoted(after: "attribute '", in: message)
    }

    /// The text between `marker` (ending with a quote) and the next quote.
    static func quoted(after markerText: String, in message: String) -> String? {
        let marker = Array(markerText.utf8)
        let bytes = Array(message.utf8)
        guard bytes.count > marker.count else { return nil }
        for i in 0...(bytes.count - marker.count) where Array(bytes[i..<(i + marker.count)]) == marker {
            let start = i + marker.count
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "'")), end > start else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return nil
    }
}

let schemaErrorHandler: xmlStructuredErrorFunc = { ctx, error in
    guard let ctx, let error else { return }
    Unmanaged<XMLSchemaErrorCollector>.fromOpaque(ctx).takeUnretainedValue().record(UnsafePointer(error))
}

/// Maps remote schema locations to local files: an OASIS catalog's `uri`, `system`,
/// `rewriteURI` and `rewriteSystem` entries, then the file name inside the schema folder.
struct XMLSchemaResolver: Sendable {
    var exact: [String: String] = [:]
    var rewrites: [(prefix: String, replacement: String)] = []
    var byName: [String: [String]] = [:]
    var schemaFolder: String

    init(schemaFolder: String, catalogPath: String?) throws {
        self.schemaFolder = schemaFolder
        if let catalogPath {
            let root = try XMLDocumentParser.parse(path: catalogPath)
            let base = XMLSchemaValidatorPath.directory(of: catalogPath)
            func local(_ uri: String) -> String { uri.hasPrefix("/") ? uri : base + "/" + uri }
            for e in root.elements {
                switch e.name.local {
                case "uri":
                    if let name = e.attribute("name"), let uri = e.attribute("uri") { exact[name] = local(uri) }
                case "system":
                    if let id = e.attribute("systemId"), let uri = e.attribute("uri") { exact[id] = local(uri) }
                case "rewriteURI":
                    if let start = e.attribute("uriStartString"), let prefix = e.attribute("rewritePrefix") { rewrites.append((start, local(prefix))) }
                case "rewriteSystem":
                    if let start = e.attribute("systemIdStartString"), let prefix = e.attribute("rewritePrefix") { rewrites.append((start, local(prefix))) }
                default:
                    continue
                }
            }
            // The longest matching prefix wins, as catalogs specify.
            rewrites.sort { $0.prefix.count > $1.prefix.count }
        }
        for path in XMLSchemaValidatorPath.schemaFiles(under: schemaFolder) {
            let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
            byName[name, default: []].append(path)
        }
    }

    /// A local path for `url`, or nil.
    func resolve(_ url: String) -> String? {
        if let hit = exact[url] { return hit }
        for (prefix, replacement) in rewrites where url.hasPrefix(prefix) {
            let candidate = replacement + url.dropFirst(prefix.count)
            if access(candidate, R_OK) == 0 { return candidate }
        }
        let name = url.split(separator: "/").last.map(String.init) ?? url
        guard let paths = byName[name], !paths.isEmpty else { return nil }
        // Several files of that name: the one nearest the schema folder.
        return paths.min { $0.count < $1.count }
    }
}

/// The schema files of a folder.
public enum XMLSchemaFiles {
    /// Every `.xsd` file under `folder`, recursively (six levels at most, symbolic links to
    /// folders not followed).
    public static func all(under folder: String) -> [String] {
        XMLSchemaValidatorPath.schemaFiles(under: folder)
    }
}

/// Path helpers shared by the resolver and the validator.
enum XMLSchemaValidatorPath {
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Every `.xsd` under `folder` (depth-limited, no symlink loops).
    static func schemaFiles(under folder: String, depth: Int = 0) -> [String] {
        guard depth < 6, let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            let path = folder + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR { out += schemaFiles(under: path, depth: depth + 1) }
            else if name.hasSuffix(".xsd") { out.append(path) }
        }
        return out
    }
}

/// The process-wide external entity loader: libxml2 has one global hook, so resolvers are
/// registered here while a schema compiles.
enum XMLSchemaResolution {
    private struct State {
        var resolvers: [(Int, XMLSchemaResolver)] = []
        var next = 0
        var refusals: [String] = []
    }
    private static let state = Mutex(State())
    private static let installed: Void = {
        xmlSetExternalEntityLoader(versoEntityLoader)
    }()

    static func installLoader() { _ = installed }

    static func register(_ resolver: XMLSchemaResolver) -> Int {
        state.withLock { s in
            s.next += 1
            s.resolvers.append((s.next, resolver))
            return s.next
        }
    }

    static func unregister(_ token: Int) {
        state.withLock { s in s.resolvers.removeAll { $0.0 == token } }
    }

    static func takeRefusals() -> [String] {
        state.withLock { s in
            defer { s.refusals = [] }
            return s.refusals
        }
    }

    /// A local path for `url`, or nil (recording the refusal) when it would need the network.
    static func localPath(for url: String) -> String? {
        let lower = url.lowercased()
        if lower.hasPrefix("file://") {
            return String(url.dropFirst("file://".count))
        }
        let isRemote = lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("ftp://")
        if !isRemote { return url }
        return state.withLock { s -> String? in
            for (_, r) in s.resolvers.reversed() { if let hit = r.resolve(url) { return hit } }
            s.refusals.append(url)
            return nil
        }
    }
}

/// libxml2's hook for every external resource (schema imports and includes): local files
/// only, remote locations through the registered resolvers, nothing from the network.
private let versoEntityLoader: xmlExternalEntityLoader = { url, id, context in
    guard let url else { return nil }
    guard let path = XMLSchemaResolution.localPath(for: String(cString: url)) else { return nil }
    return xmlNoNetExternalEntityLoader(path, id, context)
}
