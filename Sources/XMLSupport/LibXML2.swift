internal import CLibXML2
import Synchronization

/// One-time process-wide libxml2 set-up; libxml2 is thread-safe once `xmlInitParser` has run.
enum LibXML2 {
    private static let initialized: Void = {
        xmlInitParser()
    }()

    /// Initialises libxml2 (once) and silences its stderr printing on the calling thread.
    static func prepareThread() {
        _ = initialized
        verso_xml_silence_thread()
    }

    /// The only parse options Verso uses for XML: never touch the network; no entity
    /// substitution, no DTD loading or validation, no XInclude; no "huge" mode (it disables
    /// libxml2's protections against entity amplification and very deep trees).
    static let secureOptions: Int32 = Int32(XML_PARSE_NONET.rawValue)
}

/// Collects the first error (and the warnings) that libxml2 reports through its structured
/// error handler. Passed to C as an unretained context pointer; its owner keeps it alive.
final class LibXML2ErrorSink {
    let displayPath: String
    var firstError: XMLError?
    var warnings: [XMLError] = []

    init(displayPath: String) {
        self.displayPath = displayPath
    }

    func record(_ error: UnsafePointer<xmlError>) {
        let e = error.pointee
        var text = e.message.map { String(cString: $0) } ?? "XML error"
        text = text.trimmingWhitespace().replacingNewlines()
        let line = e.line > 0 ? Int(e.line) : nil
        let column = e.int2 > 0 ? Int(e.int2) : nil
        let err = XMLError(
            location: .init(file: displayPath, line: line, column: column),
            message: text,
            code: Int(e.code)
        )
        if e.level == XML_ERR_WARNING {
            warnings.append(err)
        } else if firstError == nil {
            firstError = err
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    func replacingNewlines() -> String {
        String(self.map { $0.isNewline ? " " : $0 })
    }
}

/// The C callback libxml2 calls for every error; forwards to the `LibXML2ErrorSink` in `ctx`.
let libxml2StructuredErrorHandler: xmlStructuredErrorFunc = { ctx, error in
    guard let ctx, let error else { return }
    let sink = Unmanaged<LibXML2ErrorSink>.fromOpaque(ctx).takeUnretainedValue()
    sink.record(UnsafePointer(error))
}
