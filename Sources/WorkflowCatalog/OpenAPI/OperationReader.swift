import Foundation
import OpenAPIKit
import WorkflowModel

/// Turns the paths of a decoded document into `ConnectorOperation`s, in the order the document lists them.
struct OperationReader {
    let document: OpenAPI.Document
    let raw: RawDocument
    let schemas: SchemaReader
    private var warnings: [String] = []

    init(document: OpenAPI.Document, raw: RawDocument) {
        self.document = document
        self.raw = raw
        schemas = SchemaReader(components: document.components)
    }

    mutating func read() throws(OpenAPIImportError) -> OpenAPIImport.Result {
        var operations: [ConnectorOperation] = []
        for (path, rawItem) in raw.member(raw.root, "paths")?.objectValue ?? JSONObject() {
            guard let entry = document.paths[OpenAPI.Path(rawValue: path)] else { continue }
            let item = try lookup(entry)
            let rawItem = raw.resolved(rawItem)
            // The document's own order of methods, which OpenAPIKit's model does not keep.
            let methods =
                rawItem?.objectValue?.keys.compactMap { key in
                    key == key.lowercased() ? OpenAPI.BuiltinHttpMethod(rawValue: key.uppercased()) : nil
                } ?? OpenAPI.BuiltinHttpMethod.allCases
            for method in methods {
                guard let operation = item.for(.builtin(method)) else { continue }
                let place = "\(method.rawValue) \(path)"
                guard let id = operation.operationId, !id.isEmpty else {
                    warnings.append("\(place) has no operationId, so workflows cannot call it; it was left out")
                    continue
                }
                do {
                    operations.append(
                        try read(
                            operation, id: id, method: method, path: path, pathParameters: item.parameters,
                            rawOperation: raw.member(rawItem, method.rawValue.lowercased())
                        ))
                } catch {
                    throw OpenAPIImportError(message: "operation \(id) (\(place)): \(error.message)")
                }
            }
        }
        return OpenAPIImport.Result(operations: operations, warnings: warnings)
    }

    private mutating func read(
        _ operation: OpenAPI.Operation, id: String, method: OpenAPI.BuiltinHttpMethod, path: String,
        pathParameters: OpenAPI.Parameter.Array, rawOperation: JSONValue?
    ) throws(OpenAPIImportError) -> ConnectorOperation {
        let response = try successResponse(operation.responses, rawResponses: raw.member(rawOperation, "responses"))
        return ConnectorOperation(
            id: id,
            method: method.rawValue,
            path: path,
            summary: operation.summary ?? operation.description.flatMap(Self.firstLine),
            description: operation.description,
            tags: operation.tags ?? [],
            parameters: try parameters(pathParameters + operation.parameters),
            requestBody: try requestBody(operation.requestBody, id: id),
            responseShape: response?.shape,
            responseExample: response?.example,
            respondsWithJSON: response != nil
        )
    }

    /// Path-level parameters overridden by operation-level ones of the same name and location. Cookie parameters,
    /// and the headers the OpenAPI specification says to ignore, are left out.
    private func parameters(_ list: OpenAPI.Parameter.Array) throws(OpenAPIImportError) -> [OperationParameter] {
        var merged: [OpenAPI.Parameter] = []
        for entry in list {
            let parameter = try lookup(entry)
            if let i = merged.firstIndex(where: { $0.name == parameter.name && $0.location == parameter.location }) {
                merged[i] = parameter
            } else {
                merged.append(parameter)
            }
        }
        var parameters: [OperationParameter] = []
        for parameter in merged {
            let location: OperationParameter.Location
            switch parameter.location {
            case .path: location = .path
            case .query: location = .query
            case .header where !["accept", "content-type", "authorization"].contains(parameter.name.lowercased()):
                location = .header
            case .header, .cookie, .querystring: continue
            }
            let schema: JSONSchema?
            switch parameter.schemaOrContent {
            case .a(let context):
                switch context.schema {
                case .a(let reference): schema = .reference(reference.jsonReference)
                case .b(let inline): schema = inline
                }
            case .b(let content):
                if let entry = content.first?.value { schema = try lookup(entry).schema } else { schema = nil }
            }
            parameters.append(
                OperationParameter(
                    name: parameter.name,
                    location: location,
                    required: parameter.required,
                    type: try schema.map { s throws(OpenAPIImportError) in try schemas.valueType(s) } ?? .any,
                    allowedValues: try schema.flatMap { s throws(OpenAPIImportError) in try schemas.allowedValues(s) }
                ))
        }
        return parameters
    }

    private mutating func requestBody(
        _ entry: Either<OpenAPI.Reference<OpenAPI.Request>, OpenAPI.Request>?, id: String
    ) throws(OpenAPIImportError) -> RequestBodyShape? {
        guard let entry else { return nil }
        let request = try lookup(entry)
        guard let content = try jsonContent(request.content) else {
            let types = request.content.keys.map(\.rawValue).joined(separator: ", ")
            warnings.append("operation \(id) takes a request body that is not JSON (\(types)); its body was left out")
            return nil
        }
        guard let schema = content.schema else {
            return RequestBodyShape(required: request.required, requiredProperties: [], shape: "any")
        }
        return RequestBodyShape(
            required: request.required,
            requiredProperties: try schemas.requiredProperties(schema),
            shape: try schemas.shape(schema, markRequired: true)
        )
    }

    /// The shape and example of the first 2xx response with JSON content.
    private func successResponse(
        _ responses: OpenAPI.Response.Map, rawResponses: JSONValue?
    ) throws(OpenAPIImportError) -> (shape: String?, example: JSONValue?)? {
        for (status, entry) in responses where status.isSuccess {
            let response = try lookup(entry)
            guard let content = try jsonContent(response.content) else { continue }
            let shape = try content.schema.map { s throws(OpenAPIImportError) in
                try schemas.shape(s, markRequired: false)
            }
            let rawResponse = rawResponses?.objectValue?.first { $0.key.uppercased() == status.rawValue.uppercased() }
            let rawContent = raw.member(rawResponse?.value, "content")?.objectValue
            let rawMediaType = rawContent.flatMap { RawDocument.jsonMediaType(in: Array($0.keys), name: { $0 }) }
            let example =
                raw.example(ofMediaType: rawMediaType.flatMap { rawContent?[$0] })
                ?? (content.example ?? content.examples?.first?.value.b?.value?.value).map { JSONValue(anyCodable: $0) }
            return (shape, example)
        }
        return nil
    }

    /// The first JSON media type of a content map.
    private func jsonContent(_ map: OpenAPI.Content.Map) throws(OpenAPIImportError) -> OpenAPI.Content? {
        guard let type = RawDocument.jsonMediaType(in: Array(map.keys), name: \.rawValue), let entry = map[type] else {
            return nil
        }
        return try lookup(entry)
    }

    private func lookup<T: ComponentDictionaryLocatable>(
        _ entry: Either<OpenAPI.Reference<T>, T>
    ) throws(OpenAPIImportError) -> T {
        do {
            return try document.components.lookup(entry)
        } catch {
            let reference = entry.a?.absoluteString ?? "?"
            throw OpenAPIImportError(message: "the reference \(reference) cannot be resolved")
        }
    }

    private static func firstLine(_ text: String) -> String? {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces)
        return line?.isEmpty == false ? line : nil
    }
}
