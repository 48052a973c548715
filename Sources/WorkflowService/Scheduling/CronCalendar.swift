import Foundation
import WorkflowModel

/// The instants a cron expression fires at in one time zone.
///
/// Cron fields are wall-clock times in the zone. A wall-clock time that does not exist (the clocks go forward over
/// it) fires once, at the first instant after the gap; one that happens twice (the clocks go back) fires once, at
/// its first occurrence. Fire times are whole minutes; nothing here reads the clock.
public struct CronCalendar: Sendable, Hashable {
    public let cron: CronSchedule
    public let timeZone: TimeZone

    /// How far a search looks before it decides the expression never fires (`0 0 30 2 *`): nine years, enough for
    /// February 29 across a skipped leap year.
    static let searchDays = 9 * 366

    private let hours: [Int]
    private let minutes: [Int]

    public init(cron: CronSchedule, timeZone: TimeZone) {
        self.cron = cron
        self.timeZone = timeZone
        hours = cron.hours.sorted()
        minutes = cron.minutes.sorted()
    }

    /// The first fire time strictly after `date`, or nil when the expression never fires.
    public func nextFire(after date: Date) -> Date? {
        let limit = date.timeIntervalSince1970
        let firstDay = localDay(containing: date) - 1
        for day in firstDay...(firstDay + Self.searchDays) where matches(day: day) {
            let zone = ZoneSegments(zone: timeZone, day: day)
            for hour in hours {
                for minute in minutes {
                    let instant = zone.instant(wallClock: day * 86_400 + hour * 3_600 + minute * 60)
                    if Double(instant) > limit { return Date(timeIntervalSince1970: Double(instant)) }
                }
            }
        }
        return nil
    }

    /// The last fire time at or before `date`, or nil when there is none in the nine years before it.
    public func previousFire(atOrBefore date: Date) -> Date? {
        let limit = date.timeIntervalSince1970
        let lastDay = localDay(containing: date) + 1
        for day in stride(from: lastDay, through: lastDay - Self.searchDays, by: -1) where matches(day: day) {
            let zone = ZoneSegments(zone: timeZone, day: day)
            for hour in hours.reversed() {
                for minute in minutes.reversed() {
                    let instant = zone.instant(wallClock: day * 86_400 + hour * 3_600 + minute * 60)
                    if Double(instant) <= limit { return Date(timeIntervalSince1970: Double(instant)) }
                }
            }
        }
        return nil
    }

    /// The local calendar day (days since 1970-01-01) that `date` falls on in the zone.
    private func localDay(containing date: Date) -> Int {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        return Int((Double(seconds) / 86_400).rounded(.down))
    }

    /// Whether cron's month, day-of-month and day-of-week fields allow this local day; when both day fields are
    /// restricted either may match, as in every cron.
    private func matches(day: Int) -> Bool {
        let (_, month, dayOfMonth) = Self.civil(fromDays: day)
        guard cron.months.contains(month) else { return false }
        let weekday = ((day % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday (4); Sunday is 0
        let byMonth = cron.daysOfMonth.contains(dayOfMonth)
        let byWeek = cron.daysOfWeek.contains(weekday)
        return cron.eitherDay ? byMonth || byWeek : byMonth && byWeek
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// The zone's UTC offsets around one local day: the stretches between its transitions, each with its offset, so
/// that a wall-clock time maps to an instant without asking the zone again.
private struct ZoneSegments {
    /// Each stretch starts at `start` (seconds since 1970) and keeps `offset` until the next one starts.
    private var segments: [(start: Int, offset: Int)] = []

    init(zone: TimeZone, day: Int) {
        // Offsets lie within a day either way of UTC, so the day's wall-clock times fall in this window.
        let from = day * 86_400 - 2 * 86_400
        let to = day * 86_400 + 3 * 86_400
        var start = from
        while true {
            segments.append((start, zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(start)))))
            guard let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(start))),
                next.timeIntervalSince1970 < Double(to)
            else { break }
            start = Int(next.timeIntervalSince1970.rounded())
        }
    }

    /// The instant of a wall-clock time (seconds since 1970 as if the zone were UTC): its first occurrence when
    /// it happens twice, the end of the gap when it does not happen at all.
    func instant(wallClock: Int) -> Int {
        for (index, segment) in segments.enumerated() {
            let end = index + 1 < segments.count ? segments[index + 1].start : Int.max
            let candidate = wallClock - segment.offset
            if candidate >= segment.start && candidate < end { return candidate }
            // Skipped over: before this segment's end under its own offset, past it under the next one's.
            if index + 1 < segments.count, candidate >= end, wallClock - segments[index + 1].offset < end { return end }
        }
        return wallClock - (segments.last?.offset ?? 0)
    }
}
