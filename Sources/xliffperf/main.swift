import XLIFF
import XMLSupport
import TranslationModel
import Foundation

let path = CommandLine.arguments[2]
let mode = CommandLine.arguments[1]
let t0 = Date()
var n = 0
switch mode {
case "xml":
    let r = try XMLStreamReader(path: path)
    while let _ = try r.next() { n += 1 }
case "read12":
    let r = try XLIFF12Reader(path: path)
    while let e = try r.next() { if case .unit = e { n += 1 } }
case "write12":
    let r = try XLIFF12Reader(path: path)
    let w = try XLIFF12Writer(displayPath: "x") { _ in }
    while let e = try r.next() { try w.write(e); n += 1 }
default: break
}
print(mode, n, Date().timeIntervalSince(t0))
