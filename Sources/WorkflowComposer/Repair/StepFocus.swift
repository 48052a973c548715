import WorkflowModel

/// A repair round that asks for one step instead of the whole document: when every error lies inside one top-level
/// step, the model is shown that step with the problems and what it may refer to, answers with the step alone, and
/// the answer is spliced back into the document. The question and the answer are a fraction of a whole round's,
/// and the rest of the document cannot be lost or changed on the way. A focus just past the last step asks for a
/// step to add (see `RequestCoverage`), and the answer is appended.
struct StepFocus {
    /// The document the step is spliced into.
    var document: JSONValue
    /// The step's index in the top-level `steps`; their count for a step to add.
    var index: Int

    /// A focus on the step to add after the last.
    static func adding(to document: JSONValue) -> StepFocus {
        StepFocus(document: document, index: document["steps"]?.arrayValue?.count ?? 0)
    }

    var isAddition: Bool { index >= (document["steps"]?.arrayValue?.count ?? 0) }

    var pointer: String { "/steps/\(index)" }
    var step: JSONValue? { document["steps"]?.arrayValue.flatMap { $0.indices.contains(index) ? $0[index] : nil } }

    /// The one top-level step that holds every error, when there is one and a step alone can fix them: no error
    /// outside it, and none that only a different system (a refusal) could answer.
    static func find(in document: JSONValue, diagnostics: [Diagnostic]) -> StepFocus? {
        let errors = diagnostics.filter { $0.severity == .error }
        guard !errors.isEmpty, !errors.contains(where: { $0.code == .connectorUnknown }),
            let steps = document["steps"]?.arrayValue
        else { return nil }
        let indices = Set(errors.map { diagnostic -> Int? in
            let tokens = JSONPointer.tokens(diagnostic.pointer)
            guard tokens.count >= 2, tokens[0] == "steps" else { return nil }
            return Int(tokens[1])
        })
        guard indices.count == 1, let only = indices.first, let index = only, steps.indices.contains(index),
            steps[index].objectValue != nil
        else { return nil }
        return StepFocus(document: document, index: index)
    }

    /// The document with `answer` (one step, as the model wrote it) in the step's place; nil when the answer holds
    /// no JSON object.
    func splice(_ answer: String) -> (document: JSONValue, repairs: [String])? {
        guard let extraction = OutputExtractor.extract(from: answer), case .object(var step) = extraction.value,
            case .object(var root) = document, var steps = root["steps"]?.arrayValue
        else { return nil }
        // A model asked for a step sometimes answers with the whole document again: that is taken as it stands;
        // or with the step wrapped as a one-step document.
        if step["kind"] == nil, let answered = step["steps"]?.arrayValue {
            if answered.count == steps.count || isAddition && answered.count > steps.count {
                return (extraction.value, extraction.repairs + ["\(pointer): the model answered with the whole document"])
            }
            if answered.count == 1, case .object(let inner) = answered[0] { step = inner }
        }
        guard index < steps.count else {
            steps.append(.object(step))
            root["steps"] = .array(steps)
            return (.object(root), extraction.repairs + ["\(pointer): the model's step for what was missing, added"])
        }
        steps[index] = .object(step)
        root["steps"] = .array(steps)
        return (.object(root), extraction.repairs + ["\(pointer): replaced by the model's corrected step"])
    }

    /// What the step may refer to and what surrounds it, as the step-repair prompt lists them.
    func context() -> [String: String] {
        let steps = document["steps"]?.arrayValue ?? []
        func line(_ step: JSONValue) -> String {
            let id = step["id"]?.stringValue ?? "?"
            let kind = step["kind"]?.stringValue ?? "?"
            if let connector = step["connector"]?.stringValue, let operation = step["operation"]?.stringValue {
                return "- \(id): \(kind) \(connector).\(operation)"
            }
            return "- \(id): \(kind)"
        }
        let inputs = (document["inputs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        return [
            "trigger": (document["trigger"] ?? .null).jsonText,
            "inputs": inputs.isEmpty ? "none" : inputs.map { "${input.\($0)}" }.joined(separator: ", "),
            "before": steps[..<min(index, steps.count)].isEmpty ? "none" : steps[..<min(index, steps.count)].map(line).joined(separator: "\n"),
            "after": index + 1 >= steps.count ? "none" : steps[(index + 1)...].map(line).joined(separator: "\n"),
            "pointer": pointer,
            "step": (step ?? .null).jsonText,
        ]
    }
}
