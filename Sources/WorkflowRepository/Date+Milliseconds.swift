import Foundation

/// Times are stored as whole milliseconds since 1970 (UTC), so a date read back equals the one returned on write.
extension Date {
    package init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    package var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
