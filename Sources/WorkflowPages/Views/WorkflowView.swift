import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService

/// A workflow's page: one version drawn as a graph beside its outline, JSON and YAML, what the validator says of it
/// against today's catalog, the versions with the diff of any two, the composition history and recent runs.
public struct WorkflowView: Sendable {
    /// What the page is built from.
    public struct Content: Sendable {
        public var summary: WorkflowSummary
        public var versions: [WorkflowVersion]
        public var shown: WorkflowVersion
        public var document: JSONValue
        /// The validator's findings for the shown version against the catalog in use now.
        public var diagnostics: [Diagnostic]
        public var diff: (diff: WorkflowDiff, from: Int, to: Int)?
        public var compositions: [CompositionRecord]
        public var runs: [RunRecord]
        public var nextFire: Date?
        /// The shown version as read, when the caller has it (from validating it); read from `document` otherwise.
        public var definition: WorkflowDefinition?

        public init(
            summary: WorkflowSummary, versions: [WorkflowVersion], shown: WorkflowVersion, document: JSONValue, diagnostics: [Diagnostic],
            diff: (diff: WorkflowDiff, from: Int, to: Int)?, compositions: [CompositionRecord], runs: [RunRecord], nextFire: Date?,
            definition: WorkflowDefinition? = nil
        ) {
            self.definition = definition
            self.summary = summary
            self.versions = versions
            self.shown = shown
            self.document = document
            self.diagnostics = diagnostics
            self.diff = diff
            self.compositions = compositions
            self.runs = runs
            self.nextFire = nextFire
        }
    }

    struct VersionRow: Sendable {
        var number: Int
        var name: String
        var source: String
        var created: String
        var live: Bool
        var shown: Bool
        var composition: String?
        /// Preselected in the compare form.
        var compareFrom: Bool
        var compareTo: Bool
    }

    struct DiagnosticRow: Sendable {
        var severity: String
        var code: String
        var pointer: String
        var message: String
        var hint: String
        var stepID: String?
    }

    struct ChangeRow: Sendable {
        var change: String
        var step: String
        var detail: String
    }

    struct CompositionRow: Sendable {
        var id: String
        var kind: String
        var request: String
        var outcome: String
        var model: String
        var started: String
        var seconds: String
        var promptTokens: Int
        var completionTokens: Int
        var version: Int?
        var error: String?
        var rounds: [RoundRow]
    }

    struct RoundRow: Sendable {
        var number: Int
        var repairs: String?
        var diagnostics: [String]
        var tokens: String
        var seconds: String
    }

    struct Action: Sendable {
        var name: String
        var label: String
        var confirm: Bool
    }

    var frame: PageFrame
    var id: Int64
    var name: String
    var description: String?
    var state: String
    var live: Int?
    var latest: Int
    var shownNumber: Int
    var shownIsLatest: Bool
    var trigger: String
    var webhookURL: String?
    var nextFire: String?
    var graph: String
    var stepCount: Int
    // Long texts escaped here, once, by `HTML.escape` (the template's own escaping is slower on long texts).
    var outlineHTML: String
    var jsonHTML: String
    var valid: Bool
    var diagnostics: [DiagnosticRow]
    var versions: [VersionRow]
    var diffFrom: Int?
    var diffTo: Int?
    var changes: [ChangeRow]
    var diffEmpty: Bool
    var compositions: [CompositionRow]
    var runs: [RunLink]
    var actions: [Action]
    var canActivate: Bool
    var canRevise: Bool
    /// Whether the shown version is live, so a run can start from the page, and the input the form starts with.
    var canStart: Bool
    var startInput: String

