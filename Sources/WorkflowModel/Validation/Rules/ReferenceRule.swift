/// Every `${...}` path names something that exists and is certain to have a value when it is evaluated:
/// a declared input, the trigger, the run, a loop variable inside its loop, `error` inside a handler, or a
/// step that is guaranteed to have completed before.
struct ReferenceRule: ValidationRule {
    /// A block a step sits in: which step owns it, and what kind of block it is.
    struct BlockRef: Equatable {
        var ownerPointer: String
        var blockPointer: String
        var role: StepBlock.Role
        var branch: Int?
    }

    /// Where a step sits: its position in document order and the blocks enclosing it, outermost first.
    struct Placement {
        var step: Step
        var order: Int
        var lastDescendantOrder: Int
        var chain: [BlockRef]
    }

    func check(_ context: ValidationContext) -> [Diagnostic] {
        let definition = context.definition
        var placements: [Placement] = []
        func place(_ steps: [Step], chain: [BlockRef]) {
            for step in steps {
                let index = placements.count
                placements.append(Placement(step: step, order: index, lastDescendantOrder: index, chain: chain))
                for block in step.blocks {
                    place(block.steps, chain: chain + [BlockRef(
                        ownerPointer: step.pointer, blockPointer: block.pointer, role: block.role, branch: block.branch)])
                }
                placements[index].lastDescendantOrder = placements.count - 1
            }
        }
        place(definition.steps, chain: [])
        place(definition.onError.steps, chain: [BlockRef(ownerPointer: "", blockPointer: "/onError/steps", role: .handler)])

        var byId: [String: Int] = [:]
        var byPointer: [String: Int] = [:]
        for (i, placement) in placements.enumerated() {
            if byId[placement.step.id] == nil, !placement.step.id.isEmpty { byId[placement.step.id] = i }
            byPointer[placement.step.pointer] = i
        }
        let inputs = Set(definition.inputs.map(\.name))

        var diagnostics: [Diagnostic] = []
        for placement in placements {
            for site in placement.step.expressions {
                var viewer = placement
                if site.scope == .loopIteration, case .foreach = placement.step.body {
                    // A loop's `output` is evaluated at the end of each iteration, inside the body.
                    viewer.chain.append(BlockRef(
                        ownerPointer: placement.step.pointer, blockPointer: placement.step.pointer + "/steps", role: .loop))
                    viewer.order = placement.lastDescendantOrder
                }
                let loopVariables = viewer.chain.filter { $0.role == .loop }.compactMap { ref -> String? in
                    guard let owner = byPointer[ref.ownerPointer], case .foreach(let loop) = placements[owner].step.body else { return nil }
                    return loop.variable
                }
                var reported: Set<String> = []
                for path in site.expression.paths {
                    guard reported.insert(path.root).inserted else { continue }
                    let text = Self.describe(path)
                    switch path.root {
                    case "trigger", "run":
                        continue
                    case "input":
                        if let name = path.firstKey, !inputs.contains(name) {
                            let declared = inputs.isEmpty ? "none are declared" : "declared: \(inputs.sorted().joined(separator: ", "))"
                            diagnostics.append(Diagnostic(
                                .referenceInputUnknown, at: site.pointer, "\(text) names an input \"\(name)\" that is not declared (\(declared))",
                                hint: "Declare \"\(name)\" in \"inputs\", or use one of the declared inputs."))
                        }
                        continue
                    case "error":
                        if !viewer.chain.contains(where: { $0.role == .handler }) {
                            diagnostics.append(Diagnostic(
                                .referenceErrorUnavailable, at: site.pointer, "\(text) uses \"error\" outside an error handler",
                                hint: "Use ${error...} only in onError steps; elsewhere refer to step outputs or inputs."))
                        }
                        continue
                    case "index" where !loopVariables.isEmpty:
                        continue
                    case let name where loopVariables.contains(name):
                        continue
                    default:
                        break
                    }
                    guard let target = byId[path.root] else {
                        diagnostics.append(Diagnostic(
                            .referenceUnknown, at: site.pointer, "\(text) refers to \"\(path.root)\", which is not a step, an input or a known name",
                            hint: unknownHint(path.root, viewer: viewer, placements: placements, loopVariables: loopVariables)))
                        continue
                    }
                    if let problem = classify(target: placements[target], viewer: viewer) {
                        diagnostics.append(Diagnostic(problem.code, at: site.pointer, "\(text) \(problem.message)", hint: problem.hint))
                    }
                }
            }
        }
        return diagnostics
    }

    /// Why `target`'s output may not exist where `viewer` reads it, or `nil` when it certainly does.
    private func classify(target: Placement, viewer: Placement) -> (code: DiagnosticCode, message: String, hint: String)? {
        let id = target.step.id
        if target.step.pointer == viewer.step.pointer || viewer.chain.contains(where: { $0.ownerPointer == target.step.pointer }) {
            if viewer.chain.contains(where: { $0.ownerPointer == target.step.pointer && $0.role == .compensation }) { return nil }
            return (.referenceCycle, "refers to \"\(id)\", the step it is part of, whose output is not complete yet",
                    "Refer only to steps that finished before \"\(viewer.step.id)\"; inside a loop use the loop variable.")
        }
        let shared = zip(target.chain, viewer.chain).prefix { $0 == $1 }.count
        if shared < target.chain.count, shared < viewer.chain.count,
            target.chain[shared].ownerPointer == viewer.chain[shared].ownerPointer,
            target.chain[shared].branch != nil, viewer.chain[shared].branch != nil
        {
            return (.referenceSiblingBranch, "refers to \"\(id)\" in another branch of the same parallel step, which runs at the same time",
                    "Move the step that needs \"\(id)\" after the parallel step, or into the same branch as \"\(id)\".")
        }
        if target.order > viewer.order {
            return (.referenceLater, "refers to \"\(id)\", which runs later",
                    "Move \"\(id)\" before \"\(viewer.step.id)\", or refer to a step that runs earlier.")
        }
        for block in target.chain[shared...] {
            switch block.role {
            case .always: continue
            case .loop:
                return (.referenceLoopBody, "refers to \"\(id)\" inside a loop body from outside the loop",
                        "Use the foreach step's own output (a list with one entry per item) instead of \"\(id)\".")
            case .maybe, .handler, .compensation:
                return (.referenceConditional, "refers to \"\(id)\", which is in a branch or handler that may not have run",
                        "Refer to the condition or switch step's own output, use default(\(id).field, fallback), or move the step out of the branch.")
            }
        }
        return nil
    }

    private func unknownHint(_ name: String, viewer: Placement, placements: [Placement], loopVariables: [String]) -> String {
        if ExpressionFunctions.byName[name] != nil { return "\"\(name)\" is a function: call it as \(name)(...)." }
        let earlier = placements.prefix(viewer.order).filter { classify(target: $0, viewer: viewer) == nil }.map(\.step.id)
        let names = ["input", "trigger", "run"] + loopVariables + earlier.suffix(12)
        return "Refer to one of: \(names.joined(separator: ", "))."
    }

    static func describe(_ path: Expression.Path) -> String {
        var text = path.root
        for component in path.components {
            switch component {
            case .key(let key): text += "." + key
            case .index(let i): text += "[\(i)]"
            case .computed: text += "[…]"
            }
        }
        return "${\(text)}"
    }
}
