/// The fields a step of each kind may have; anything else is reported as `field.unknown`.
public enum StepFields {
    public static let common = ["id", "kind", "name", "description", "timeout", "retry", "onError"]

    public static func allowed(for kind: Step.Kind) -> [String] {
        common + specific(to: kind)
    }

    public static func specific(to kind: Step.Kind) -> [String] {
        switch kind {
        case .call: ["connector", "operation", "params", "body", "compensate"]
        case .transform: ["output"]
        case .condition: ["if", "then", "else"]
        case .switch: ["cases", "default"]
        case .parallel: ["branches", "failFast"]
        case .foreach: ["items", "as", "concurrency", "steps", "output"]
        case .wait: ["for", "duration", "until", "onTimeout", "message", "approvers"]
        case .fail: ["error", "message"]
        case .group: ["steps"]
        }
    }
}
