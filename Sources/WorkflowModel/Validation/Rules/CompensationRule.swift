/// A compensation is a call (or a group of steps) that undoes the call it belongs to.
struct CompensationRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        context.definition.allSteps.compactMap { step in
            guard case .call(let call) = step.body, let compensation = call.compensate,
                let kind = compensation.kind, kind != .call, kind != .group
            else { return nil }
            return Diagnostic(
                .compensationKind, at: step.pointer + "/compensate",
                "the compensation of \"\(step.id)\" is \(article(kind.rawValue)) \(kind.rawValue) step; it must be a call or a group",
                hint: "Make \"compensate\" a call step to the operation that undoes \"\(step.id)\" (e.g. a cancel or delete).")
        }
    }
}
