import Foundation
import WorkflowModel
import Yams

/// Reads a folder of connector registrations (`*.connector.yaml`, `.yml` or `.json`), each naming an OpenAPI 3.0 or
/// 3.1 document beside it, into a `ConnectorCatalog`.
public enum CatalogLoader {
    /// Loads every connector in `directory`. A folder without registrations gives an empty catalog.
    public static func load(directory: URL) throws(CatalogError) -> ConnectorCatalog {
        try loadWithWarnings(directory: directory).catalog
    }

    /// Loads every connector in `directory`, also returning what was left out along the way.
    public static func loadWithWarnings(
        directory: URL
    ) throws(CatalogError) -> (catalog: ConnectorCatalog, warnings: [CatalogWarning]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw CatalogError(.directoryNotFound, file: displayPath(directory), "the connector folder does not exist")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw CatalogError(.unreadableFile, file: displayPath(directory), "the folder cannot be read")
        }
        var connectors: [Connector] = []
        var fileByName: [String: String] = [:]
        var warnings: [CatalogWarning] = []
        for name in names.sorted() where registrationSuffixes.contains(where: { name.hasSuffix($0) }) {
            let file = directory.appendingPathComponent(name)
            var reader = RegistrationReader(file: file)
            let connector = try reader.connector()
            if let first = fileByName[connector.name] {
                throw CatalogError(
                    .duplicateConnector, file: displayPath(file),
                    "the connector name \"\(connector.name)\" is already used by \(first)", at: reader.location("/name")
                )
            }
            fileByName[connector.name] = displayPath(file)
            connectors.append(connector)
            warnings += reader.warnings
        }
        return (ConnectorCatalog(connectors), warnings)
    }

    static let registrationSuffixes = [".connector.yaml", ".connector.yml", ".connector.json"]

    /// `url`'s path, relative to the current directory when it is inside it, for messages.
    static func displayPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let current = FileManager.default.currentDirectoryPath
        return path.hasPrefix(current + "/") ? String(path.dropFirst(current.count + 1)) : path
    }
}

/// Reads and checks one registration and its OpenAPI document.
private struct RegistrationReader {
    let file: URL
    let path: String
    private var locations: [String: SourceLocation] = [:]
    private(set) var warnings: [CatalogWarning] = []

    init(file: URL) {
        self.file = file
        path = CatalogLoader.displayPath(file)
    }

    func location(_ pointer: String) -> SourceLocation? { locations[pointer] }

    private func error(_ code: CatalogError.Code, _ message: String, at pointer: String? = nil) -> CatalogError {
        CatalogError(code, file: path, message, at: pointer.flatMap { locations[$0] })
    }

    mutating func connector() throws(CatalogError) -> Connector {
        let value = try parse()
        let registration: ConnectorRegistration
        do {
            registration = try YAMLDecoder().decode(ConnectorRegistration.self, from: value.yamlNode(forDecoding: true))
        } catch let decoding as DecodingError {
            throw error(.invalidRegistration, decoding.registrationMessage, at: "")
        } catch {
            throw self.error(.invalidRegistration, "the registration cannot be read: \(error)", at: "")
        }
        for key in value.objectValue?.keys ?? [] where !ConnectorRegistration.fields.contains(key) {
            warnings.append(CatalogWarning(file: path, "unknown field \"\(key)\" is ignored"))
        }
        for key in value["auth"]?.objectValue?.keys ?? [] where !ConnectorRegistration.authFields.contains(key) {
            warnings.append(CatalogWarning(file: path, "unknown field \"auth.\(key)\" is ignored"))
        }
        try check(name: registration.name)
        let fileName = String(file.lastPathComponent.prefix { $0 != "." })
        if fileName != registration.name {
            warnings.append(
                CatalogWarning(file: path, "the connector is named \"\(registration.name)\", not \"\(fileName)\""))
        }
        let auth = try auth(registration.auth)
        try check(baseURL: registration.baseURL)
        let redirects = try redirects(registration.redirects)
        let operations = try operations(openapi: registration.openapi)
        return Connector(
            name: registration.name, title: registration.title, description: registration.description,
            baseURL: registration.baseURL, auth: auth, redirects: redirects, operations: operations
        )
    }