    public init(frame: PageFrame, content c: Content) {
        self.frame = frame
        let definition = c.definition ?? WorkflowDefinition(reading: c.document)
        id = c.summary.id
        name = c.summary.name
        description = c.summary.description
        state = c.summary.state.rawValue
        live = c.summary.activeVersion
        latest = c.summary.latestVersion
        shownNumber = c.shown.number
        shownIsLatest = c.shown.number == c.summary.latestVersion
        trigger = definition.trigger.outline
        webhookURL = WorkflowListView.webhookURL(definition.trigger)
        nextFire = PageDate.text(c.nextFire)
        outlineHTML = HTML.escape(definition.outline())
        jsonHTML = HTML.escape(c.document.prettyJSON())
        valid = !c.diagnostics.contains { $0.severity == .error }
        let steps = definition.allSteps
        stepCount = steps.count
        let pointers = steps.map { ($0.pointer, $0.id) }.sorted { $0.0.count > $1.0.count }
        diagnostics = c.diagnostics.map { d in
            let step = pointers.first { d.pointer == $0.0 || d.pointer.hasPrefix($0.0 + "/") }?.1
            return DiagnosticRow(severity: d.severity.rawValue, code: d.code.rawValue, pointer: d.pointer.isEmpty ? "/" : d.pointer, message: d.message, hint: d.hint, stepID: step)
        }
        var marks: [String: Set<String>] = [:]
        for row in diagnostics { if let step = row.stepID { marks[step, default: []].insert("invalid") } }
        changes = []
        if let (diff, from, to) = c.diff {
            diffFrom = from
            diffTo = to
            for change in diff.changes {
                switch change {
                case .added(let id, let summary):
                    changes.append(ChangeRow(change: "added", step: id, detail: summary))
                    if to == c.shown.number { marks[id, default: []].insert("added") }
                case .removed(let id, let summary):
                    changes.append(ChangeRow(change: "removed", step: id, detail: summary))
                case .renamed(let old, let new):
                    changes.append(ChangeRow(change: "renamed", step: new, detail: "was \(old)"))
                    if to == c.shown.number { marks[new, default: []].insert("renamed") }
                case .changed(let id, let fields):
                    changes.append(ChangeRow(change: "changed", step: id, detail: Self.fields(fields)))
                    if to == c.shown.number { marks[id, default: []].insert("changed") }
                case .workflow(let fields):
                    changes.append(ChangeRow(change: "workflow", step: "", detail: Self.fields(fields)))
                }
            }
        }
        diffEmpty = c.diff?.diff.isEmpty ?? false
        graph = GraphSVG.render(WorkflowGraph(definition), marks: marks, title: "graph of \(c.summary.name) version \(c.shown.number)")
        let compare = (from: c.diff?.from ?? max(1, c.shown.number - 1), to: c.diff?.to ?? c.shown.number)
        versions = c.versions.reversed().map { v in
            VersionRow(
                number: v.number, name: v.name, source: v.source.rawValue, created: PageDate.text(v.createdAt) ?? "",
                live: v.number == c.summary.activeVersion && c.summary.state == .active, shown: v.number == c.shown.number, composition: v.compositionID,
                compareFrom: v.number == compare.from, compareTo: v.number == compare.to)
        }
        compositions = c.compositions.map(Self.composition)
        runs = c.runs.map(RunLink.init)
        actions = switch c.summary.state {
        case .draft: [Action(name: "archive", label: "Archive", confirm: true)]
        case .active: [Action(name: "pause", label: "Pause", confirm: false), Action(name: "archive", label: "Archive", confirm: true)]
        case .paused: [Action(name: "resume", label: "Resume", confirm: false), Action(name: "archive", label: "Archive", confirm: true)]
        case .archived: []
        }
        canActivate = c.summary.state != .archived && (c.summary.state != .active || c.summary.activeVersion != c.shown.number) && valid
        canRevise = c.summary.state != .archived
        canStart = c.summary.state == .active && c.summary.activeVersion == c.shown.number
        startInput = Self.inputSkeleton(definition.inputs).prettyJSON()
    }

