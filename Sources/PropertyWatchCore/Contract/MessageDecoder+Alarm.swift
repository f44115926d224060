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
            if isSIA, plain {
                decoded = raw.count == 2 ? AlarmCodes.sia(raw[0], raw[1]) : nil
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
        let eventID = try f.identifier("id", as: DeviceID.self).rawValue
        let time = try f.timestamp("time")
        let zone = try f.optionalIdentifier("zone", reusing: configuredZone, siteZones) ?? configuredZone
        try limits.checkSkew(time, field: "time", receivedAt: receivedAt)
        return AlarmEvent(
            site: site, device: device, zone: zone, eventClass: meaning.eventClass, isRestore: meaning.isRestore,
            trouble: meaning.trouble, sequence: sequence, eventID: eventID, deviceTime: time,
            code: meaning.code.isEmpty ? nil : meaning.code)
    }
}
