import Foundation
import WorkflowModel

extension RetryPolicy {
    /// The delay before attempt `attempt + 1`, after `attempt` failed attempts (from 1), in seconds.
    /// `random` gives a number in 0..<1 for jitter.
    public func delay(afterAttempt attempt: Int, random: () -> Double) -> TimeInterval {
        let base: Double = switch backoff {
        case .fixed: initialDelay.seconds
        case .exponential: initialDelay.seconds * pow(multiplier, Double(attempt - 1))
        }
        let capped = min(base, maxDelay.seconds)
        switch jitter {
        case .none: return capped
        case .full: return capped * random()
        case .equal: return capped / 2 + capped / 2 * random()
        }
    }

    /// Whether a failure of this kind is tried again under the policy.
    func retries(_ failure: StepFailure) -> Bool {
        retryOn.contains(failure.transient ? .transient : .permanent)
    }
}