    /// An input object to fill in: each input's default, or an empty value of its type for those without one.
    static func inputSkeleton(_ inputs: [InputParameter]) -> JSONValue {
        var object = JSONObject()
        for input in inputs {
            object[input.name] = input.defaultValue ?? {
                switch input.type {
                case .string, .any: .string("")
                case .number, .integer: .number(0)
                case .boolean: .bool(false)
                case .object: .object(JSONObject())
                case .array: .array([])
                }
            }()
        }
        return .object(object)
    }

    static func fields(_ fields: [WorkflowDiff.FieldChange]) -> String {
        fields.map { "\($0.path.isEmpty ? "(whole)" : $0.path): \($0.old?.compactText ?? "—") → \($0.new?.compactText ?? "—")" }
            .joined(separator: "; ")
    }

    static func composition(_ record: CompositionRecord) -> CompositionRow {
        CompositionRow(
            id: record.id, kind: record.kind.rawValue, request: record.request, outcome: record.outcome.rawValue, model: record.model,
            started: PageDate.text(record.startedAt) ?? "", seconds: GraphSVG.n(Double(record.durationMs) / 1000),
            promptTokens: record.promptTokens, completionTokens: record.completionTokens, version: record.version, error: record.error,
            rounds: record.rounds.map { round in
                RoundRow(
                    number: round.number, repairs: round.repairs.isEmpty ? nil : round.repairs.joined(separator: ", "),
                    diagnostics: round.diagnostics.map { "\($0.code.rawValue) at \($0.pointer.isEmpty ? "/" : $0.pointer): \($0.message)" },
                    tokens: "\(round.promptTokens.map(String.init) ?? "?") in, \(round.completionTokens.map(String.init) ?? "?") out",
                    seconds: GraphSVG.n(Double(round.durationMs) / 1000))
            })
    }
}

extension WorkflowView.VersionRow: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "number": number
        case "name": name
        case "source": source
        case "created": created
        case "live": live
        case "shown": shown
        case "composition": present(composition)
        case "compareFrom": compareFrom
        case "compareTo": compareTo
        default: nil
        }
    }
}

extension WorkflowView.DiagnosticRow: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "severity": severity
        case "code": code
        case "pointer": pointer
        case "message": message
        case "hint": hint
        case "stepID": present(stepID)
        default: nil
        }
    }
}

extension WorkflowView.ChangeRow: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "change": change
        case "step": step
        case "detail": detail
        default: nil
        }
    }
}

extension WorkflowView.CompositionRow: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "id": id
        case "kind": kind
        case "request": request
        case "outcome": outcome
        case "model": model
        case "started": started
        case "seconds": seconds
        case "promptTokens": promptTokens
        case "completionTokens": completionTokens
        case "version": present(version)
        case "error": present(error)
        case "rounds": rounds
        default: nil
        }
    }
}

extension WorkflowView.RoundRow: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "number": number
        case "repairs": present(repairs)
        case "diagnostics": diagnostics
        case "tokens": tokens
        case "seconds": seconds
        default: nil
        }
    }
}

extension WorkflowView.Action: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "name": name
        case "label": label
        case "confirm": confirm
        default: nil
        }
    }
}

extension WorkflowView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "id": id
        case "name": name
        case "description": present(description)
        case "state": state
        case "live": present(live)
        case "latest": latest
        case "shownNumber": shownNumber
        case "shownIsLatest": shownIsLatest
        case "trigger": trigger
        case "webhookURL": present(webhookURL)
        case "nextFire": present(nextFire)
        case "graph": graph
        case "stepCount": stepCount
        case "outlineHTML": outlineHTML
        case "jsonHTML": jsonHTML
        case "valid": valid
        case "diagnostics": diagnostics
        case "versions": versions
        case "diffFrom": present(diffFrom)
        case "diffTo": present(diffTo)
        case "changes": changes
        case "diffEmpty": diffEmpty
        case "compositions": compositions
        case "runs": runs
        case "actions": actions
        case "canActivate": canActivate
        case "canRevise": canRevise
        case "canStart": canStart
        case "startInput": startInput
        default: nil
        }
    }
}
