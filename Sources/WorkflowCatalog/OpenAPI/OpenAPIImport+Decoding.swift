import Foundation
import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat
import WorkflowModel
import Yams

extension OpenAPIImport {
    /// The document as a `JSONValue`, keeping key order; examples are read from it and OpenAPIKit decodes it.
    static func parse(_ data: Data) throws(OpenAPIImportError) -> JSONValue {
        guard let text = String(data: data, encoding: .utf8) else {
            throw OpenAPIImportError(message: "the document is not UTF-8 text")
        }
        if text.first(where: { !$0.isWhitespace }) == "{" {
            do {
                return try JSONParser.parse(text)
            } catch {
                throw OpenAPIImportError(
                    message: "the document is not valid JSON: \(error.message)", location: error.location)
            }
        }
        do {
            return try YAMLDocument.parse(text).value
        } catch {
            throw OpenAPIImportError(
                message: "the document is not valid YAML: \(error.message)", location: error.location)
        }
    }

    /// Decodes the document with OpenAPIKit, converting 3.0 documents to the 3.1 model.
    static func decode(_ raw: JSONValue) throws(OpenAPIImportError) -> OpenAPIKit.OpenAPI.Document {
        let version: String
        switch raw["openapi"] {
        case .string(let text): version = text
        case .number(let number): version = String(number)
        default:
            if raw["swagger"] != nil {
                throw OpenAPIImportError(message: "Swagger 2.0 documents are not supported; convert it to OpenAPI 3")
            }
            throw OpenAPIImportError(message: "this is not an OpenAPI document: it has no \"openapi\" version")
        }
        // Decoding from a node built from the parsed value keeps key order and leaves quoted strings strings.
        let node = raw.yamlNode(forDecoding: true)
        do {
            if version.hasPrefix("3.0.") {
                return try YAMLDecoder().decode(OpenAPIKit30.OpenAPI.Document.self, from: node).convert(to: .v3_1_1)
            }
            if version.hasPrefix("3.1.") || version.hasPrefix("3.2.") {
                return try YAMLDecoder().decode(OpenAPIKit.OpenAPI.Document.self, from: node)
            }
        } catch {
            let readable = OpenAPIKit.OpenAPI.Error(from: error)
            let path = readable.codingPathString
            throw OpenAPIImportError(
                message: "the document is not valid OpenAPI: \(readable.localizedDescription)"
                    + (path.isEmpty ? "" : " (at \(path))")
            )
        }
        throw OpenAPIImportError(message: "OpenAPI version \(version) is not supported; use 3.0.x or 3.1.x")
    }
}
