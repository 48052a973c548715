import Foundation

/// The shapes a request plainly asks for, said back to the model as a checklist: small models write the first
/// steps a request names and drop the rest (the approval, the retry, the loop). Cues are kept strict, so that
/// the checklist never asks for what the request did not (a "confirmation email" is not a callback).
enum RequestAsks {
    /// One line per ask, in the order a document is written; empty when the request asks for nothing special.
    static func checklist(for request: String) -> [String] {
        let text = " " + request.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") + " "
        func has(_ cues: [String]) -> Bool { cues.contains { text.contains($0) } }
        var asks: [String] = []
        if has(["webhook"]) {
            asks.append("a webhook trigger")
        } else if has([" every day", " every night", " every morning", " every hour", " every week", " every month", " every monday",
                       " every tuesday", " every wednesday", " every thursday", " every friday", " every saturday", " every sunday",
                       "nightly", " daily", "weekly", "hourly", "monthly", " each morning", " each night", " every 5 minutes",
                       " every 15 minutes", " every 30 minutes"]) {
            asks.append("a schedule trigger with a cron expression")
        }
        let loop = has(["for each", " each of ", " every customer", " every order", " every vehicle", " every item", " all the ", " for every "])
        if loop {
            asks.append(has(["at a time", "in parallel", "concurrently", " at once"])
                ? "a foreach step over the list, with \"concurrency\" for the items run at once" : "a foreach step over the list")
        } else if has(["in parallel", "at the same time", "simultaneous", "concurrently"]) {
            asks.append("a parallel step with one branch per thing done at the same time")
        }
        if has(["depending on", " by severity", " by tier", " by status", " route "]) {
            asks.append("a switch step with one case per route")
        } else if [" if ", " unless ", " otherwise "].contains(where: { Self.withoutFailureClauses(text).contains($0) }) {
            asks.append("a condition step (\"if\" with \"then\" and, where the request says what else, \"else\")")
        }
        if has(["approv", "sign off", "sign-off"]) {
            asks.append(has([" up to ", " within ", "timeout", " times out", " no answer", " no one "])
                ? "a wait step for approval with a \"timeout\" and \"onTimeout\" steps" : "a wait step for approval")
        }
        if has(["callback", "call back", "wait for the supplier", "wait for a reply", "wait for their reply", "wait for the reply",
                "wait for confirmation", "until they confirm", "until the supplier"]) {
            asks.append("a wait step for a callback")
        }
        if has([" later", " wait ", " then wait", " after waiting"]), !has(["wait for approval", "wait up to"]) {
            asks.append("a wait step for a timer (\"duration\")")
        }
        if has(["retry", "retrying", "try again", " attempts"]) {
            asks.append("a \"retry\" policy on the step that may fail")
        }
        if has([" undo", "roll back", "rollback", "compensat", " if any step fails", " if anything fails"]) {
            asks.append("\"compensate\" steps that undo earlier calls, and \"onError\": {\"action\": \"compensate\"}")
        }
        return asks
    }

    /// `text` without "if anything fails", "if the charge fails" ...: those ask for undoing or handling, not a condition.
    static func withoutFailureClauses(_ text: String) -> String {
        failureClause.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
    }

    private static let failureClause = try! NSRegularExpression(pattern: #" if [a-z' ]{0,40}?(fails|goes wrong)"#)

    /// The checklist as the prompt says it, or nothing.
    static func text(for request: String) -> String {
        let asks = checklist(for: request)
        guard !asks.isEmpty else { return "" }
        return "The request below asks for: " + asks.joined(separator: "; ") + ". Write one step for each action it names, in order.\n"
    }
}
