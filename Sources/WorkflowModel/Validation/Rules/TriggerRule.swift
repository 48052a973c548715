import Foundation

/// A schedule's cron expression parses and fires on some day, its time zone exists and its catch-up bound is in range; a webhook has a
/// plain path and either names the secret its deliveries are signed with or says, with `"auth": "none"`, that it
/// takes unsigned ones.
struct TriggerRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        let trigger = context.definition.trigger
        var diagnostics: [Diagnostic] = []
        if let cron = trigger.cron {
            do {
                let schedule = try CronSchedule(parsing: cron)
                if !schedule.firesOnSomeDay {
                    diagnostics.append(Diagnostic(
                        .cronInvalid, at: "/trigger/cron", "the cron expression \"\(cron)\" never fires: no month it names has those days",
                        hint: "Pick days of the month that the months have, e.g. \"0 0 28 2 *\" rather than \"0 0 30 2 *\"."))
                }
            } catch {
                diagnostics.append(Diagnostic(
                    .cronInvalid, at: "/trigger/cron", "the cron expression \"\(cron)\" is not valid: \(error.message)",
                    hint: "Write five fields: minute hour day-of-month month day-of-week, e.g. \"0 7 * * 1-5\" for 07:00 on weekdays."))
            }
        }
        if let zone = trigger.timezone, TimeZone(identifier: zone) == nil {
            diagnostics.append(Diagnostic(
                .fieldValue, at: "/trigger/timezone", "\"\(zone)\" is not a known time zone",
                hint: "Use an IANA time zone name such as \"Europe/Berlin\" or \"UTC\"."))
        }
        if let bound = trigger.maxCatchUp, !(1...Trigger.maxCatchUpLimit).contains(bound) {
            diagnostics.append(Diagnostic(
                .fieldValue, at: "/trigger/maxCatchUp", "maxCatchUp must be 1 to \(Trigger.maxCatchUpLimit), not \(bound)",
                hint: "Set \"maxCatchUp\" to the most missed runs to start after downtime, e.g. \(Trigger.defaultMaxCatchUp)."))
        }
        if let path = trigger.path, !Self.isPlainPath(path) {
            diagnostics.append(Diagnostic(
                .triggerPathInvalid, at: "/trigger/path",
                "the webhook path \"\(path)\" must start with '/' and hold only letters, digits, '-', '_' and '/', at most \(Trigger.maxPathLength) characters",
                hint: "Use a plain path such as \"/hooks/new-lead\", without a host, query or spaces."))
        }
        if trigger.kind == .webhook { diagnostics += webhookAuthentication(trigger) }
        return diagnostics
    }

    private func webhookAuthentication(_ trigger: Trigger) -> [Diagnostic] {
        switch (trigger.secret, trigger.auth) {
        case (nil, nil):
            return [Diagnostic(
                .triggerWebhookUnsigned, at: "/trigger",
                "the webhook trigger neither names a signing secret nor says it accepts unsigned deliveries",
                hint: "Add \"secret\": \"NAME\" (the name of the secret holding the sender's whsec_ key) to the trigger, "
                    + "or \"auth\": \"none\" to accept unsigned deliveries from anyone who knows the path.")]
        case (.some, .some):
            return [Diagnostic(
                .fieldValue, at: "/trigger/auth", "the webhook trigger names a secret and also says \"auth\": \"none\"",
                hint: "Keep \"secret\" to require signed deliveries, or remove it to accept unsigned ones; not both.")]
        case (.some(let name), nil) where name.hasPrefix("whsec_"):
            return [Diagnostic(
                .fieldValue, at: "/trigger/secret", "\"secret\" holds a signing key; it must hold the NAME of a secret",
                hint: "Store the whsec_ key as a secret (for example WEBHOOK_SECRET) and write that name here, never the key.")]
        case (.some(let name), nil) where !Self.isSecretName(name):
            return [Diagnostic(
                .fieldValue, at: "/trigger/secret", "\"\(name)\" is not a secret name",
                hint: "Name the secret with letters, digits, '_', '.' and '-', starting with a letter or '_', e.g. \"LEADS_WEBHOOK_SECRET\".")]
        default:
            return []
        }
    }

    static func isPlainPath(_ path: String) -> Bool {
        path.hasPrefix("/") && path.utf8.count <= Trigger.maxPathLength
            && path.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_/".unicodeScalars.contains($0)) }
    }

    static func isSecretName(_ name: String) -> Bool {
        guard (1...128).contains(name.utf8.count), let first = name.unicodeScalars.first,
            first == "_" || first.isASCII && first.properties.isAlphabetic
        else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) }
    }
}
