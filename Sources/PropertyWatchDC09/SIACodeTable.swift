import PropertyWatchCore

/// The SIA DC-03 event codes and what each means to PropertyWatch.
///
/// Codes the daemon knows itself (`AlarmCodes.siaTable`) are published as `"sia"`; the rest
/// of this table as `"class"` with the code alongside. Administrative and informational codes
/// (access control, programming, schedules) are class `test`: journaled, not alarms.
public enum SIACodeTable {
    /// What a code's address field (the digits after it) names.
    public enum AddressKind: Sendable { case zone, user, area }

    /// `code class[ r][ trouble-kind]`, one per line group; `r` marks a restore.
    static let source = """
        AA tamper;AB test;AN trouble r;AR trouble r mains-failure;AS trouble;AT trouble mains-failure
        BA intrusion;BB bypass;BC intrusion r;BD trouble;BE trouble r;BG intrusion;BH intrusion r;BJ trouble r
        BM intrusion;BR intrusion r;BS trouble;BT trouble;BU bypass r;BV intrusion;BX test;BZ trouble communication
        CA close;CB close;CD trouble;CE test;CF close;CG close;CI trouble;CJ close;CK close;CL close;CM trouble
        CP close;CQ close;CR test;CS close;CT trouble;CW close;CX close;CZ close
        DA test;DB test;DC test;DD test;DE test;DF intrusion;DG test;DH test;DI test;DJ trouble;DK test
        DL trouble;DM test;DN trouble;DO test;DP test;DQ test;DR intrusion r;DS test;DT trouble;DU test;DV test
        DW test;DX test;DY test;DZ test
        EA intrusion;EE trouble;EJ tamper r;EM trouble;EN trouble r;ER trouble r;ES tamper;ET trouble;EX test;EZ trouble
        FA fire;FB bypass;FC fire r;FG fire;FH fire r;FI test;FJ trouble r;FK test;FL test;FM fire;FQ trouble r
        FR fire r;FS trouble;FT trouble;FU bypass r;FX test;FY trouble;FZ trouble
        GA fire;GB bypass;GH fire r;GJ trouble r;GR fire r;GS trouble;GT trouble;GU bypass r;GX test
        HA hold-up;HB bypass;HH hold-up r;HJ trouble r;HR hold-up r;HS trouble;HT trouble;HU bypass r
        JA tamper;JD test;JH test;JK test;JL test;JO test;JP test;JR test;JS test;JT test;JV test;JX test;JY test;JZ test
        KA fire;KB bypass;KH fire r;KJ trouble r;KR fire r;KS trouble;KT trouble;KU bypass r
        LB test;LD test;LE test;LF test;LR trouble r communication;LS test;LT trouble communication;LU test;LX test
        MA hold-up;MB bypass;MH hold-up r;MJ trouble r;MR hold-up r;MS trouble;MT trouble;MU bypass r
        NA trouble;NF close;NL close;NM close;NR trouble r communication;NS test;NT trouble communication
        OA open;OC test;OG open;OH open;OI trouble;OJ open;OK open;OL open;OP open;OQ open;OR open;OS open
        OT trouble;OU trouble;OV trouble r;OZ open
        PA hold-up;PB bypass;PH hold-up r;PJ trouble r;PR hold-up r;PS trouble;PT trouble;PU bypass r
        QA hold-up;QB bypass;QH hold-up r;QJ trouble r;QR hold-up r;QS trouble;QT trouble;QU bypass r
        RA test;RB test;RC test;RD test;RN test;RO test;RP test;RR test;RS test;RT trouble;RU test;RX test;RY test
        SA fire;SB bypass;SC test;SH fire r;SJ trouble r;SR fire r;SS trouble;ST trouble;SU bypass r
        TA tamper;TB bypass;TC test;TE test;TH tamper r;TJ tamper r;TP test;TR tamper r;TS test;TT trouble;TX test
        UA intrusion;UB bypass;UH intrusion r;UJ trouble r;UR intrusion r;US trouble;UT trouble;UU bypass r;UX test
        UY trouble;UZ trouble
        VI test;VO trouble;VR trouble r;VT trouble;VX test;VY test;VZ trouble
        WA trouble;WB bypass;WH trouble r;WJ trouble r;WR trouble r;WS trouble;WT trouble;WU bypass r
        XA test;XE test;XF test;XH trouble r communication;XI test;XJ tamper r;XL trouble communication;XM trouble
        XQ trouble communication;XR trouble r low-battery;XS tamper;XT trouble low-battery;XW test;XX trouble
        YA trouble;YB test;YC trouble communication;YD trouble;YE trouble r;YF trouble;YG test;YH trouble r
        YI trouble;YJ trouble r;YK trouble r communication;YM trouble low-battery;YN trouble;YO trouble
        YP trouble mains-failure;YQ trouble r mains-failure;YR trouble r low-battery;YS trouble communication
        YT trouble low-battery;YU trouble;YW trouble;YX trouble;YY test;YZ test
        ZA trouble;ZB bypass;ZH trouble r;ZJ trouble r;ZR trouble r;ZS trouble;ZT trouble;ZU bypass r
        """

    /// Code → meaning.
    public static let table: [String: AlarmCodeMeaning] = {
        var table: [String: AlarmCodeMeaning] = [:]
        for entry in source.split(whereSeparator: { $0 == ";" || $0 == "\n" }) {
            let words = entry.split(separator: " ").map(String.init)
            guard words.count >= 2, let eventClass = EventClass(rawValue: words[1]) else {
                preconditionFailure("bad SIA table entry \(entry)")
            }
            let restore = words.contains("r")
            let trouble = words.dropFirst(2).compactMap { TroubleKind(rawValue: $0) }.first
                ?? (eventClass == .trouble ? .general : nil)
            table[words[0]] = AlarmCodeMeaning(eventClass: eventClass, isRestore: restore, trouble: trouble, code: "SIA:" + words[0])
        }
        return table
    }()

    /// Codes whose address is a user number (openings, closings, user actions).
    static let userCodes: Set<String> = [
        "BC", "CE", "CF", "CJ", "CK", "CL", "CP", "CQ", "CR", "DA", "DB", "EE", "JD", "JH", "JK", "JP", "JS", "JT", "JV",
        "JX", "JY", "JZ", "OC", "OH", "OJ", "OK", "OL", "OP", "OQ", "OR", "OT", "RX",
    ]
    /// Codes whose address is an area (partition).
    static let areaCodes: Set<String> = [
        "CA", "CD", "CG", "CI", "CT", "CW", "FI", "FK", "JA", "JR", "NF", "NL", "NM", "OA", "OG", "OI",
    ]

    public static func addressKind(_ code: String) -> AddressKind {
        if userCodes.contains(code) { return .user }
        if areaCodes.contains(code) { return .area }
        return .zone
    }

    /// The meaning of `code`, nil when the code is not in the table.
    public static func meaning(_ code: String) -> AlarmCodeMeaning? { table[code] }
}
