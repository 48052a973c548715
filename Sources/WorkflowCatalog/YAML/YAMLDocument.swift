import WorkflowModel
import Yams

/// YAML documents as `JSONValue`s: read keeping key order and where each value starts, and written back readably.
///
/// Unquoted scalars follow the YAML 1.2 core schema (see `PlainScalar`); quoted ones are always strings. Anchors,
/// aliases and `<<` merge keys are expanded.
public enum YAMLDocument {
    /// Parses one YAML document, returning its value and the location of every value by JSON Pointer.
    public static func parse(
        _ text: String
    ) throws(YAMLSyntaxError) -> (value: JSONValue, locations: [String: SourceLocation]) {
        let columns = ColumnConverter(text)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, implicitResolver)
        } catch {
            throw YAMLSyntaxError(error, columns: columns)
        }
        guard let root else {
            throw YAMLSyntaxError(message: "the document is empty", location: .init(line: 1, column: 1))
        }
        var builder = ValueBuilder(columns: columns)
        let value = try builder.value(of: root, at: "", depth: 0)
        return (value, builder.locations)
    }

    /// Untagged scalars resolve to this tag name, so they stay distinguishable from explicit `!!str` ones even after
    /// Yams resolves a tag in place (it does when hashing mapping keys).
    static let implicitTag = Tag.Name(rawValue: "tag:baton.local,2025:implicit")
    private static let implicitResolver = (try? Resolver.basic.appending(implicitTag, "^")) ?? .basic
}

/// Walks a composed YAML node tree into a `JSONValue`.
private struct ValueBuilder {
    let columns: ColumnConverter
    var locations: [String: SourceLocation] = [:]
    /// Values left before the document counts as an alias bomb.
    private var budget = 1_000_000
    private static let maxDepth = 512

    init(columns: ColumnConverter) { self.columns = columns }

    mutating func value(of node: Node, at pointer: String, depth: Int) throws(YAMLSyntaxError) -> JSONValue {
        let location = node.mark.map(columns.location)
        locations[pointer] = location
        budget -= 1
        guard budget > 0 else {
            throw YAMLSyntaxError(message: "the document expands to too many values", location: location)
        }
        guard depth < Self.maxDepth else {
            throw YAMLSyntaxError(message: "values are nested more than \(Self.maxDepth) deep", location: location)
        }
        switch node {
        case .scalar(let scalar): return try Self.value(of: scalar, location: location)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence {
                elements.append(try value(of: element, at: pointer + "/" + String(elements.count), depth: depth + 1))
            }
            return .array(elements)
        case .mapping(let mapping): return .object(try object(of: mapping, at: pointer, depth: depth))
        case .alias: throw YAMLSyntaxError(message: "an unresolved alias", location: location)
        }
    }

    private mutating func object(
        of mapping: Node.Mapping, at pointer: String, depth: Int
    ) throws(YAMLSyntaxError) -> JSONObject {
        var object = JSONObject()
        var merged: [Node] = []
        for (keyNode, valueNode) in mapping {
            let key = try Self.key(keyNode, columns: columns)
            if key == "<<", let scalar = keyNode.scalar, scalar.style == .plain,
                Self.isImplicit(Tag.Name(rawValue: scalar.tag.rawValue))
            {
                merged.append(valueNode)
                continue
            }
            guard object[key] == nil else {
                throw YAMLSyntaxError(
                    message: "the key \"\(key)\" appears twice", location: keyNode.mark.map(columns.location))
            }
            object[key] = try value(of: valueNode, at: pointer + "/" + JSONPointer.escape(key), depth: depth + 1)
        }
        // Merge keys add the members of the named mappings that the mapping does not set itself, earlier ones first.
        for source in merged.flatMap({ $0.sequence.map(Array.init) ?? [$0] }) {
            guard case .mapping(let sourceMapping) = source else {
                throw YAMLSyntaxError(
                    message: "a << merge key needs a mapping or a list of mappings",
                    location: source.mark.map(columns.location))
            }
            for (key, value) in try self.object(of: sourceMapping, at: pointer, depth: depth) where object[key] == nil {
                object[key] = value
            }
        }
        return object
    }

    private static func isImplicit(_ tag: Tag.Name) -> Bool { tag == .implicit || tag == YAMLDocument.implicitTag }

