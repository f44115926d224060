import PropertyWatchCore

extension ConfigurationReader {
    /// The whole file.
    mutating func configuration(_ root: Entry) -> PropertyWatchConfiguration? {
        guard let f = fields(root, known: ConfigurationLoader.topLevelKeys) else { return nil }
        var daemon = DaemonSettings()
        daemon.broker = broker(f["broker"])
        daemon.journal = journal(f["journal"])
        daemon.http = http(f["http"])
        daemon.report = report(f["report"])
        daemon.ha = ha(f["ha"])
        if let level = choice(f["log_level"], of: Self.logLevels) { daemon.logLevel = level }
        let decoding = decoding(f["decoding"])
        let rules = rules(f["rules"], over: CorrelationRules())
        let sites = sites(require(f, "sites"), rules: rules)
        let patrol = patrol(f["patrol"], sites: Set(sites.map(\.id)))
        let frigate = frigate(f["frigate"], sites: sites, backfill: &daemon.frigateBackfill)
        var configuration = PropertyWatchConfiguration(
            daemon: daemon, watch: WatchConfiguration(sites: sites, patrol: patrol, decoding: decoding, frigate: frigate, rules: rules))
        configuration.dc09 = dc09(f["dc09"], sites: sites)
        return configuration
    }
}
