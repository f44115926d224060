import PropertyWatchCore

/// The Contact ID (SIA DC-05) event codes and what each means to PropertyWatch.
///
/// Codes the daemon knows (`AlarmCodes.contactID`) are published as `"cid"`; the rest of
/// this table as `"class"`. For open/close codes the qualifier tells opening (new) from
/// closing (restore). Informational codes are class `test`.
public enum ContactIDCodeTable {
    enum Kind: Sendable {
        case plain(EventClass, TroubleKind?)
        /// New = open, restore = close.
        case openClose
    }

    static let ranges: [(ClosedRange<Int>, Kind)] = [
        (100...101, .plain(.holdUp, nil)), (102...102, .plain(.trouble, .communication)),
        (110...118, .plain(.fire, nil)), (120...125, .plain(.holdUp, nil)),
        (130...136, .plain(.intrusion, nil)), (137...137, .plain(.tamper, nil)), (138...139, .plain(.intrusion, nil)),
        (140...143, .plain(.trouble, .general)), (144...145, .plain(.tamper, nil)), (146...146, .plain(.intrusion, nil)),
        (147...147, .plain(.trouble, .communication)), (150...150, .plain(.trouble, .general)),
        (151...151, .plain(.fire, nil)), (152...161, .plain(.trouble, .general)), (162...162, .plain(.fire, nil)),
        (163...169, .plain(.trouble, .general)), (200...206, .plain(.trouble, .general)),
        (300...300, .plain(.trouble, .general)), (301...301, .plain(.trouble, .mainsFailure)),
        (302...302, .plain(.trouble, .lowBattery)), (303...308, .plain(.trouble, .general)),
        (309...309, .plain(.trouble, .lowBattery)), (310...310, .plain(.trouble, .general)),
        (311...311, .plain(.trouble, .lowBattery)), (312...313, .plain(.trouble, .general)),
        (320...336, .plain(.trouble, .general)), (337...337, .plain(.trouble, .mainsFailure)),
        (338...338, .plain(.trouble, .lowBattery)), (339...339, .plain(.trouble, .general)),
        (341...341, .plain(.tamper, nil)), (342...342, .plain(.trouble, .mainsFailure)),
        (343...343, .plain(.trouble, .general)), (344...344, .plain(.trouble, .communication)),
        (350...357, .plain(.trouble, .communication)), (370...380, .plain(.trouble, .general)),
        (381...382, .plain(.trouble, .communication)), (383...383, .plain(.tamper, nil)),
        (384...384, .plain(.trouble, .lowBattery)), (385...393, .plain(.trouble, .general)),
        (400...409, .openClose), (411...416, .plain(.test, nil)), (421...422, .plain(.test, nil)),
        (423...423, .plain(.intrusion, nil)), (424...425, .plain(.test, nil)), (426...428, .plain(.trouble, .general)),
        (429...434, .plain(.test, nil)), (441...442, .plain(.close, nil)), (450...452, .openClose),
        (453...455, .plain(.trouble, .general)), (456...456, .plain(.close, nil)), (457...457, .plain(.trouble, .general)),
        (458...466, .plain(.test, nil)), (501...501, .plain(.test, nil)), (520...527, .plain(.test, nil)),
        (531...532, .plain(.test, nil)), (551...553, .plain(.test, nil)), (570...577, .plain(.bypass, nil)),
        (601...616, .plain(.test, nil)), (621...653, .plain(.test, nil)), (654...654, .plain(.trouble, .general)),
    ]

    /// Event numbers whose point field is a user, not a zone.
    static let userEvents: [ClosedRange<Int>] = [121...121, 400...409, 411...416, 421...425, 441...442, 450...466]

    static func isUserCode(_ event: Int) -> Bool { userEvents.contains { $0.contains(event) } }

    /// The meaning of a code such as `E130`, `R401` or `P602` (qualifier 6, a status report).
    public static func meaning(_ code: String) -> AlarmCodeMeaning? {
        guard code.utf8.count == 4, let q = code.first, let event = Int(code.dropFirst()) else { return nil }
        guard let (_, kind) = ranges.first(where: { $0.0.contains(event) }) else { return nil }
        let restore = q == "R"
        switch kind {
        case .openClose:
            return AlarmCodeMeaning(eventClass: restore ? .close : .open, code: "CID:" + code)
        case .plain(let eventClass, let trouble):
            return AlarmCodeMeaning(eventClass: eventClass, isRestore: restore, trouble: trouble, code: "CID:" + code)
        }
    }

    /// Distinct event numbers in the table.
    public static var eventCount: Int { ranges.reduce(0) { $0 + $1.0.count } }
}
