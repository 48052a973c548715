/// One step of a workflow.
public struct Step: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case call, transform, condition, `switch`, parallel, foreach, wait, fail, group
    }

    public var id: String
    public var name: String?
    public var description: String?
    public var timeout: WorkflowDuration?
    public var retry: RetryPolicy?
    public var onError: StepErrorAction?
    public var body: Body
    /// Where the step is in its document, as a JSON Pointer.
    public var pointer: String
    /// The expressions in the step's own fields (not in nested steps), with where each was written.
    public var expressions: [ExpressionSite] = []

    public indirect enum Body: Sendable, Hashable {
        case call(Call)
        case transform(output: Template)
        case condition(Condition)
        case `switch`(Switch)
        case parallel(Parallel)
        case foreach(ForEach)
        case wait(Wait)
        case fail(Fail)
        case group(steps: [Step])
        /// A step whose kind was not understood; kept so that other rules still see its id.
        case unknown
    }

    public var kind: Kind? {
        switch body {
        case .call: .call
        case .transform: .transform
        case .condition: .condition
        case .switch: .switch
        case .parallel: .parallel
        case .foreach: .foreach
        case .wait: .wait
        case .fail: .fail
        case .group: .group
        case .unknown: nil
        }
    }

    public struct Call: Sendable, Hashable {
        public var connector: String
        public var operation: String
        public var params: [Template.Member]
        /// The literal parameter values as written, for type checks against the catalog.
        public var literalParams: JSONObject
        public var body: Template?
        public var literalBody: JSONValue?
        public var compensate: Step?
    }

    public struct Condition: Sendable, Hashable {
        public var test: Expression
        public var then: [Step]
        public var otherwise: [Step]?
    }

    public struct Switch: Sendable, Hashable {
        public struct Case: Sendable, Hashable {
            public var when: Expression
            public var steps: [Step]
        }
        public var cases: [Case]
        public var defaultSteps: [Step]?
    }

    public struct Parallel: Sendable, Hashable {
        public struct Branch: Sendable, Hashable {
            public var name: String
            public var steps: [Step]
        }
        public var branches: [Branch]
        public var failFast: Bool
    }

    public struct ForEach: Sendable, Hashable {
        public var items: Expression
        public var variable: String
        public var concurrency: Int
        public var steps: [Step]
        public var output: Template?
    }

    public struct Wait: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable, CaseIterable { case timer, callback, approval }
        public var kind: Kind
        public var duration: WorkflowDuration?
        public var until: Template?
        public var onTimeout: [Step]?
        public var message: Template?
        public var approvers: [String]
    }

    public struct Fail: Sendable, Hashable {
        public var error: String
        public var message: Template?
    }
}

/// A list of steps nested in a step, and how sure it is that they ran once the step is done.
public struct StepBlock: Sendable {
    public enum Role: Sendable, Hashable {
        /// Steps that all ran when the owning step completed: a group, a parallel branch.
        case always
        /// Steps that may not have run: a condition or switch branch, an error handler, a timeout branch.
        case maybe
        /// A loop body: its steps run once per item and are not visible outside the loop.
        case loop
        /// A compensation: runs only when the workflow is undone.
        case compensation
        /// An error handler: runs only when its step fails; `${error...}` is available inside.
        case handler
    }
    public var steps: [Step]
    public var pointer: String
    public var role: Role
    /// For parallel branches: the index of the branch, so sibling branches can be told apart.
    public var branch: Int?
}

extension Step {
    /// The blocks of steps nested in this step, with their pointers and roles.
    public var blocks: [StepBlock] {
        var blocks: [StepBlock] = []
        switch body {
        case .call(let call):
            if let c = call.compensate { blocks.append(StepBlock(steps: [c], pointer: pointer + "/compensate", role: .compensation)) }
        case .condition(let c):
            blocks.append(StepBlock(steps: c.then, pointer: pointer + "/then", role: .maybe))
            if let e = c.otherwise { blocks.append(StepBlock(steps: e, pointer: pointer + "/else", role: .maybe)) }
        case .switch(let s):
            for (i, c) in s.cases.enumerated() {
                blocks.append(StepBlock(steps: c.steps, pointer: pointer + "/cases/\(i)/steps", role: .maybe))
            }
            if let d = s.defaultSteps { blocks.append(StepBlock(steps: d, pointer: pointer + "/default", role: .maybe)) }
        case .parallel(let p):
            for (i, b) in p.branches.enumerated() {
                blocks.append(StepBlock(steps: b.steps, pointer: pointer + "/branches/\(i)/steps", role: .always, branch: i))
            }
        case .foreach(let f):
            blocks.append(StepBlock(steps: f.steps, pointer: pointer + "/steps", role: .loop))
        case .wait(let w):
            if let t = w.onTimeout { blocks.append(StepBlock(steps: t, pointer: pointer + "/onTimeout", role: .maybe)) }
        case .group(let steps):
            blocks.append(StepBlock(steps: steps, pointer: pointer + "/steps", role: .always))
        case .transform, .fail, .unknown:
            break
        }
        if let handler = onError?.steps {
            blocks.append(StepBlock(steps: handler, pointer: pointer + "/onError/steps", role: .handler))
        }
        return blocks
    }
}

/// An expression and the place in the document it was written.
public struct ExpressionSite: Sendable, Hashable {
    public enum Scope: Sendable, Hashable {
        /// Evaluated before the step runs (parameters, conditions, item lists, messages).
        case beforeStep
        /// Evaluated inside each iteration of a loop, after its body (a foreach `output`).
        case loopIteration
    }
    public var pointer: String
    public var expression: Expression
    public var scope: Scope
}
