import PropertyWatchCore

/// The indexed columns of a journaled input.
struct JournalKeys {
    var site: String?
    var device: String?
    var sequence: Int64?

    init(_ message: InboundMessage) {
        switch message {
        case .alarm(let e):
            self.init(site: e.site.rawValue, device: e.device.rawValue, sequence: Int64(truncatingIfNeeded: e.sequence))
        case .camera(let c):
            self.init(site: c.site.rawValue, device: c.camera.rawValue, sequence: nil)
        case .heartbeat(let h):
            self.init(site: h.site.rawValue, device: h.device.rawValue, sequence: nil)
        case .checkIn(let c):
            self.init(site: c.site.rawValue, device: c.unit.rawValue, sequence: nil)
        case .position(let p):
            self.init(site: nil, device: p.unit.rawValue, sequence: nil)
        case .unitStatus(let s):
            self.init(site: nil, device: s.unit.rawValue, sequence: nil)
        case .reply(let r):
            self.init(site: nil, device: r.unit.rawValue, sequence: nil)
        case .video(.cameras(let feeds)) where feeds.count == 1:
            self.init(site: feeds[0].site.rawValue, device: feeds[0].camera.rawValue, sequence: nil)
        case .video:
            self.init(site: nil, device: nil, sequence: nil)
        }
    }

    init(site: String?, device: String?, sequence: Int64?) {
        self.site = site
        self.device = device
        self.sequence = sequence
    }
}
