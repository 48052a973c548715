import WorkflowModel

extension JSONValue {
    /// This document with every list of steps passed through `transform` (innermost first), with its JSON pointer:
    /// the top-level `steps`, a group's, loop's, branch's or case's `steps`, `then`, `else`, `default` and
    /// `onTimeout`. A call's `params` and `body` and a transform's `output` are data, not steps, and a call's
    /// `compensate` runs only to undo it: all are left alone.
    func mappingStepLists(_ transform: (_ pointer: String, _ steps: [JSONValue]) -> [JSONValue]) -> JSONValue {
        func walk(_ value: JSONValue, _ at: String) -> JSONValue {
            switch value {
            case .array(let items):
                return .array(items.enumerated().map { walk($1, "\(at)/\($0)") })
            case .object(let object):
                var result = object
                for (key, item) in object where !Self.dataKeys.contains(key) {
                    let pointer = "\(at)/\(JSONPointer.escape(key))"
                    let walked = walk(item, pointer)
                    if Self.stepListKeys.contains(key), case .array(let steps) = walked, steps.allSatisfy(\.isStep) {
                        result[key] = .array(transform(pointer, steps))
                    } else {
                        result[key] = walked
                    }
                }
                return .object(result)
            default:
                return value
            }
        }
        return walk(self, "")
    }

    /// This document with the first run of steps `find` picks in a list of steps (innermost lists first) replaced by
    /// the one step `build` makes of it, and `build`'s note with the run's pointer; nil when no list has such a run.
    func replacingFirstRun(
        where find: ([JSONValue]) -> Range<Int>?, with build: (ArraySlice<JSONValue>) -> (step: JSONValue, note: String)
    ) -> (document: JSONValue, notes: [String])? {
        var note: String?
        let changed = mappingStepLists { at, steps in
            guard note == nil, let run = find(steps) else { return steps }
            let made = build(steps[run])
            note = "\(at)/\(run.lowerBound): \(made.note)"
            var result = steps
            result.replaceSubrange(run, with: [made.step])
            return result
        }
        return note.map { (changed, [$0]) }
    }

    /// Whether this is an object with an `id` and a `kind`, as a step is.
    var isStep: Bool { self["kind"]?.stringValue != nil && self["id"]?.stringValue != nil }

    private static let stepListKeys: Set<String> = ["steps", "then", "else", "default", "onTimeout"]
    private static let dataKeys: Set<String> = ["params", "body", "output", "inputs", "trigger", "compensate"]
}
