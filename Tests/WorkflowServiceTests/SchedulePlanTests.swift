import Foundation
import Testing
import WorkflowModel
import WorkflowRepository
import WorkflowService

/// Which fire times a schedule starts after downtime and while its previous run is still going.
@Suite struct SchedulePlanTests {
    static func at(_ time: String) -> Date { CronCalendarTests.instant("2026-01-01T\(time):00Z") }

    static func plan(
        _ cron: String = "0 * * * *", catchUp: Trigger.CatchUp = .latest, maxCatchUp: Int = 100, overlap: Trigger.Overlap = .skip
    ) -> SchedulePlan {
        SchedulePlan(
            calendar: CronCalendarTests.calendar(cron, "UTC"), catchUp: catchUp, maxCatchUp: maxCatchUp, overlap: overlap, grace: 60)
    }

    static func times(_ dates: [Date]) -> [String] {
        // "2026-01-01T05:00:00Z" -> "05:00"
        dates.map { String($0.formatted(.iso8601).dropFirst(11).prefix(5)) }
    }

    struct CatchUpCase: Sendable, CustomTestStringConvertible {
        var catchUp: Trigger.CatchUp
        var maxCatchUp = 100
        var lastFire: String?
        var activatedAt = "00:00"
        var now: String
        var start: [String]
        var why: String
        var testDescription: String { "\(catchUp): \(why)" }
    }

    // Hourly, down from just after 00:00 until now; the last fire time recorded was 00:00.
    static let catchUpCases: [CatchUpCase] = [
        CatchUpCase(catchUp: .none, lastFire: "00:00", now: "05:10", start: [], why: "five missed, none started; wait for 06:00"),
        CatchUpCase(catchUp: .none, lastFire: "00:00", now: "05:00:30", start: ["05:00"], why: "the latest is within the grace: on time"),
        CatchUpCase(catchUp: .latest, lastFire: "00:00", now: "05:10", start: ["05:00"], why: "one run for the most recent missed time"),
        CatchUpCase(catchUp: .all, lastFire: "00:00", now: "05:10", start: ["01:00", "02:00", "03:00", "04:00", "05:00"],
                    why: "every missed time, oldest first"),
        CatchUpCase(catchUp: .all, maxCatchUp: 3, lastFire: "00:00", now: "05:10", start: ["03:00", "04:00", "05:00"],
                    why: "bounded by maxCatchUp: the most recent ones"),
        CatchUpCase(catchUp: .all, lastFire: nil, activatedAt: "05:10", now: "05:10", start: [], why: "just activated: nothing caught up"),
        CatchUpCase(catchUp: .all, lastFire: nil, activatedAt: "03:30", now: "05:10", start: ["04:00", "05:00"],
                    why: "activated at 03:30, never fired: only what came after activation"),
        CatchUpCase(catchUp: .latest, lastFire: "05:00", now: "05:59", start: [], why: "nothing due since the last fire"),
        CatchUpCase(catchUp: .latest, lastFire: "05:00", now: "06:00", start: ["06:00"], why: "exactly on time"),
    ]

