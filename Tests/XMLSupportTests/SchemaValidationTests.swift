import XCTest
import TestSupport
@testable import XMLSupport
import Diagnostics

final class SchemaValidationTests: XCTestCase {
    private let schemas = TestPaths.sharedFile("standards/schemas")

    private func conformance(_ relative: String) -> String {
        TestPaths.sharedFile("standards/conformance/\(relative)").path
    }

    func testValidDocumentHasNoViolationsWithTheCatalogFoundAboveTheSchema() throws {
        let validator = try XMLSchemaValidator(schemaPath: schemas.appendingPathComponent("xliff21-all-modules.xsd").path)
        XCTAssertEqual(validator.validate(path: conformance("xliff21/core/valid/everything-core.xlf")), [])
        XCTAssertEqual(validator.validate(path: conformance("xliff21/modules/valid/Good-mtc_match-with-inlines.xlf")), [])
    }

    func testViolationsCarryLineAndColumnOfTheAttribute() throws {
        let validator = try XMLSchemaValidator(schemaPath: schemas.appendingPathComponent("xliff21-all-modules.xsd").path)
        let path = conformance("xliff21/core/invalid/bad_InvalidStateValue.xlf")
        let errors = validator.validate(path: path)
        XCTAssertEqual(errors.count, 1, "\(errors)")
        XCTAssertEqual(errors.first?.location, SourceLocation(file: path, line: 5, column: 13))
        XCTAssertTrue(errors.first?.message.contains("badState") ?? false, "\(errors)")
    }

    func testEveryViolationIsReported() throws {
        let validator = try XMLSchemaValidator(schemaPath: schemas.appendingPathComponent("xliff21-all-modules.xsd").path)
        let errors = validator.validate(path: conformance("xliff21/core/invalid/bad_InvalidTypeValue.xlf"))
        XCTAssertEqual(errors.map(\.location.line), [13])
        let module = validator.validate(path: conformance("xliff21/modules/invalid/Bad-val_invalid-occurs.xlf"))
        XCTAssertFalse(module.isEmpty)
    }

    func testImportsResolveByFileNameWhenThereIsNoCatalog() throws {
        let folder = TestPaths.temporaryFolder("schema-by-name")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: schemas.appendingPathComponent("xml/xml.xsd"), to: folder.appendingPathComponent("xml.xsd"))
        let schema = folder.appendingPathComponent("doc.xsd")
        try """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
          <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="http://www.w3.org/2001/xml.xsd"/>
          <xs:element name="doc"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
            <xs:attribute ref="xml:lang"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>
        </xs:schema>
        """.write(to: schema, atomically: true, encoding: .utf8)
        let validator = try XMLSchemaValidator(schemaPath: schema.path)
        XCTAssertEqual(validator.validate(bytes: Array("<doc xmlns='urn:t' xml:lang='fr'>x</doc>".utf8), displayPath: "ok.xml"), [])
        let bad = validator.validate(bytes: Array("<doc xmlns='urn:t' xml:space='sometimes'>x</doc>".utf8), displayPath: "bad.xml")
        XCTAssertEqual(bad.first?.location.file, "bad.xml")
        XCTAssertEqual(bad.first?.location.line, 1)
    }

    func testSchemaNeedingTheNetworkIsRefused() throws {
        let folder = TestPaths.temporaryFolder("schema-remote")
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = folder.appendingPathComponent("remote.xsd")
        try """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
          <xs:import namespace="urn:elsewhere" schemaLocation="http://example.invalid/elsewhere.xsd"/>
        </xs:schema>
        """.write(to: schema, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try XMLSchemaValidator(schemaPath: schema.path)) { error in
            XCTAssertTrue("\(error)".contains("http://example.invalid/elsewhere.xsd"), "\(error)")
            XCTAssertTrue("\(error)".contains("network"), "\(error)")
        }
    }

    func testDocumentThatIsNotWellFormedGivesItsParseError() throws {
        let validator = try XMLSchemaValidator(schemaPath: schemas.appendingPathComponent("xliff21-all-modules.xsd").path)
        let path = TestPaths.fixture("xml/mismatched-tag.xml").path
        let errors = validator.validate(path: path)
        XCTAssertEqual(errors.last?.location.file, path)
        XCTAssertNotNil(errors.last?.location.line)
    }
}
