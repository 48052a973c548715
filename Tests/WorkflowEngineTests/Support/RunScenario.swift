import BatonTestSupport
import Foundation
import ModelReplay
import WorkflowEngine
import WorkflowModel

/// A scenario for running a fixture definition: what goes in and what must come out.
///
/// ```json
/// {"definition": "travel-booking-saga", "input": {...},
///  "replies": {"travel.bookHotel": [{"status": 503}, {"status": 200, "body": {...}}]},
///  "signals": {"decision": {"approved": true, "by": "ann", "data": {}}},
///  "expect": {"status": "completed", "calls": ["travel.bookFlight", ...], "errorCode": "...",
///             "steps": {"book_hotel": "succeeded"}, "attempts": {"book_hotel": 2},
///             "outputs": {"book_flight/bookingId": "FL-1", "run/output": ...}}}
/// ```
struct RunScenario {
    var definition: String
    var input: JSONObject
    var trigger: JSONValue?
    var replies: [(String, [ConnectorServer.Reply])]
    var signals: [String: WaitResolution]
    var status: RunStatus
    var errorCode: String?
    var calls: [String]
    var stepStatus: [(String, StepStatus)]
    var attempts: [(String, Int)]
    var outputs: [(String, JSONValue)]

    static func load(_ file: String) throws -> RunScenario {
        let json = try JSONParser.parse(String(decoding: Fixtures.bytes(Fixtures.runs, file), as: UTF8.self))
        let expect = json["expect"] ?? .object(JSONObject())
        return RunScenario(
            definition: json["definition"]?.stringValue ?? "",
            input: json["input"]?.objectValue ?? JSONObject(),
            trigger: json["trigger"],
            replies: (json["replies"]?.objectValue ?? JSONObject()).map { member in
                (member.key, (member.value.arrayValue ?? []).map { reply in
                    ConnectorServer.Reply(
                        status: Int(reply["status"]?.numberValue ?? 200), body: reply["body"]?.jsonText ?? "{}",
                        headers: (reply["headers"]?.objectValue ?? JSONObject()).reduce(into: [:]) { $0[$1.key] = $1.value.stringValue })
                })
            },
            signals: (json["signals"]?.objectValue ?? JSONObject()).reduce(into: [:]) { result, member in
                result[member.key] = WaitResolution(
                    approved: member.value["approved"]?.boolValue ?? true, data: member.value["data"] ?? .null,
                    by: member.value["by"]?.stringValue, at: Date(timeIntervalSince1970: 1_800_000_000))
            },
            status: RunStatus(rawValue: expect["status"]?.stringValue ?? "") ?? .completed,
            errorCode: expect["errorCode"]?.stringValue,
            calls: (expect["calls"]?.arrayValue ?? []).compactMap(\.stringValue),
            stepStatus: (expect["steps"]?.objectValue ?? JSONObject()).compactMap { m in m.value.stringValue.flatMap(StepStatus.init).map { (m.key, $0) } },
            attempts: (expect["attempts"]?.objectValue ?? JSONObject()).compactMap { m in m.value.numberValue.map { (m.key, Int($0)) } },
            outputs: (expect["outputs"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value) })
    }

    /// `KEY/path/in/output` in a step's output, or `run/output/...` in the run's.
    static func resolve(_ pointer: String, in steps: [StepRecord], run: RunRecord) -> JSONValue? {
        var parts = pointer.split(separator: "/").map(String.init)
        guard !parts.isEmpty else { return nil }
        var value: JSONValue?
        if parts.first == "run", parts.count > 1, parts[1] == "output" {
            value = run.output
            parts.removeFirst(2)
        } else {
            // Keys may themselves hold '/' (loop iterations): take the longest prefix that names a step.
            var taken = parts.count
            while taken > 0, !steps.contains(where: { $0.key == parts[0..<taken].joined(separator: "/") }) { taken -= 1 }
            guard taken > 0 else { return nil }
            value = steps.first { $0.key == parts[0..<taken].joined(separator: "/") }?.output
            parts.removeFirst(taken)
        }
        for part in parts {
            if let index = Int(part), case .array(let items)? = value { value = items.indices.contains(index) ? items[index] : nil } else { value = value?[part] }
        }
        return value
    }
}
