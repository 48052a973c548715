import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowRepository

/// Why a webhook delivery started nothing, with the HTTP status it answers with.
public struct WebhookRefusal: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var description: String { message }

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
}

extension WorkflowService {
    /// The largest body a webhook delivery may have.
    public static let maxWebhookBytes = 1 << 20

    /// A webhook delivery to `path`: verified under the Standard Webhooks scheme with the key the trigger's secret
    /// names (unless the trigger says `"auth": "none"`), its JSON body the run's `${trigger...}`, and its
    /// `webhook-id` the run's idempotency key, so a redelivery starts no second run. The run is queued for a worker
    /// and returned at once, with `created` false for a redelivery. Refusals carry their HTTP status: 413 for a body
    /// over 1 MiB, 404 for a path no active workflow answers on, 401 for a missing or bad signature, 400 for a body
    /// that is not JSON, 409 for a paused workflow.
    public func deliverWebhook(path: String, headers: [String: String], body: [UInt8], now: Date) async throws
        -> (run: RunRecord, created: Bool)
    {
        guard body.count <= Self.maxWebhookBytes else {
            throw WebhookRefusal(status: 413, message: "the body has \(body.count) bytes; the limit is \(Self.maxWebhookBytes)")
        }
        let triggers = try await triggers()
        guard let workflow = triggers.webhooks[path] else {
            if let paused = triggers.pausedWebhooks[path] {
                throw WebhookRefusal(status: 409, message: "workflow \(paused.id) (\(paused.name)) is paused; it starts no runs")
            }
            throw WebhookRefusal(status: 404, message: "no active workflow answers on \(path)")
        }
        let lowered = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let trigger = workflow.definition.trigger
        if trigger.auth != Trigger.Auth.none {
            guard let name = trigger.secret, let key = engine.environment.secrets.secret(named: name) else {
                throw WebhookRefusal(status: 401, message: "the webhook's secret \(trigger.secret ?? "") is not set, so no delivery can be verified")
            }
            do {
                try WebhookSignature(secret: key).verify(headers: lowered, body: body, now: now)
            } catch {
                throw WebhookRefusal(status: 401, message: "the delivery's signature does not verify: \(error)")
            }
        }
        let payload: JSONValue
        do {
            payload = body.isEmpty ? .object(JSONObject()) : try JSONParser.parse(String(decoding: body, as: UTF8.self))
        } catch {
            throw WebhookRefusal(status: 400, message: "the body is not JSON: \(error)")
        }
        let key = lowered["webhook-id"].map { "webhook:\(workflow.summary.id):\($0)" }
        return try await start(workflow, input: JSONObject(), trigger: payload, queue: true, idempotencyKey: key)
    }
}
