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

    /// Which fire times a schedule starts after it could not fire (the service was down, the workflow paused).
    public enum CatchUp: String, Sendable, Hashable, CaseIterable {
        /// None: only the next fire time after now.
        case none
        /// One run, for the most recent fire time missed.
        case latest
        /// Every fire time missed, oldest first, up to `maxCatchUp`.
        case all
    }

    /// What a schedule does when a fire time comes while the previous run of the workflow is still going.
    public enum Overlap: String, Sendable, Hashable, CaseIterable {
        /// Start nothing for this fire time.
        case skip
        /// Start the run anyway, alongside the one still going.
        case allow
        /// Keep one fire time waiting and start it when the running one ends; later ones are skipped.
        case buffer
    }

    /// How a webhook accepts deliveries that carry no signature.
    public enum Auth: String, Sendable, Hashable, CaseIterable {
        /// Unsigned deliveries are accepted: a deliberate choice, written down in the document.
        case none
    }

    /// The catch-up bound when `catchUp` is `all` and `maxCatchUp` is not given.
    public static let defaultMaxCatchUp = 100
    /// The largest `maxCatchUp` a document may ask for.
    public static let maxCatchUpLimit = 1_000
    /// The longest webhook path.
    public static let maxPathLength = 200

    public var kind: Kind
    public var cron: String?
    /// An IANA time zone; cron fields are wall-clock times there. UTC when absent.
    public var timezone: String?
    public var event: String?
    public var path: String?
    /// Webhooks: the NAME of the secret holding the Standard Webhooks key (`whsec_...`), never the key itself.
    public var secret: String?
    /// Webhooks: `none` accepts unsigned deliveries.
    public var auth: Auth?
    /// Schedules: as written; `catchUpPolicy` gives the default.
    public var catchUp: CatchUp?
    public var maxCatchUp: Int?
    /// Schedules: as written; `overlapPolicy` gives the default.
    public var overlap: Overlap?

    public static let manual = Trigger(kind: .manual)

    public init(
        kind: Kind, cron: String? = nil, timezone: String? = nil, event: String? = nil, path: String? = nil,
        secret: String? = nil, auth: Auth? = nil, catchUp: CatchUp? = nil, maxCatchUp: Int? = nil, overlap: Overlap? = nil
    ) {
        self.kind = kind
        self.cron = cron
        self.timezone = timezone
        self.event = event
        self.path = path
        self.secret = secret
        self.auth = auth
        self.catchUp = catchUp
        self.maxCatchUp = maxCatchUp
        self.overlap = overlap
    }

    /// The catch-up policy in force: `latest` unless the document says otherwise.
    public var catchUpPolicy: CatchUp { catchUp ?? .latest }
    /// The most missed fire times `all` starts: `maxCatchUp`, or 100.
    public var catchUpLimit: Int { maxCatchUp ?? Self.defaultMaxCatchUp }
    /// The overlap policy in force: `skip` unless the document says otherwise.
    public var overlapPolicy: Overlap { overlap ?? .skip }
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
