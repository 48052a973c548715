import BatonTestSupport
import Foundation
import Testing
import WorkflowModel
import WorkflowRepository
import WorkflowService

/// When a cron expression fires in a real time zone, across the days its clocks change.
@Suite struct CronCalendarTests {
    static func instant(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    static func calendar(_ cron: String, _ zone: String) -> CronCalendar {
        CronCalendar(cron: try! CronSchedule(parsing: cron), timeZone: TimeZone(identifier: zone)!)
    }

    /// The first `count` fire times after `start`, as UTC ISO 8601 text.
    static func fires(_ calendar: CronCalendar, after start: String, count: Int) -> [String] {
        var found: [String] = []
        var cursor = instant(start)
        while found.count < count, let next = calendar.nextFire(after: cursor) {
            found.append(next.formatted(.iso8601))
            cursor = next
        }
        return found
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var zone: String
        var cron: String
        var after: String
        var fires: [String]
        var why: String
        var testDescription: String { "\(cron) in \(zone): \(why)" }
    }

    // Europe/London: 2026-03-29 01:00 GMT becomes 02:00 BST (01:00Z); 2026-10-25 02:00 BST becomes 01:00 GMT (01:00Z).
    // America/New_York: 2026-03-08 02:00 EST becomes 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT becomes 01:00 EST (06:00Z).
    static let cases: [Case] = [
        Case(zone: "Europe/London", cron: "30 1 * * *", after: "2026-03-27T12:00:00Z",
             fires: ["2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"],
             why: "01:30 does not exist on the 29th: once, at 02:00 BST, the end of the gap"),
        Case(zone: "Europe/London", cron: "30 1 * * *", after: "2026-10-23T12:00:00Z",
             fires: ["2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
             why: "01:30 happens twice on the 25th: once, at the first (BST)"),
        Case(zone: "America/New_York", cron: "30 2 * * *", after: "2026-03-06T12:00:00Z",
             fires: ["2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"],
             why: "02:30 does not exist on the 8th: once, at 03:00 EDT"),
        Case(zone: "America/New_York", cron: "30 1 * * *", after: "2026-03-06T12:00:00Z",
             fires: ["2026-03-07T06:30:00Z", "2026-03-08T06:30:00Z", "2026-03-09T05:30:00Z"],
             why: "01:30 is before the gap and exists every day"),
        Case(zone: "America/New_York", cron: "30 1 * * *", after: "2026-10-30T12:00:00Z",
             fires: ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"],
             why: "01:30 happens twice on 1 November: once, at the first (EDT)"),
        Case(zone: "Europe/London", cron: "0 * * * *", after: "2026-03-28T23:30:00Z",
             fires: ["2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", "2026-03-29T03:00:00Z"],
             why: "hourly through spring forward: 01:00 (missing) and 02:00 BST are the same instant, fired once"),
        Case(zone: "Europe/London", cron: "0 * * * *", after: "2026-10-24T22:30:00Z",
             fires: ["2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"],
             why: "hourly through fall back: the second 01:00 (GMT) does not fire"),
        Case(zone: "America/New_York", cron: "0 * * * *", after: "2026-03-08T05:30:00Z",
             fires: ["2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"],
             why: "hourly through spring forward: 02:00 (missing) and 03:00 EDT fire once"),
        Case(zone: "America/New_York", cron: "0 * * * *", after: "2026-11-01T04:30:00Z",
             fires: ["2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"],
             why: "hourly through fall back: the second 01:00 (EST) does not fire"),
        Case(zone: "Europe/London", cron: "*/15 * * * *", after: "2026-03-29T00:40:00Z",
             fires: ["2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z", "2026-03-29T01:30:00Z"],
             why: "every quarter hour: the missing 01:00 to 01:45 collapse into one fire at 02:00 BST"),
        Case(zone: "Europe/London", cron: "*/15 * * * *", after: "2026-10-25T00:40:00Z",
             fires: ["2026-10-25T00:45:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:15:00Z"],
             why: "every quarter hour: the repeated 01:00 to 01:45 GMT do not fire again"),
        Case(zone: "America/New_York", cron: "*/15 * * * *", after: "2026-11-01T05:40:00Z",
             fires: ["2026-11-01T05:45:00Z", "2026-11-01T07:00:00Z", "2026-11-01T07:15:00Z"],
             why: "every quarter hour through fall back"),
        Case(zone: "UTC", cron: "0 0 29 2 *", after: "2026-01-01T00:00:00Z",
             fires: ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"],
             why: "29 February only in leap years"),
        Case(zone: "Europe/Berlin", cron: "0 9 1 * MON", after: "2026-06-01T12:00:00Z",
             fires: ["2026-06-08T07:00:00Z", "2026-06-15T07:00:00Z", "2026-06-22T07:00:00Z", "2026-06-29T07:00:00Z", "2026-07-01T07:00:00Z"],
             why: "day of month and day of week both given: either fires"),
        Case(zone: "Asia/Kolkata", cron: "0 9 * * 1-5", after: "2026-06-05T04:00:00Z",
             fires: ["2026-06-08T03:30:00Z", "2026-06-09T03:30:00Z"],
             why: "a half-hour offset and weekdays only"),
    ]

    @Test(arguments: cases)
    func firesAsTheWallClockSays(_ c: Case) {
        #expect(Self.fires(Self.calendar(c.cron, c.zone), after: c.after, count: c.fires.count) == c.fires)
    }

    @Test(arguments: cases)
    func previousFireWalksTheSameTimesBack(_ c: Case) {
        let calendar = Self.calendar(c.cron, c.zone)
        for (earlier, later) in zip(c.fires, c.fires.dropFirst()) {
            let previous = calendar.previousFire(atOrBefore: Self.instant(later).addingTimeInterval(-1))
            #expect(previous?.formatted(.iso8601) == earlier)
            #expect(calendar.previousFire(atOrBefore: Self.instant(later))?.formatted(.iso8601) == later)
        }
    }

    @Test(arguments: [
        ("Europe/London", "2026-03-29", 23), ("Europe/London", "2026-10-25", 24), ("Europe/London", "2026-07-01", 24),
        ("America/New_York", "2026-03-08", 23), ("America/New_York", "2026-11-01", 24),
    ])
    func hourlyFiresOncePerExistingWallClockHour(zone: String, day: String, count: Int) {
        let calendar = Self.calendar("0 * * * *", zone)
        var local = Calendar(identifier: .gregorian)
        local.timeZone = TimeZone(identifier: zone)!
        let start = local.startOfDay(for: Self.instant(day + "T12:00:00Z"))
        let end = local.date(byAdding: .day, value: 1, to: start)!
        var cursor = start.addingTimeInterval(-1)
        var fired = 0
        while let next = calendar.nextFire(after: cursor), next < end {
            fired += 1
            cursor = next
        }
        #expect(fired == count)
    }

    @Test func anExpressionThatNeverFiresGivesNil() {
        let calendar = Self.calendar("0 0 30 2 *", "UTC")
        #expect(calendar.nextFire(after: Self.instant("2026-01-01T00:00:00Z")) == nil)
        #expect(calendar.previousFire(atOrBefore: Self.instant("2026-01-01T00:00:00Z")) == nil)
    }

    /// 10,000 random expressions in zones with and without daylight saving time: every next fire time is a whole
    /// minute after the start, its wall-clock time matches the expression (or it ends a gap the clocks jumped
    /// over), and nothing fires in between.
    @Test func tenThousandSchedulesFireWhereTheyShould() {
        let zones = [
            "UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "America/St_Johns",
            "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata", "Asia/Tokyo", "America/Sao_Paulo",
        ].map { TimeZone(identifier: $0)! }
        var random = SplitMix(state: 20_261_202)
        let start2024 = Self.instant("2024-01-01T00:00:00Z").timeIntervalSince1970
        var failures: [String] = []
        for _ in 0..<10_000 {
            let text = Self.randomCron(&random)
            let cron = try! CronSchedule(parsing: text)
            let zone = zones[Int(random.next() % UInt64(zones.count))]
            let after = Date(timeIntervalSince1970: start2024 + Double(random.next() % (6 * 365 * 86_400)) + 0.5)
            let calendar = CronCalendar(cron: cron, timeZone: zone)
            guard let next = calendar.nextFire(after: after) else {
                failures.append("\(text) in \(zone.identifier) after \(after): never")
                continue
            }
            let seconds = next.timeIntervalSince1970
            var ok = next > after && seconds.truncatingRemainder(dividingBy: 60) == 0
            ok = ok && (Self.wallClockMatches(cron, zone: zone, at: next) || Self.endsAGap(zone, at: next))
            ok = ok && (calendar.previousFire(atOrBefore: next.addingTimeInterval(-1)).map { $0 <= after } ?? true)
            if !ok { failures.append("\(text) in \(zone.identifier) after \(after.formatted(.iso8601)): \(next.formatted(.iso8601))") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    static func wallClockMatches(_ cron: CronSchedule, zone: TimeZone, at date: Date) -> Bool {
        var local = Calendar(identifier: .gregorian)
        local.timeZone = zone
        let parts = local.dateComponents([.month, .day, .hour, .minute, .weekday], from: date)
        let byMonth = cron.daysOfMonth.contains(parts.day!)
        let byWeek = cron.daysOfWeek.contains(parts.weekday! - 1)
        return cron.minutes.contains(parts.minute!) && cron.hours.contains(parts.hour!) && cron.months.contains(parts.month!)
            && (cron.eitherDay ? byMonth || byWeek : byMonth && byWeek)
    }

    static func endsAGap(_ zone: TimeZone, at date: Date) -> Bool {
        zone.nextDaylightSavingTimeTransition(after: date.addingTimeInterval(-1)) == date
            && zone.secondsFromGMT(for: date) > zone.secondsFromGMT(for: date.addingTimeInterval(-1))
    }

    /// A cron expression with each field `*`, a value, a list, a range or a step.
    static func randomCron(_ random: inout SplitMix) -> String {
        func pick(_ range: ClosedRange<Int>, _ random: inout SplitMix) -> Int {
            range.lowerBound + Int(random.next() % UInt64(range.count))
        }
        func field(_ range: ClosedRange<Int>, _ random: inout SplitMix) -> String {
            switch random.next() % 6 {
            case 0, 1: return "*"
            case 2: return "\(pick(range, &random))"
            case 3: return "\(pick(range, &random)),\(pick(range, &random))"
            case 4:
                let (a, b) = (pick(range, &random), pick(range, &random))
                return "\(min(a, b))-\(max(a, b))"
            default: return "*/\(1 + Int(random.next() % UInt64(max(1, range.count / 3))))"
            }
        }
        return [field(0...59, &random), field(0...23, &random), field(1...28, &random), field(1...12, &random), field(0...6, &random)]
            .joined(separator: " ")
    }
}