    private mutating func parse() throws(CatalogError) -> JSONValue {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw self.error(.unreadableFile, "the file cannot be read as UTF-8 text")
        }
        if file.pathExtension == "json" {
            var parser = JSONParser(bytes: Array(text.utf8), recordLocations: true)
            do {
                let value = try parser.parseDocument()
                locations = parser.locations
                return value
            } catch {
                throw CatalogError(.invalidSyntax, file: path, "not valid JSON: \(error)", at: error.location)
            }
        }
        do {
            let (value, locations) = try YAMLDocument.parse(text)
            self.locations = locations
            return value
        } catch {
            throw CatalogError(.invalidSyntax, file: path, "not valid YAML: \(error)", at: error.location)
        }
    }

    private func check(name: String) throws(CatalogError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), allowed else {
            throw error(
                .invalidName,
                "the connector name \"\(name)\" must start with a lower-case letter and use only a-z, 0-9, _ and -",
                at: "/name"
            )
        }
    }

    private func auth(_ auth: ConnectorRegistration.Auth) throws(CatalogError) -> ConnectorAuth {
        func required(_ field: String, _ value: String?, _ why: String) throws(CatalogError) -> String {
            guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(.invalidAuth, "auth type \(auth.type) needs \"\(field)\", \(why)", at: "/auth")
            }
            return value
        }
        let secretWhy = "the name of the secret holding the credential"
        switch auth.type {
        case "none": return .none
        case "bearer": return .bearer(secret: try required("secret", auth.secret, secretWhy))
        case "apiKey":
            return .apiKey(
                header: try required("header", auth.header, "the HTTP header that carries the key"),
                secret: try required("secret", auth.secret, secretWhy)
            )
        case "basic":
            return .basic(
                username: try required("username", auth.username, "the user name to send"),
                secret: try required("secret", auth.secret, secretWhy)
            )
        default:
            throw error(
                .invalidAuth, "auth type \"\(auth.type)\" is not one of bearer, apiKey, basic, none", at: "/auth/type")
        }
    }

    private func redirects(_ text: String?) throws(CatalogError) -> RedirectPolicy {
        guard let text else { return .never }
        guard let policy = RedirectPolicy(rawValue: text) else {
            let allowed = RedirectPolicy.allCases.map(\.rawValue).joined(separator: " or ")
            throw error(.invalidRegistration, "redirects \"\(text)\" is not \(allowed)", at: "/redirects")
        }
        return policy
    }

    private func check(baseURL: String) throws(CatalogError) {
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            throw error(.invalidBaseURL, "the baseURL \"\(baseURL)\" is not an http or https URL", at: "/baseURL")
        }
    }

    private mutating func operations(openapi: String) throws(CatalogError) -> [ConnectorOperation] {
        let url =
            openapi.hasPrefix("/")
            ? URL(fileURLWithPath: openapi) : file.deletingLastPathComponent().appendingPathComponent(openapi)
        let documentPath = CatalogLoader.displayPath(url)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw error(.missingOpenAPI, "the OpenAPI document \"\(openapi)\" does not exist", at: "/openapi")
        }
        let result: OpenAPIImport.Result
        do {
            result = try OpenAPIImport.operations(from: try Data(contentsOf: url))
        } catch let error as OpenAPIImportError {
            throw CatalogError(.invalidOpenAPI, file: documentPath, error.description, at: error.location)
        } catch {
            throw CatalogError(.unreadableFile, file: documentPath, "the file cannot be read")
        }
        var seen: [String: ConnectorOperation] = [:]
        for operation in result.operations {
            if let first = seen[operation.id] {
                throw CatalogError(
                    .duplicateOperation, file: documentPath,
                    "operationId \"\(operation.id)\" is used by both \(first.method) \(first.path) "
                        + "and \(operation.method) \(operation.path)"
                )
            }
            seen[operation.id] = operation
        }
        warnings += result.warnings.map { CatalogWarning(file: documentPath, $0) }
        return result.operations
    }
}
