import Foundation

/// What changed between two versions of a workflow, step by step.
public struct WorkflowDiff: Sendable, Hashable {
    public enum Change: Sendable, Hashable {
        case added(id: String, summary: String)
        case removed(id: String, summary: String)
        case renamed(from: String, to: String)
        case changed(id: String, fields: [FieldChange])
        /// A change outside the steps: name, trigger, inputs, error policy.
        case workflow(fields: [FieldChange])
    }

    public struct FieldChange: Sendable, Hashable {
        /// Where, relative to the step (or the document): `body/email`, `retry/maxAttempts`.
        public var path: String
        public var old: JSONValue?
        public var new: JSONValue?

        public init(path: String, old: JSONValue?, new: JSONValue?) {
            self.path = path
            self.old = old
            self.new = new
        }
    }

    public var changes: [Change]
    public var isEmpty: Bool { changes.isEmpty }
    /// How many steps, nested ones included, the old document had.
    public private(set) var oldStepCount = 0

    /// The share of the old steps that the new document removed (renamed ones stay), from 0 to 1.
    public var removedShare: Double {
        let removed = changes.count { if case .removed = $0 { true } else { false } }
        return oldStepCount == 0 ? 0 : Double(removed) / Double(oldStepCount)
    }

    /// Compares two documents. Steps are matched by id; a step that disappears while one with a new id but
    /// otherwise the same content appears counts as renamed, and references to it are not reported as changes.
    public init(old: JSONValue, new: JSONValue) {
        let oldSteps = Self.steps(in: old)
        let newSteps = Self.steps(in: new)
        oldStepCount = oldSteps.count
        var changes: [Change] = []
        let topFields = Self.fieldChanges(Self.ownFields(old, nested: ["steps"]), Self.ownFields(new, nested: ["steps"]), path: "")
        if !topFields.isEmpty { changes.append(.workflow(fields: topFields)) }

        let removedIds = oldSteps.keys.filter { newSteps[$0] == nil }
        var addedIds = newSteps.keys.filter { oldSteps[$0] == nil }
        var renames: [String: String] = [:]
        for removed in removedIds.sorted() {
            let content = Self.renaming(oldSteps[removed]!.fields, from: removed, to: "")
            if let match = addedIds.sorted().first(where: { Self.renaming(newSteps[$0]!.fields, from: $0, to: "") == content }) {
                renames[removed] = match
                addedIds.removeAll { $0 == match }
            }
        }
        for (old, new) in renames.sorted(by: { $0.key < $1.key }) { changes.append(.renamed(from: old, to: new)) }
        for id in removedIds.sorted() where renames[id] == nil {
            changes.append(.removed(id: id, summary: oldSteps[id]!.summary))
        }
        for id in newSteps.keys.sorted(by: { newSteps[$0]!.order < newSteps[$1]!.order }) {
            if addedIds.contains(id) {
                changes.append(.added(id: id, summary: newSteps[id]!.summary))
            } else if let before = oldSteps[id] {
                var oldFields = before.fields
                for (from, to) in renames { oldFields = Self.renaming(oldFields, from: from, to: to) }
                let fields = Self.fieldChanges(oldFields, newSteps[id]!.fields, path: "")
                if !fields.isEmpty { changes.append(.changed(id: id, fields: fields)) }
            }
        }
        self.changes = changes
    }

    static let nestedKeys: Set<String> = ["then", "else", "default", "steps", "cases", "branches", "onTimeout", "compensate"]

    struct StepEntry {
        var fields: JSONValue
        var summary: String
        var order: Int
    }

    /// Every step by id with its own fields (nested steps left out), in document order.
    static func steps(in document: JSONValue) -> [String: StepEntry] {
        var found: [String: StepEntry] = [:]
        func visitSteps(_ value: JSONValue?) {
            guard case .array(let items)? = value else { return }
            for item in items { visitStep(item) }
        }
        func visitStep(_ step: JSONValue) {
            guard case .object(let object) = step else { return }
            if let id = object["id"]?.stringValue, found[id] == nil {
                let kind = object["kind"]?.stringValue ?? "step"
                var summary = kind
                if kind == "call", let c = object["connector"]?.stringValue, let o = object["operation"]?.stringValue { summary = "call \(c).\(o)" }
                found[id] = StepEntry(fields: ownFields(step, nested: nestedKeys), summary: summary, order: found.count)
            }
            for key in ["then", "else", "default", "steps", "onTimeout"] { visitSteps(object[key]) }
            if let compensation = object["compensate"] { visitStep(compensation) }
            for key in ["cases", "branches"] {
                for entry in object[key]?.arrayValue ?? [] { visitSteps(entry["steps"]) }
            }
            visitSteps(object["onError"]?["steps"])
        }
        visitSteps(document["steps"])
        visitSteps(document["onError"]?["steps"])
        return found
    }

    /// The object without its nested step lists (a case or branch keeps its `when` and `name`).
    static func ownFields(_ value: JSONValue, nested: Set<String>) -> JSONValue {
        guard case .object(let object) = value else { return value }
        var result = JSONObject()
        for (key, member) in object {
            if key == "cases" || key == "branches", case .array(let entries) = member, nested.contains(key) {
                result[key] = .array(entries.map { entry in
                    guard case .object(var o) = entry else { return entry }
                    o["steps"] = nil
                    return .object(o)
                })
            } else if key == "onError", case .object(var handler) = member {
                handler["steps"] = nil
                result[key] = .object(handler)
            } else if !nested.contains(key) {
                result[key] = member
            }
        }
        return .object(result)
    }

    /// `value` with the step id and every `${from...}` reference renamed to `to`.
    static func renaming(_ value: JSONValue, from: String, to: String) -> JSONValue {
        switch value {
        case .string(let text):
            guard text.contains(from) else { return value }
            return .string(text.replacingReferences(to: from, with: to))
        case .array(let items): return .array(items.map { renaming($0, from: from, to: to) })
        case .object(let object):
            var result = JSONObject()
            for (key, member) in object { result[key] = key == "id" && member.stringValue == from ? .string(to) : renaming(member, from: from, to: to) }
            return .object(result)
        default: return value
        }
    }

    static func fieldChanges(_ old: JSONValue?, _ new: JSONValue?, path: String) -> [FieldChange] {
        if old == new { return [] }
        if case .object(let a)? = old, case .object(let b)? = new {
            var keys = a.keys
            for key in b.keys where !keys.contains(key) { keys.append(key) }
            return keys.flatMap { fieldChanges(a[$0], b[$0], path: path.isEmpty ? $0 : "\(path)/\($0)") }
        }
        return [FieldChange(path: path, old: old, new: new)]
    }
}

extension String {
    /// Replaces `name` where it begins a path in an expression (after `${`, or after a non-name character
    /// inside one), leaving other text alone.
    func replacingReferences(to name: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: name) {
            let before = rest[..<range.lowerBound]
            let previous = before.last ?? (result.last ?? " ")
            let next = rest[range.upperBound...].first
            let startsPath = !(previous.isLetter || previous.isNumber || previous == "_" || previous == ".")
            let endsName = next.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
            result += before
            result += startsPath && endsName ? replacement : name
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
