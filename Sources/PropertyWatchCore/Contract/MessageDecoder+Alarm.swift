extension MessageDecoder {
    /// `{"v":1,"site","device","zone"?,"class"|"sia"|"cid","restore"?,"trouble"?,"seq","id","time"}`.
    func decodeAlarm(
        _ f: FieldReader, site: SiteID, device: DeviceID, configuredZone: ZoneID?, siteZones: [ZoneID] = [],
        receivedAt: Timestamp
    ) throws(Rejection) -> AlarmEvent {
        try f.matchTopic("site", site.rawValue)
        try f.matchTopic("device", device.rawValue)
        let classIndex = f.optional("class")
        let siaIndex = f.optional("sia")
        let cidIndex = f.optional("cid")
        let given = (classIndex != nil ? 1 : 0) + (siaIndex != nil ? 1 : 0) + (cidIndex != nil ? 1 : 0)
        guard given > 0 else { throw Rejection(.missingField, "class (or sia or cid)") }
        guard given == 1 else { throw Rejection(.invalidField, "class, sia, cid: give exactly one") }
        let restoreField = try f.optionalBool("restore")
        let troubleField = try f.optionalEnumeration("trouble", as: TroubleKind.self)

        var meaning: AlarmCodeMeaning
        if let index = classIndex {
            guard f.document[index].kind == .string else { throw f.invalid("class", "expected a string", index) }
            guard let eventClass = f.document.match(index, AlarmCodes.classNames) else {
                throw Rejection(.unknownCode, "class: \(f.describe(index))")
            }
            meaning = AlarmCodeMeaning(eventClass: eventClass, isRestore: restoreField ?? false, code: "")
            if let troubleField {
                guard eventClass == .trouble else {
                    throw Rejection(.invalidField, "trouble: only valid with class \"trouble\", found class \"\(eventClass.rawValue)\"")
                }
                meaning.trouble = troubleField
            } else if eventClass == .trouble {
                meaning.trouble = .general
            }
        } else {
            let isSIA = siaIndex != nil
            let index = siaIndex ?? cidIndex.unsafelyUnwrapped
            let field: StaticString = isSIA ? "sia" : "cid"
            guard f.document[index].kind == .string else { throw f.invalid(field, "expected a string", index) }
            let raw = f.document.raw(index)
            let plain = f.document[index].flags & JSONToken.hasEscapes == 0
            let decoded: AlarmCodeMeaning?
            if plain {
                decoded = isSIA ? AlarmCodes.sia(raw) : AlarmCodes.contactID(raw)
            } else {
                let text = raw.count <= 8 ? f.document.string(index) : ""
                decoded = isSIA ? AlarmCodes.sia(text) : AlarmCodes.contactID(text)
            }
            guard let decoded else {
                throw Rejection(.unknownCode, "\(field): \(f.describe(index))")
            }
            if troubleField != nil {
                throw Rejection(.invalidField, "trouble: only valid with class \"trouble\", not with \(field)")
            }
            if let restoreField, restoreField != decoded.isRestore {
                throw Rejection(.invalidField, "restore: \(restoreField) contradicts \(decoded.code)")
            }
            meaning = decoded
        }

        let sequence = try f.unsigned("seq")
        var part: UInt8 = 1
        if f.optional("part") != nil {
            let value = try f.unsigned("part")
            guard (1...255).contains(value) else { throw Rejection(.invalidField, "part: \(value) is not 1…255") }
            part = UInt8(value)
        }
        let eventID = try f.identifier("id", as: DeviceID.self).rawValue
        let time = try f.timestamp("time")
        let model = directory.site(site)
        let zone = try alarmZone(f, model: model, panel: device, configured: configuredZone, siteZones: siteZones)
        let partition = try alarmPartition(f, model: model, panel: device)
        let user = try alarmUser(f, model: model, panel: device, armChange: meaning.eventClass == .open || meaning.eventClass == .close)
        let late = try limits.checkAge(time, field: "time", receivedAt: receivedAt)
        return AlarmEvent(
            site: site, device: device, zone: zone, eventClass: meaning.eventClass, isRestore: meaning.isRestore,
            trouble: meaning.trouble, sequence: sequence, eventID: eventID, deviceTime: time,
            code: meaning.code.isEmpty ? nil : meaning.code, partition: partition, user: user, late: late, part: part)
    }

    /// The alarm `AlarmPayloadScanner` reads in one pass, or nil when the general path must
    /// decide. Makes every check of `decodeAlarm` and gives up where that would refuse, so
    /// whatever it returns is exactly what `decodeAlarm` returns.
    func fastAlarm(
        _ payload: UnsafeRawBufferPointer, site siteBytes: UnsafeRawBufferPointer, device deviceBytes: UnsafeRawBufferPointer,
        entry: Int, receivedAt: Timestamp
    ) -> DecodeResult? {
        var f = AlarmPayloadScanner.Fields()
        guard AlarmPayloadScanner.scan(payload, site: siteBytes, device: deviceBytes, into: &f), f.hasVersion,
            let sequence = f.sequence, let idSpan = f.id
        else { return nil }
        func raw(_ span: AlarmPayloadScanner.Span) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: payload[span.start..<span.end])
        }

        var meaning: AlarmCodeMeaning
        switch (f.className, f.sia, f.cid) {
        case (let name?, nil, nil):
            guard let eventClass = AlarmCodes.eventClass(named: raw(name)) else { return nil }
            meaning = AlarmCodeMeaning(eventClass: eventClass, isRestore: f.restore ?? false, code: "")
            if let trouble = f.trouble {
                guard eventClass == .trouble, let kind = AlarmCodes.troubleKind(named: raw(trouble)) else { return nil }
                meaning.trouble = kind
            } else if eventClass == .trouble {
                meaning.trouble = .general
            }
        case (nil, let code?, nil), (nil, nil, let code?):
            let decoded = f.sia != nil ? AlarmCodes.sia(raw(code)) : AlarmCodes.contactID(raw(code))
            guard let decoded, f.trouble == nil else { return nil }
            if let restore = f.restore, restore != decoded.isRestore { return nil }
            meaning = decoded
        default:
            return nil
        }

        let id = raw(idSpan)
        guard Self.isIdentifier(id) else { return nil }
        let time: Timestamp
        if let ms = f.epochMilliseconds {
            time = Timestamp(millisecondsSinceEpoch: ms)
        } else if let text = f.rfc3339, let parsed = RFC3339.parse(raw(text)) {
            time = parsed
        } else {
            return nil
        }
        let late: Bool
        do throws(Rejection) {
            late = try limits.checkAge(time, field: "time", receivedAt: receivedAt)
        } catch {
            return nil
        }
        let entries = directory.devices.entries
        var zone = entries[entry].zone
        var slot = entries[entry].slot
        if let zoneSpan = f.zone {
            let bytes = raw(zoneSpan)
            guard Self.isIdentifier(bytes) else { return nil }
            // A zone the site does not configure is refused by the general path.
            guard let known = entries[entry].siteZones.zone(spelledBy: bytes) else { return nil }
            zone = known.id
            slot = slot.with(zone: known.slot)
        }
        return .message(.alarm(AlarmEvent(
            site: entries[entry].site, device: entries[entry].device, zone: zone, eventClass: meaning.eventClass,
            isRestore: meaning.isRestore, trouble: meaning.trouble, sequence: sequence,
            eventID: String(decoding: id, as: UTF8.self), deviceTime: time,
            code: meaning.code.isEmpty ? nil : meaning.code, late: late, slot: slot)))
    }

    /// What `FieldReader` accepts as an identifier, for the bytes of a string without escapes
    /// (which holds no control characters below 0x20).
    private static func isIdentifier(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty, bytes.count <= FieldReader.maxIdentifierBytes, let base = bytes.baseAddress else { return false }
        var i = 0
        // Eight bytes at a time: a high bit for each byte equal to '/', '+', '#' or DEL.
        let ones: UInt64 = 0x0101_0101_0101_0101
        while i &+ 8 <= bytes.count {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let slash = w ^ (ones &* 0x2F), plus = w ^ (ones &* 0x2B), hash = w ^ (ones &* 0x23), delete = w ^ (ones &* 0x7F)
            let found = ((slash &- ones) & ~slash) | ((plus &- ones) & ~plus) | ((hash &- ones) & ~hash) | ((delete &- ones) & ~delete)
            if found & 0x8080_8080_8080_8080 != 0 { return false }
            i &+= 8
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x7F || b == UInt8(ascii: "/") || b == UInt8(ascii: "+") || b == UInt8(ascii: "#") { return false }
            i &+= 1
        }
        return true
    }
}
