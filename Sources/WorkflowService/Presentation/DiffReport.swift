import WorkflowModel

/// A step-level diff of two versions as JSON: what `baton diff --json` prints and the HTTP API answers.
public struct DiffReport: Encodable, Sendable {
    public struct Entry: Encodable, Sendable {
        public var change: String
        public var id: String?
        public var to: String?
        public var summary: String?
        public var fields: [Field]?
    }

    public struct Field: Encodable, Sendable {
        public var path: String
        public var old: String?
        public var new: String?
    }

    public var from: Int
    public var to: Int
    public var changes: [Entry]

    public init(_ diff: WorkflowDiff, from: Int, to: Int) {
        func fields(_ list: [WorkflowDiff.FieldChange]) -> [Field] {
            list.map { Field(path: $0.path, old: $0.old?.jsonText, new: $0.new?.jsonText) }
        }
        self.from = from
        self.to = to
        changes = diff.changes.map { change in
            switch change {
            case .added(let id, let summary): Entry(change: "added", id: id, summary: summary)
            case .removed(let id, let summary): Entry(change: "removed", id: id, summary: summary)
            case .renamed(let old, let new): Entry(change: "renamed", id: old, to: new)
            case .changed(let id, let list): Entry(change: "changed", id: id, fields: fields(list))
            case .workflow(let list): Entry(change: "workflow", fields: fields(list))
            }
        }
    }
}
