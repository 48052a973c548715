/// A five-field cron expression (minute, hour, day of month, month, day of week), or one of the macros
/// `@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`, `@annually`.
///
/// Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, and month and day names
/// (`JAN`, `MON`). Day of week 0 and 7 are both Sunday.
public struct CronSchedule: Sendable, Hashable {
    public var minutes: Set<Int>
    public var hours: Set<Int>
    public var daysOfMonth: Set<Int>
    public var months: Set<Int>
    public var daysOfWeek: Set<Int>
    /// Whether day of month and day of week were both restricted (cron then fires when either matches).
    public var eitherDay: Bool

    public struct ParseError: Error, Sendable, Hashable { public var message: String }

    private static let macros = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]
    private static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    public init(parsing text: String) throws(ParseError) {
        let trimmed = String(text.trimmingWhitespace())
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "a cron expression has 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try Self.field(fields[0], "minute", 0...59, names: [])
        hours = try Self.field(fields[1], "hour", 0...23, names: [])
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31, names: [])
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, nameBase: 1)
        var days = try Self.field(fields[4], "day of week", 0...7, names: Self.dayNames)
        if days.remove(7) != nil { days.insert(0) }
        daysOfWeek = days
        eitherDay = fields[2] != "*" && fields[4] != "*"
    }

    /// Whether some day matches: false for a day of the month that none of the months has (`0 0 30 2 *`).
    public var firesOnSomeDay: Bool {
        if eitherDay { return true }
        let longest = [1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31]
        return months.contains { month in daysOfMonth.contains { $0 <= longest[month, default: 31] } }
    }

    private static func field(
        _ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String], nameBase: Int = 0
    ) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(message: "the \(name) field '\(text)' has more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else {
                    throw ParseError(message: "the \(name) field '\(text)' has a step that is not a positive number")
                }
                step = s
            }
            let base = pieces[0]
            var bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw ParseError(message: "the \(name) field '\(text)' is not a valid range") }
                var numbers: [Int] = []
                for end in ends {
                    if let n = Int(end) {
                        numbers.append(n)
                    } else if let i = names.firstIndex(of: end.uppercased()) {
                        numbers.append(i + nameBase)
                    } else {
                        throw ParseError(message: "'\(end)' is not a valid \(name) (expected \(range.lowerBound)-\(range.upperBound))")
                    }
                }
                for n in numbers where !range.contains(n) {
                    throw ParseError(message: "\(n) is out of range for the \(name) field (\(range.lowerBound)-\(range.upperBound))")
                }
                guard numbers.first! <= numbers.last! else {
                    throw ParseError(message: "the \(name) range '\(base)' runs backwards")
                }
                bounds = numbers.first!...(pieces.count == 2 && numbers.count == 1 ? range.upperBound : numbers.last!)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }
}
