/// Zones, partitions and users of an alarm event, named by id or by the panel's number, resolved
/// against the site's configuration. Unknown ones are refused with a precise reason, except
/// an unknown user on an opening or closing: that event is real and the engine treats the
/// opening as unauthorised. A site that configures no partitions (or no zone numbers) cannot
/// check them: a panel's partition (or zone number) is then left aside, not refused.
extension MessageDecoder {
    func alarmZone(
        _ f: FieldReader, model: SiteConfiguration?, panel: DeviceID, configured: ZoneID?, siteZones: [ZoneID]
    ) throws(Rejection) -> ZoneID? {
        guard let index = f.optional("zone") else { return configured }
        if f.document[index].kind == .number {
            let number = try f.unsigned("zone")
            let zones = model?.zones ?? []
            guard zones.contains(where: { $0.number != nil }) else { return configured }
            let match = zones.first { $0.number == Int(clamping: number) && $0.panel == panel }
                ?? zones.first { $0.number == Int(clamping: number) && $0.panel == nil }
            guard let match else { throw Rejection(.unknownZone, "zone: no zone number \(number) at \(model?.id.rawValue ?? "this site")") }
            return match.id
        }
        guard let zone = try f.optionalIdentifier("zone", reusing: configured, siteZones) else { return configured }
        if zone == configured { return zone }
        guard let model, model.zone(zone) != nil else {
            throw Rejection(.unknownZone, "zone: '\(zone)' is not a zone of \(model?.id.rawValue ?? "this site")")
        }
        return zone
    }

    func alarmPartition(_ f: FieldReader, model: SiteConfiguration?, panel: DeviceID) throws(Rejection) -> PartitionID? {
        guard let index = f.optional("partition") else { return nil }
        guard let model, !model.partitions.isEmpty else { return nil }
        let partitions = model.effectivePartitions
        if f.document[index].kind == .number {
            let number = try f.unsigned("partition")
            let match = partitions.first { $0.number == Int(clamping: number) && $0.panel == panel }
                ?? partitions.first { $0.number == Int(clamping: number) && $0.panel == nil }
            guard let match else {
                throw Rejection(.unknownPartition, "partition: no partition number \(number) at \(model.id.rawValue)")
            }
            return match.id
        }
        guard let id = try f.optionalIdentifier("partition", as: PartitionID.self) else { return nil }
        guard partitions.contains(where: { $0.id == id }) else {
            throw Rejection(.unknownPartition, "partition: '\(id)' is not a partition of \(model.id.rawValue)")
        }
        return id
    }

    func alarmUser(_ f: FieldReader, model: SiteConfiguration?, panel: DeviceID, armChange: Bool) throws(Rejection) -> UserID? {
        guard let index = f.optional("user") else { return nil }
        let users = model?.users ?? []
        if f.document[index].kind == .number {
            let number = try f.unsigned("user")
            if let match = users.first(where: { $0.number == Int(clamping: number) }) { return match.id }
            guard armChange || users.isEmpty else {
                throw Rejection(.unknownUser, "user: no user number \(number) at \(model?.id.rawValue ?? "this site")")
            }
            return UserID("#\(number)")
        }
        guard let id = try f.optionalIdentifier("user", as: UserID.self) else { return nil }
        guard users.contains(where: { $0.id == id }) || armChange || users.isEmpty else {
            throw Rejection(.unknownUser, "user: '\(id)' is not a user of \(model?.id.rawValue ?? "this site")")
        }
        return id
    }
}
