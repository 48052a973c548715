import Foundation
import Synchronization
import WorkflowModel

/// Answers calls without a network, for dry runs: queued responses first, then injected failures, then each
/// operation's documented example (or `{}`). Nothing leaves the process.
public final class SimulatedConnectorCaller: ConnectorCaller {
    /// A failure to inject: into the step with id `target` (or every call of `connector.operation`), `times` times.
    public struct Failure: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case status(Int)
            case network
            case timeout
        }
        public var target: String
        public var kind: Kind
        public var times: Int

        public init(target: String, kind: Kind, times: Int = 1) {
            self.target = target
            self.kind = kind
            self.times = times
        }

        /// Reads `TARGET=STATUS[xN]`, where STATUS is an HTTP status, `network` or `timeout`, and N how many times
        /// (default 1; `*` for every attempt).
        public init?(_ text: String) {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { return nil }
            let spec = parts[1].split(separator: "x", maxSplits: 1).map(String.init)
            let kind: Kind
            switch spec[0] {
            case "network": kind = .network
            case "timeout": kind = .timeout
            default:
                guard let status = Int(spec[0]), (100...599).contains(status) else { return nil }
                kind = .status(status)
            }
            var times = 1
            if spec.count == 2 {
                if spec[1] == "*" { times = .max } else if let n = Int(spec[1]), n > 0 { times = n } else { return nil }
            }
            self.init(target: parts[0], kind: kind, times: times)
        }
    }

    private let catalog: ConnectorCatalog
    private let state: Mutex<(responses: [String: [ConnectorResponse]], failures: [Failure], calls: [String])>

    /// `responses` are keyed by step id or `connector.operation`.
    public init(catalog: ConnectorCatalog, responses: [String: [ConnectorResponse]] = [:], failures: [Failure] = []) {
        self.catalog = catalog
        state = Mutex((responses, failures, []))
    }

    /// Every call made, as `connector.operation`, in order.
    public var calls: [String] { state.withLock { $0.calls } }

    public func send(_ request: ConnectorRequest) async throws -> ConnectorResponse {
        let operation = "\(request.connector).\(request.operation)"
        let step = request.stepKey.split(separator: "/").last.map(String.init) ?? request.stepKey
        let targets = [request.stepKey, step, operation]
        let planned: Result<ConnectorResponse, StepFailure>? = state.withLock { state in
            state.calls.append(operation)
            if let i = state.failures.firstIndex(where: { targets.contains($0.target) && $0.times > 0 }) {
                state.failures[i].times -= state.failures[i].times == .max ? 0 : 1
                switch state.failures[i].kind {
                case .status(let status):
                    return .success(ConnectorResponse(status: status, body: Data(#"{"message":"injected failure"}"#.utf8)))
                case .network:
                    return .failure(StepFailure(code: "network", message: "injected network failure", transient: true))
                case .timeout:
                    return .failure(StepFailure(code: "timeout", message: "injected timeout", transient: true))
                }
            }
            for target in targets {
                if var queue = state.responses[target], !queue.isEmpty {
                    let response = queue.removeFirst()
                    state.responses[target] = queue
                    return .success(response)
                }
            }
            return nil
        }
        if let planned { return try planned.get() }
        let example = catalog[request.connector]?.operation(request.operation)?.responseExample
        return ConnectorResponse(status: 200, body: Data((example ?? .object(JSONObject())).jsonText.utf8))
    }
}

/// A caller that does nothing and answers `{}` at once: for measuring the engine alone.
public struct NoOpConnectorCaller: ConnectorCaller {
    private static let empty = ConnectorResponse(status: 200, body: Data("{}".utf8))
    public init() {}
    public func send(_ request: ConnectorRequest) async throws -> ConnectorResponse { Self.empty }
}
