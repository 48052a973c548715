import Foundation

/// A schedule's cron expression parses and its time zone exists.
struct TriggerRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        let trigger = context.definition.trigger
        var diagnostics: [Diagnostic] = []
        if let cron = trigger.cron {
            do {
                _ = try CronSchedule(parsing: cron)
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
        return diagnostics
    }
}
