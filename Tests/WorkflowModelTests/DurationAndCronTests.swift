import Testing
import WorkflowModel

@Suite struct DurationAndCronTests {
    @Test(arguments: [("500ms", 500), ("30s", 30_000), ("5m", 300_000), ("2h", 7_200_000), ("7d", 604_800_000), ("1h30m", 5_400_000)])
    func durationsParse(text: String, milliseconds: Int64) {
        #expect(WorkflowDuration(text)?.milliseconds == milliseconds)
        #expect(WorkflowDuration(text)?.description == text)
    }

    @Test(arguments: ["", "10", "5 minutes", "1w", "h", "-1s", "1.5s", "99999999999999999s"])
    func badDurationsDoNot(text: String) {
        #expect(WorkflowDuration(text) == nil)
    }

    @Test func cronFieldsExpand() throws {
        let cron = try CronSchedule(parsing: "*/15 7-9 * JAN,jul MON-FRI")
        #expect(cron.minutes == [0, 15, 30, 45])
        #expect(cron.hours == [7, 8, 9])
        #expect(cron.months == [1, 7])
        #expect(cron.daysOfWeek == [1, 2, 3, 4, 5])
        #expect(try CronSchedule(parsing: "@daily").hours == [0])
        #expect(try CronSchedule(parsing: "0 0 * * 7").daysOfWeek == [0])
    }

    @Test(arguments: ["61 * * * *", "* * *", "0 25 * * *", "0 0 * 13 *", "every day", "0 0 0 * *", "5-1 * * * *", "*/0 * * * *"])
    func invalidCronIsRejected(text: String) {
        #expect(throws: CronSchedule.ParseError.self) { try CronSchedule(parsing: text) }
    }
}
