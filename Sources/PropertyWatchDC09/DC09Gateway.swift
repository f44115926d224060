import PropertyWatchConfig
import PropertyWatchCore

/// Decides what each frame means and what to answer: the receiver's rules, without I/O.
///
/// Order of checks: framing (length, CRC), header, account, encryption (required unless the
/// account allows plain frames), decryption, content, timestamp window, payload. Time comes in
/// as epoch milliseconds.
public struct DC09Gateway: Sendable {
    public let settings: DC09Settings
    public let accounts: [String: DC09Account]

    public init(settings: DC09Settings, accounts: [DC09Account]) {
        self.settings = settings
        var byNumber: [String: DC09Account] = [:]
        for a in accounts { byNumber[a.settings.account] = a }
        self.accounts = byNumber
    }

    /// Decides about one frame (LF … CR).
    /// - Parameter padding: random bytes for an encrypted reply's padding (at least 15).
    public func evaluate(_ bytes: [UInt8], now: Int64, padding: [UInt8]) -> DC09Evaluation {
        let frame: DC09Frame
        switch DC09FrameParser.parse(bytes) {
        case .success(let f): frame = f
        case .failure(let error):
            if settings.badFrame == .nak, error.reason != "malformed" {
                return DC09Evaluation(.reply(.nak, DC09Reply.nak(now: now)), reason: error.reason, detail: error.detail)
            }
            return DC09Evaluation(.none, reason: error.reason, detail: error.detail)
        }
        let acct = frame.account
        guard let account = accounts[acct] else {
            let decision: DC09Evaluation.Decision = settings.unknownAccount == .duh ? .reply(.duh, DC09Reply.duh(to: frame)) : .none
            return DC09Evaluation(decision, account: acct, reason: "unknown-account", detail: "account \(acct)")
        }
        let contentBytes: [UInt8]
        if frame.encrypted {
            guard let cipher = account.cipher else {
                return DC09Evaluation(.reply(.duh, DC09Reply.duh(to: frame)), account: acct, reason: "no-key",
                                      detail: "encrypted frame, but no key_file for account \(acct)")
            }
            switch cipher.decrypt(hexBody: frame.body).flatMap(DC09Cipher.content(ofPlaintext:)) {
            case .success(let c): contentBytes = c
            case .failure(let e):
                return DC09Evaluation(.reply(.duh, DC09Reply.duh(to: frame)), account: acct, reason: e.reason, detail: e.detail)
            }
        } else {
            guard account.settings.allowUnencrypted else {
                return DC09Evaluation(.reply(.duh, DC09Reply.duh(to: frame)), account: acct, reason: "unencrypted",
                                      detail: "plain frame from account \(acct), which needs encryption")
            }
            contentBytes = frame.body
        }
        let content: DC09Content
        switch DC09Content.parse(contentBytes) {
        case .success(let c): content = c
        case .failure(let e):
            // A frame that decrypted to nonsense was most likely encrypted with another key.
            let decision: DC09Evaluation.Decision = frame.encrypted ? .reply(.duh, DC09Reply.duh(to: frame)) : .none
            return DC09Evaluation(decision, account: acct, reason: frame.encrypted ? "undecryptable" : e.reason, detail: e.detail)
        }
        if frame.encrypted, content.timestamp == nil {
            return DC09Evaluation(.reply(.nak, DC09Reply.nak(now: now)), account: acct, reason: "no-timestamp",
                                  detail: "encrypted frame without a timestamp")
        }
        if let t = content.timestamp {
            let ahead = t - now
            if ahead > Int64(settings.windowFutureSeconds) * 1000 || -ahead > Int64(settings.windowPastSeconds) * 1000 {
                return DC09Evaluation(.reply(.nak, DC09Reply.nak(now: now)), account: acct, reason: "time-window",
                                      detail: "timestamp \(DC09Timestamp.format(t)) is \(ahead / 1000) s from receiver time \(DC09Timestamp.format(now))")
            }
        }
        guard let sequence = frame.sequence(hex: account.settings.sequenceHex) else {
            return DC09Evaluation(.none, account: acct, reason: "malformed",
                                  detail: "sequence \(frame.sequenceText) is not decimal (sequence_hex is off for account \(acct))")
        }
        let eventTime = content.timestamp ?? now
        let site = account.settings.site, device = account.settings.device
        let topic = Topic.alarm(site: site, device: device)
        let ack = DC09Reply.ack(to: frame, cipher: account.cipher, now: now, padding: padding)
        let awaited = DC09Evaluation.Awaited(site: site, device: device, sequence: UInt64(sequence))
        let idBase = "dc09-\(acct)-\(frame.sequenceText)-\(eventTime / 1000)"
        switch frame.token {
        case "NULL":
            let payload = DC09AlarmPayload.linkTest(site: site, device: device, sequence: sequence, id: idBase, time: eventTime, account: acct)
            return DC09Evaluation(.publishAndAwait([.init(topic: topic, payload: payload)], awaited: awaited, ack: ack), account: acct)
        case "SIA-DCS", "ADM-CID":
            let parsed: Result<[DC09Event], DC09FrameError> = frame.token == "SIA-DCS"
                ? SIADCSParser.parse(content.data) : ContactIDParser.parse(content.data).map { [$0] }
            let events: [DC09Event]
            switch parsed {
            case .success(let e): events = e
            case .failure(let e):
                let decision: DC09Evaluation.Decision = settings.unknownCode == .duh ? .reply(.duh, DC09Reply.duh(to: frame)) : .none
                return DC09Evaluation(decision, account: acct, reason: "unreadable-data", detail: e.detail)
            }
            var publications: [DC09Evaluation.Publication] = []
            var unknown: [String] = []
            for (i, event) in events.enumerated() {
                if case .unknown = DC09AlarmPayload.mapping(event) { unknown.append(event.normalizedCode) }
                let zone = event.zone.map { account.settings.zones[$0]?.rawValue ?? $0 }
                let payload = DC09AlarmPayload.encode(
                    site: site, device: device, event: event, zone: zone, sequence: sequence,
                    id: events.count == 1 ? idBase : "\(idBase)-\(i + 1)", time: eventTime, account: acct, part: i + 1)
                publications.append(.init(topic: topic, payload: payload))
            }
            if !unknown.isEmpty {
                let reply: [UInt8]? = settings.unknownCode == .duh ? DC09Reply.duh(to: frame) : nil
                return DC09Evaluation(.publishAndReply(publications, reply == nil ? .none : .duh, reply), account: acct,
                                      reason: "unknown-code", detail: unknown.joined(separator: ", "))
            }
            return DC09Evaluation(.publishAndAwait(publications, awaited: awaited, ack: ack), account: acct)
        default:
            let decision: DC09Evaluation.Decision = settings.unknownCode == .duh ? .reply(.duh, DC09Reply.duh(to: frame)) : .none
            return DC09Evaluation(decision, account: acct, reason: "unknown-token", detail: "token \(frame.token)")
        }
    }
}