    private static func key(_ node: Node, columns: ColumnConverter) throws(YAMLSyntaxError) -> String {
        guard case .scalar(let scalar) = node else {
            throw YAMLSyntaxError(
                message: "a mapping key must be a plain value, not a list or mapping",
                location: node.mark.map(columns.location))
        }
        return scalar.string
    }

    private static func value(of scalar: Node.Scalar, location: SourceLocation?) throws(YAMLSyntaxError) -> JSONValue {
        let text = scalar.string
        let tag = Tag.Name(rawValue: scalar.tag.rawValue)
        if isImplicit(tag) {
            guard scalar.style == .plain else { return .string(text) }
            return try value(of: PlainScalar(text), text: text, location: location)
        }
        let meaning = PlainScalar(text)
        switch tag {
        case .null where meaning == .null: return .null
        case .bool: if case .bool(let b) = meaning { return .bool(b) }
        case .int, .float: if case .number(let n) = meaning { return .number(n) }
        case .null: break
        default: return .string(text)
        }
        throw YAMLSyntaxError(
            message: "\"\(text)\" is not a valid \(tag.rawValue.split(separator: ":").last ?? "")",
            location: location)
    }

    private static func value(
        of meaning: PlainScalar, text: String, location: SourceLocation?
    ) throws(YAMLSyntaxError) -> JSONValue {
        switch meaning {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let n): .number(n)
        case .string: .string(text)
        case .nonFinite:
            throw YAMLSyntaxError(
                message: "\(text) is not a finite number; quote it to make it a string", location: location)
        }
    }
}

/// Turns the YAML library's marks (columns in Unicode scalars) into `SourceLocation`s (columns in bytes).
struct ColumnConverter {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Where the block-mapping key `key` that first appears at `first` appears again, if it does.
    func repeatedKey(_ key: String, after first: Mark) -> SourceLocation? {
        let indent = first.column - 1
        for line in first.line..<lines.count {
            let text = lines[line]
            let prefix = text.unicodeScalars.prefix(indent)
            guard prefix.count == indent, prefix.allSatisfy({ $0 == " " }) else { continue }
            let rest = Substring(text.unicodeScalars.dropFirst(indent))
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).first == ":" {
                    return location(line: line + 1, scalarColumn: first.column)
                }
            }
        }
        return nil
    }

    func location(_ mark: Mark) -> SourceLocation {
        location(line: mark.line, scalarColumn: mark.column)
    }

    func location(line: Int, scalarColumn: Int) -> SourceLocation {
        guard lines.indices.contains(line - 1) else { return SourceLocation(line: line, column: scalarColumn) }
        var text = lines[line - 1]
        if line == 1, text.first == "\u{FEFF}" { text = text.dropFirst() }
        let prefix = text.unicodeScalars.prefix(max(scalarColumn - 1, 0))
        let bytes = prefix.reduce(0) { $0 + UTF8.width($1) }
        return SourceLocation(line: line, column: bytes + 1 + max(scalarColumn - 1 - prefix.count, 0))
    }
}

extension YAMLSyntaxError {
    /// Translates an error from Yams.
    init(_ error: any Error, columns: ColumnConverter) {
        guard let error = error as? YamlError else {
            self.init(message: String(describing: error))
            return
        }
        func message(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context, !context.text.isEmpty else { return problem }
            let at = columns.location(context.mark)
            return "\(problem) (\(context.text) at line \(at.line), column \(at.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            self.init(message: message(problem, context), location: columns.location(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            let first = columns.location(context.mark)
            let second = duplicates.count == 1 ? columns.repeatedKey(duplicates[0], after: context.mark) : nil
            self.init(message: "the key \(keys) appears twice (first at line \(first.line))", location: second ?? first)
        case .reader(let problem, let offset, _, let yaml):
            var location: SourceLocation?
            if let offset, let index = yaml.index(yaml.startIndex, offsetBy: offset, limitedBy: yaml.endIndex) {
                let before = yaml[..<index]
                let line = before.count(where: { $0 == "\n" }) + 1
                let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
                location = SourceLocation(line: line, column: yaml.utf8.distance(from: lineStart, to: index) + 1)
            }
            self.init(message: problem, location: location)
        default:
            self.init(message: String(describing: error))
        }
    }
}
