/// A local time range within a day, such as `07:00-18:00`. An end at or before the start
/// means the range runs past midnight (`23:00-05:00`); an end of `24:00` means midnight.
/// A range belongs to the day it starts on.
public struct LocalTimeRange: Sendable, Hashable, CustomStringConvertible, Encodable {
    public var start: LocalTime
    public var end: LocalTime

    public init(_ start: LocalTime, _ end: LocalTime) {
        self.start = start
        self.end = end
    }

    /// The whole day, `00:00-24:00`.
    public static let wholeDay = LocalTimeRange(LocalTime(hour: 0), LocalTime(hour: 24))

    /// Whether the range ends on the next day.
    public var crossesMidnight: Bool { end <= start }

    /// Wall-clock minutes covered, ignoring daylight-saving changes.
    public var nominalMinutes: Int {
        let length = end.minutesSinceMidnight - start.minutesSinceMidnight
        return crossesMidnight ? length + 1440 : length
    }

    /// The instants of this range when it starts on `date`: `[start, end)`, resolved with
    /// `StockholmTime.resolve`, so a 23–05 night lasts 7 h in October and 5 h in March.
    public func interval(on date: LocalDate) -> Range<Timestamp>? {
        let from = StockholmTime.resolve(date, start)
        let to = StockholmTime.resolve(crossesMidnight ? date.adding(days: 1) : date, end)
        return from < to ? from..<to : nil
    }

    /// Whether `time` falls in the range, on the day it starts or, past midnight, the next.
    public func contains(_ time: LocalTime) -> Bool {
        let m = time.minutesSinceMidnight
        return crossesMidnight
            ? m >= start.minutesSinceMidnight || m < end.minutesSinceMidnight
            : m >= start.minutesSinceMidnight && m < end.minutesSinceMidnight
    }

    public var description: String { "\(start)-\(end)" }
}

extension LocalTimeRange {
    /// Parses `HH:MM-HH:MM`; nil when malformed or out of range.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let start = LocalTime(parsing: parts[0].trimmingSpaces), start.hour < 24,
            let end = LocalTime(parsing: parts[1].trimmingSpaces)
        else { return nil }
        self.init(start, end)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
