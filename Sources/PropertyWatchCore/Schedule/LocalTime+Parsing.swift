extension LocalTime {
    /// Parses `HH:MM` (00:00…23:59, and 24:00 for the end of a day); nil otherwise.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]),
            hour >= 0, minute >= 0, minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        self.init(hour: hour, minute: minute)
    }
}