    @Test(arguments: catchUpCases)
    func catchUpAfterDowntime(_ c: CatchUpCase) {
        let now = c.now.count > 5 ? CronCalendarTests.instant("2026-01-01T\(c.now)Z") : Self.at(c.now)
        let decision = Self.plan(catchUp: c.catchUp, maxCatchUp: c.maxCatchUp).decide(
            .init(lastFire: c.lastFire.map(Self.at), activatedAt: Self.at(c.activatedAt), now: now))
        #expect(Self.times(decision.start) == c.start)
        #expect(decision.overlap == nil && decision.skipped.isEmpty && decision.buffered == nil)
        let nextHour = Calendar(identifier: .gregorian).nextDate(
            after: now, matching: DateComponents(minute: 0, second: 0), matchingPolicy: .strict)
        #expect(decision.nextFire == nextHour)
        if let newest = decision.start.last { #expect(decision.lastFire == newest) }
    }

    @Test func timesPassedOverStillMoveTheRecordedFireTime() {
        // With catch-up none nothing starts, but the missed times are dealt with: a later decision does not see them.
        let plan = Self.plan(catchUp: .none)
        let first = plan.decide(.init(lastFire: Self.at("00:00"), activatedAt: Self.at("00:00"), now: Self.at("05:10")))
        #expect(first.lastFire == Self.at("05:00"))
        let again = plan.decide(.init(lastFire: first.lastFire, activatedAt: Self.at("00:00"), now: Self.at("05:20")))
        #expect(again.start.isEmpty && again.lastFire == Self.at("05:00"))
    }

    struct OverlapCase: Sendable, CustomTestStringConvertible {
        var overlap: Trigger.Overlap
        var catchUp: Trigger.CatchUp = .latest
        var running: Bool
        var buffered: String?
        var now = "05:00:05"
        var start: [String]
        var skipped: [String] = []
        var bufferedAfter: String?
        var action: SchedulePlan.OverlapAction?
        var why: String
        var testDescription: String { "\(overlap): \(why)" }
    }

    // Hourly, last fired at 04:00.
    static let overlapCases: [OverlapCase] = [
        OverlapCase(overlap: .skip, running: false, start: ["05:00"], why: "nothing running: start"),
        OverlapCase(overlap: .skip, running: true, start: [], skipped: ["05:00"], action: .skipped, why: "still running: skip this time"),
        OverlapCase(overlap: .allow, running: true, start: ["05:00"], action: .startedAlongside, why: "still running: start anyway"),
        OverlapCase(overlap: .buffer, running: true, start: [], bufferedAfter: "05:00", action: .buffered, why: "still running: hold one"),
        OverlapCase(overlap: .buffer, running: true, buffered: "04:00", start: [], skipped: ["05:00"], bufferedAfter: "04:00",
                    action: .skipped, why: "one already held: later times are skipped"),
        OverlapCase(overlap: .buffer, running: false, buffered: "04:00", now: "04:30", start: ["04:00"],
                    why: "the running one ended: the held time starts"),
        OverlapCase(overlap: .buffer, running: false, buffered: "04:00", start: ["04:00"], bufferedAfter: "05:00", action: .buffered,
                    why: "the held time starts and the one now due waits for it"),
        OverlapCase(overlap: .buffer, catchUp: .all, running: true, now: "07:10", start: [], skipped: ["06:00", "07:00"],
                    bufferedAfter: "05:00", action: .buffered, why: "after downtime: the oldest is held, the rest skipped"),
        OverlapCase(overlap: .allow, catchUp: .all, running: true, now: "07:10", start: ["05:00", "06:00", "07:00"],
                    action: .startedAlongside, why: "after downtime: all start alongside"),
    ]

    @Test(arguments: overlapCases)
    func overlapWithTheRunningRun(_ c: OverlapCase) {
        let now = c.now.count > 5 ? CronCalendarTests.instant("2026-01-01T\(c.now)Z") : Self.at(c.now)
        let decision = Self.plan(catchUp: c.catchUp, overlap: c.overlap).decide(
            .init(lastFire: Self.at("04:00"), activatedAt: Self.at("00:00"), now: now, previousRunActive: c.running,
                  buffered: c.buffered.map(Self.at)))
        #expect(Self.times(decision.start) == c.start)
        #expect(Self.times(decision.skipped) == c.skipped)
        #expect(decision.buffered == c.bufferedAfter.map(Self.at))
        #expect(decision.overlap == c.action)
    }

    @Test func aRepeatedDecisionStartsTheSameFireTimes() {
        // The fire time is the run's idempotency key: deciding twice before recording gives the same keys.
        let plan = Self.plan(catchUp: .all)
        let situation = SchedulePlan.Situation(lastFire: Self.at("00:00"), activatedAt: Self.at("00:00"), now: Self.at("03:30"))
        #expect(plan.decide(situation) == plan.decide(situation))
    }

    @Test func aPlanReadsItsTrigger() throws {
        let trigger = Trigger(kind: .schedule, cron: "30 1 * * *", timezone: "Europe/London", catchUp: .all, maxCatchUp: 7, overlap: .buffer)
        let plan = try #require(SchedulePlan(trigger: trigger))
        #expect(plan.catchUp == .all && plan.maxCatchUp == 7 && plan.overlap == .buffer)
        #expect(plan.calendar.timeZone.identifier == "Europe/London")
        let defaults = try #require(SchedulePlan(trigger: Trigger(kind: .schedule, cron: "@daily")))
        #expect(defaults.catchUp == .latest && defaults.overlap == .skip && defaults.calendar.timeZone == TimeZone(identifier: "UTC"))
        #expect(SchedulePlan(trigger: Trigger(kind: .webhook, path: "/x")) == nil)
    }

    @Test func downtimeAcrossAClockChangeCatchesUpWallClockTimes() {
        // London, 01:30 daily, down from the 27th to the 31st of March 2026: 01:30 on the 29th did not exist.
        let plan = SchedulePlan(calendar: CronCalendarTests.calendar("30 1 * * *", "Europe/London"), catchUp: .all)
        let decision = plan.decide(.init(
            lastFire: CronCalendarTests.instant("2026-03-27T01:30:00Z"), activatedAt: CronCalendarTests.instant("2026-01-01T00:00:00Z"),
            now: CronCalendarTests.instant("2026-03-31T12:00:00Z")))
        #expect(decision.start.map { $0.formatted(.iso8601) } == [
            "2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z",
        ])
        #expect(decision.nextFire?.formatted(.iso8601) == "2026-04-01T00:30:00Z")
    }
}
