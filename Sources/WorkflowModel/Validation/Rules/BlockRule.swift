/// No list of steps, cases or branches is empty; parallel branches have distinct names and there are two or more.
struct BlockRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var pointers = ["/steps", "/onError/steps"]
        for step in context.definition.allSteps {
            pointers += step.blocks.map(\.pointer)
            switch step.body {
            case .switch: pointers.append(step.pointer + "/cases")
            case .parallel(let parallel):
                pointers.append(step.pointer + "/branches")
                if parallel.branches.count == 1 {
                    diagnostics.append(Diagnostic(
                        .parallelSingleBranch, at: step.pointer + "/branches", "the parallel step \"\(step.id)\" has only one branch",
                        hint: "Add branches that run at the same time, or use a group step.", severity: .warning))
                }
                var names: Set<String> = []
                for (i, branch) in parallel.branches.enumerated() where !names.insert(branch.name).inserted {
                    diagnostics.append(Diagnostic(
                        .parallelBranchDuplicate, at: step.pointer + "/branches/\(i)/name",
                        "two branches of \"\(step.id)\" are named \"\(branch.name)\"",
                        hint: "Give each branch a distinct name; the step's output is keyed by branch name."))
                }
            default: break
            }
        }
        for pointer in pointers {
            if case .array(let items)? = JSONPointer.resolve(pointer, in: context.document), items.isEmpty {
                let field = JSONPointer.tokens(pointer).last ?? "steps"
                diagnostics.append(Diagnostic(
                    .blockEmpty, at: pointer, "\"\(field)\" is empty",
                    hint: "Put at least one entry in \"\(field)\", or remove the field if it is optional."))
            }
        }
        return diagnostics
    }
}
