/// A workflow: a trigger, typed inputs and an ordered list of steps. Read one with `WorkflowValidator`.
public struct WorkflowDefinition: Sendable, Hashable {
    /// The document format this model reads and writes.
    public static let formatVersion = 1

    public var format: Int
    public var name: String
    public var description: String?
    public var trigger: Trigger
    public var inputs: [InputParameter]
    public var steps: [Step]
    public var timeout: WorkflowDuration?
    public var onError: WorkflowErrorPolicy

    /// Every step of the workflow, nested ones included, in document order.
    public var allSteps: [Step] {
        var found: [Step] = []
        func walk(_ steps: [Step]) {
            for step in steps {
                found.append(step)
                for block in step.blocks { walk(block.steps) }
            }
        }
        walk(steps)
        walk(onError.steps)
        return found
    }

    /// Whether a run may call a connector: whether any step, nested ones and error handlers included, is a call.
    public var makesCalls: Bool { allSteps.contains { $0.kind == .call } }
}

/// How runs of a workflow start.
public struct Trigger: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case manual, schedule, event, webhook }
    public var kind: Kind
    public var cron: String?
    public var timezone: String?
    public var event: String?
    public var path: String?

    public static let manual = Trigger(kind: .manual)

    public init(kind: Kind, cron: String? = nil, timezone: String? = nil, event: String? = nil, path: String? = nil) {
        self.kind = kind
        self.cron = cron
        self.timezone = timezone
        self.event = event
        self.path = path
    }
}

/// A typed parameter a run is started with; `${input.NAME}` reads it.
public struct InputParameter: Sendable, Hashable {
    public var name: String
    public var type: ValueType
    public var required: Bool
    public var defaultValue: JSONValue?
    public var description: String?
    /// Where the input is declared in its document, as a JSON Pointer.
    public var pointer: String = ""
}

/// The JSON types an input or a connector parameter can declare.
public enum ValueType: String, Sendable, Hashable, CaseIterable, Codable {
    case string, number, integer, boolean, object, array, any

    /// Whether `value` is of this type (`null` never is, except for `any`).
    public func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.any, _), (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object), (.array, .array):
            true
        case (.integer, .number(let n)): n.rounded() == n
        default: false
        }
    }
}

/// What the workflow does when a step fails for good.
public struct WorkflowErrorPolicy: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable { case compensate, abort }
    public var action: Action
    /// Steps run after the policy's action, for example to notify someone; they may use `${error...}`.
    public var steps: [Step]

    public static let `default` = WorkflowErrorPolicy(action: .compensate, steps: [])
}
