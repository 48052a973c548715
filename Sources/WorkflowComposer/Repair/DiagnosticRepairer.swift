import Foundation
import WorkflowModel

/// Repairs guided by the validator's diagnostics, for the mistakes small models make most whose fix is plain:
/// an input used but not declared (declared), a step id used twice (the later step renamed, and the references
/// after it, which can only mean the nearest step of that id, renamed with it), and a reference one obvious
/// rename away from an existing step (`find` for `find_customer`, `send_emial` for `send_email`) or a declared
/// input written without `input.` (`equipment` for `input.equipment`), or a name that is no step's but reads a
/// field only one step it may read gives (`${lookup.items}` for the `crm.searchCustomers` call), or is one
/// (`${lowered_email}` for the transform whose output has it). A name like no step's that reads only plain fields
/// (`${find_customer.phone}` with no such step) reads data no step gives: the trigger's payload, or a declared input.
struct DiagnosticRepairer {
    /// What calls return, to point a reference by the field it reads; without it only transforms' outputs are known.
    var catalog: ConnectorCatalog?
    private(set) var repairs: [String] = []

    /// `document` with what `diagnostics` allows to be fixed fixed; the same document when nothing applies.
    mutating func repair(_ document: JSONValue, diagnostics: [Diagnostic]) -> JSONValue {
        var document = document
        for diagnostic in diagnostics where diagnostic.code == .stepIdDuplicate {
            document = renameDuplicate(document, at: diagnostic.pointer)
        }
        let stepIds = Self.stepIds(in: document)
        let inputs = Set((document["inputs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        let loopVariables = Set(["item"] + document.nestedObjects.compactMap { $0["kind"] == "foreach" ? $0["as"]?.stringValue : nil })
        for diagnostic in diagnostics where diagnostic.code == .referenceUnknown {
            guard let name = Self.quoted(after: "refers to ", in: diagnostic.message) else { continue }
            // A declared input written without its `input.` (`${email}` for `${input.email}`), or a step's near-miss;
            // never the step the reference is in (`${buyer.phone}` in `text_buyer`), which cannot read itself.
            let enclosing = Self.enclosingStepIds(of: diagnostic.pointer, in: document)
            let others = stepIds.filter { !enclosing.contains($0) }
            var found = inputs.contains(name) && !stepIds.contains(name) ? "input." + name : Self.nearest(name, among: others)
            var how = found?.hasPrefix("input.") == true ? "the declared input" : "the step of that name"
            // Otherwise a name no step has: what it reads names the step, when one step it may read alone gives that
            // field (`${lookup.items}`), or the name is such a field itself (`${lowered_email}` of a transform's output).
            let readable = found == nil ? Self.readable(diagnostic.hint, stepIds: stepIds) : []
            if found == nil, let field = Self.field(readFrom: name, in: diagnostic.message), let step = yielding(field, among: readable, in: document) {
                found = step
                how = "the one step it may read that gives \"\(field)\""
            } else if found == nil, let step = yielding(name, among: readable, in: document) {
                found = "\(step).\(name)"
                how = "the field of the one step it may read that gives it"
            }
            guard case .string(let text)? = JSONPointer.resolve(diagnostic.pointer, in: document) else { continue }
            // Failing all those, a name like no step's that only reads plain fields (`${find_customer.phone}`) asks
            // for data the workflow is not given by any step: the trigger's payload for an event or webhook, else inputs.
            // A loop's variable (`item`, or another loop's `as`) is no such data: a slip the model is shown instead.
            // A payload is any JSON, so it may be read deeper (`${get_email.message.status}`, `${find_customer.items[0].id}`);
            // an input is one value.
            let trigger = document["trigger"]?["type"]?.stringValue
            let payload = trigger == "event" || trigger == "webhook"
            if found == nil, !loopVariables.contains(name), Self.near(name, among: others).isEmpty,
                let fields = Self.plainFields(readFrom: name, in: text, nested: payload)
            {
                if payload {
                    found = "trigger"
                    how = "no step gives it: the trigger's payload"
                } else {
                    found = "input"
                    how = "no step gives it: an input"
                    for field in fields { document = declare(field, in: document) }
                }
            }
            guard let target = found else { continue }
            let fixed = Self.renameReferences(in: text, from: name, to: target)
            guard fixed != text else { continue }
            document = Self.replacing(diagnostic.pointer, in: document, with: .string(fixed))
            repairs.append("\(diagnostic.pointer): the reference to \"\(name)\" → \"\(target)\" (\(how))")
        }
        for diagnostic in diagnostics where diagnostic.code == .referenceInputUnknown {
            guard let name = Self.quoted(after: "names an input ", in: diagnostic.message) else { continue }
            document = declare(name, in: document)
        }
        // Last: it moves steps, and the fixes above find their places by pointer.
        if diagnostics.contains(where: { $0.code == .referenceLoopBody }) { document = intoLoops(document) }
        return document
    }

    /// `document` with each step right after a loop that reads the loop's item or a step inside it (`${vin}`,
    /// `${decode_vehicle.make}` after `foreach ... as vin`) moved to the end of the loop's steps, where those exist:
    /// work done per item that the model closed the loop before.
    private mutating func intoLoops(_ document: JSONValue) -> JSONValue {
        var moved: [String] = []
        let changed = document.mappingStepLists { at, steps in
            var result: [JSONValue] = []
            for step in steps {
                guard case .object(var loop)? = result.last, loop["kind"] == "foreach", var body = loop["steps"]?.arrayValue else {
                    result.append(step)
                    continue
                }
                let inside = [loop["as"]?.stringValue ?? "item"] + Self.stepIds(in: .array(body))
                guard inside.contains(where: { LoopSteps.reads(step, $0) }) else {
                    result.append(step)
                    continue
                }
                body.append(step)
                loop["steps"] = .array(body)
                result[result.count - 1] = .object(loop)
                moved.append("\(at)/\(result.count - 1): \(step["id"]?.stringValue ?? "a step") reads what the loop before it holds, so it runs in it")
            }
            return result
        }
        repairs += moved
        return changed
    }

    /// `document` with a required input `name` declared, unless it is declared already or not an identifier.
    private mutating func declare(_ name: String, in document: JSONValue) -> JSONValue {
        guard Self.isIdentifier(name), case .object(var root) = document else { return document }
        var inputs = root["inputs"]?.arrayValue ?? []
        guard !inputs.contains(where: { $0["name"]?.stringValue == name }) else { return document }
        inputs.append(.object(JSONObject([("name", .string(name)), ("required", true)])))
        root["inputs"] = .array(inputs)
        repairs.append("/inputs: declared the input \"\(name)\" that the steps use")
        return .object(root)
    }

    /// Renames the step whose id is at `pointer` (`.../id`) to a free id, and references to the old id that come
    /// after it in the document to the new one.
    private mutating func renameDuplicate(_ document: JSONValue, at pointer: String) -> JSONValue {
        guard pointer.hasSuffix("/id"), case .string(let old)? = JSONPointer.resolve(pointer, in: document) else { return document }
        let new = Self.freeId(old, among: Set(Self.stepIds(in: document)))
        var passed = false
        func walk(_ value: JSONValue, _ at: String) -> JSONValue {
            switch value {
            case .string(let text) where passed:
                // A string without `${` is an expression only in a field that holds one: not a kind ("fail"), an
                // error code or a message.
                let key = JSONPointer.tokens(at).last ?? ""
                guard text.contains("${") || Self.expressionFields.contains(key) else { return value }
                return .string(Self.renameReferences(in: text, from: old, to: new))
            case .array(let items):
                return .array(items.enumerated().map { walk($1, "\(at)/\($0)") })
            case .object(let object):
                var result = object
                // The step itself: renamed first, so that its own fields already see its new name.
                let isTheStep = "\(at)/id" == pointer
                if isTheStep {
                    passed = true
                    result["id"] = .string(new)
                }
                for (key, item) in object where !(isTheStep && key == "id") {
                    result[key] = walk(item, "\(at)/\(JSONPointer.escape(key))")
                }
                return .object(result)
            default:
                return value
            }
        }
        let renamed = walk(document, "")
        repairs.append("\(pointer): the second step with the id \"\(old)\" is now \"\(new)\", and the references after it follow it")
        return renamed
    }

    /// The one step among `ids` whose output has a top-level `field`: a call's response by the catalog, a transform's
    /// output object as written; none when that is not one step alone.
    func yielding(_ field: String, among ids: [String], in document: JSONValue) -> String? {
        guard !ids.isEmpty else { return nil }
        let wanted = Set(ids)
        var found: [String] = []
        for object in document.nestedObjects {
            guard case .string(let id)? = object["id"], wanted.contains(id), !found.contains(id) else { continue }
            let fields: [String] = switch object["kind"]?.stringValue {
            case "call":
                object["connector"]?.stringValue.flatMap { connector in
                    object["operation"]?.stringValue.flatMap { catalog?[connector]?.operation($0)?.responseFields }
                } ?? []
            case "transform":
                object["output"]?.objectValue?.map(\.key) ?? []
            default:
                []
            }
            if fields.contains(field) { found.append(id) }
        }
        return found.count == 1 ? found.first : nil
    }

    /// The first field a reference reads after its unknown name: `items` in `${lookup.items[0].id} refers to ...`.
    static func field(readFrom name: String, in message: String) -> String? {
        guard message.hasPrefix("${\(name).") else { return nil }
        let field = message.dropFirst(name.count + 3).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return field.isEmpty ? nil : String(field)
    }

    /// The step ids a validator hint says may be read where a reference is (`Refer to one of: input, trigger, a, b.`).
    static func readable(_ hint: String, stepIds: [String]) -> [String] {
        guard let start = hint.range(of: "Refer to one of: ") else { return [] }
        let names = hint[start.upperBound...].trimmingCharacters(in: ["."]).components(separatedBy: ", ")
        return names.filter { stepIds.contains($0) }
    }

    /// The ids of the steps that hold `pointer`, outermost first.
    static func enclosingStepIds(of pointer: String, in document: JSONValue) -> [String] {
        var ids: [String] = []
        var current: JSONValue? = document
        for token in JSONPointer.tokens(pointer) {
            if let id = current?["id"]?.stringValue, current?["kind"] != nil { ids.append(id) }
            current = switch current {
            case .object(let object)?: object[token]
            case .array(let items)?: Int(token).flatMap { items.indices.contains($0) ? items[$0] : nil }
            default: nil
            }
        }
        return ids
    }

    /// `base` when no step has it, else the first of `base_2`, `base_3` ... that none has.
    static func freeId(_ base: String, among taken: Set<String>) -> String {
        guard taken.contains(base) else { return base }
        var number = 2
        while taken.contains("\(base)_\(number)") { number += 1 }
        return "\(base)_\(number)"
    }

    /// Every step id in the document, wherever the step is nested.
    static func stepIds(in document: JSONValue) -> [String] {
        document.nestedObjects.compactMap { object in
            guard case .string(let id)? = object["id"], object["kind"] != nil else { return nil }
            return id
        }
    }

    /// The one step id that `name` is an obvious slip for: the same words with one more or one fewer
    /// (`find` ↔ `find_customer`), or a typo or two away; failing those, the same words but for a verb an API
    /// names otherwise (`find_customer` for `search_customers`: small models copy the field guide's names). None
    /// when that is not one id alone.
    static func nearest(_ name: String, among ids: [String]) -> String? {
        guard !ids.contains(name) else { return nil }
        let candidates = near(name, among: ids)
        return candidates.count == 1 ? candidates.first : nil
    }

    /// The ids `name` could be a slip for: a word more or fewer or a typo away; failing those, the same words by synonym.
    static func near(_ name: String, among ids: [String]) -> Set<String> {
        let ids = Set(ids)
        let candidates = ids.filter { id in
            id.hasPrefix(name + "_") || id.hasSuffix("_" + name) || name.hasPrefix(id + "_") || name.hasSuffix("_" + id)
                || editDistance(name, id) <= (name.count >= 8 ? 2 : 1)
        }
        return candidates.isEmpty ? ids.filter { sameWords(name, $0) } : candidates
    }

    /// The fields `name` is read for in `text` when every use of it reads one plain field and no further
    /// (`${find_customer.phone}`, not `find_customer.items[0]` or `find_customer` alone), or with `nested` plain
    /// fields of it (`${get_email.message.status}`, still not an index or a call); nil otherwise.
    static func plainFields(readFrom name: String, in text: String, nested: Bool = false) -> [String]? {
        let deeper = nested ? "(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[[0-9]+\\])*" : ""
        let pattern = pathStart(name) + "(\\.([A-Za-z_][A-Za-z0-9_]*)\(deeper))?([.\\[(]?)"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        var fields: [String] = []
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let field = Range(match.range(at: 2), in: text), let after = Range(match.range(at: 3), in: text), text[after].isEmpty
            else { return nil }
            if !fields.contains(String(text[field])) { fields.append(String(text[field])) }
        }
        return fields.isEmpty ? nil : fields
    }

    /// Whether two ids have the same words, lightly stemmed, each the same or one a synonym of the other.
    static func sameWords(_ a: String, _ b: String) -> Bool {
        let left = SearchTerms.terms(a), right = SearchTerms.terms(b)
        guard left.count == right.count, left.count > 1 else { return false }
        return zip(left, right).allSatisfy { x, y in
            x == y || SearchTerms.synonyms[x]?.contains(y) == true || SearchTerms.synonyms[y]?.contains(x) == true
        }
    }

    /// A pattern for `name` as the first name of a path: not after a letter, digit, `_` or `.`, nor before one or `(`.
    static func pathStart(_ name: String) -> String {
        "(?<![A-Za-z0-9_.])" + NSRegularExpression.escapedPattern(for: name) + "(?![A-Za-z0-9_(])"
    }

    /// The fields whose whole string is an expression, written without `${}`.
    static let expressionFields: Set<String> = ["if", "when", "items"]

    /// `old` as the first name of a path (`old.field`, `old[0]`, `old` alone), not as a later part of one.
    static func renameReferences(in text: String, from old: String, to new: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pathStart(old)) else { return text }
        // Only inside expressions: a `${...}` or a whole expression field (no `${` at all).
        return ExpressionText.mapping(text) { inner in
            regex.stringByReplacingMatches(
                in: inner, range: NSRange(inner.startIndex..., in: inner), withTemplate: NSRegularExpression.escapedTemplate(for: new))
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The `"..."` after `lead` in a validator message: the name it is about.
    static func quoted(after lead: String, in message: String) -> String? {
        guard let start = message.range(of: lead + "\"", options: .backwards) else { return nil }
        let rest = message[start.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// `document` with the value at `pointer` replaced.
    static func replacing(_ pointer: String, in document: JSONValue, with value: JSONValue) -> JSONValue {
        func set(_ current: JSONValue, _ tokens: ArraySlice<String>) -> JSONValue {
            guard let token = tokens.first else { return value }
            switch current {
            case .object(var object):
                guard let child = object[token] else { return current }
                object[token] = set(child, tokens.dropFirst())
                return .object(object)
            case .array(var items):
                guard let index = Int(token), items.indices.contains(index) else { return current }
                items[index] = set(items[index], tokens.dropFirst())
                return .array(items)
            default:
                return current
            }
        }
        return set(document, JSONPointer.tokens(pointer)[...])
    }
}
