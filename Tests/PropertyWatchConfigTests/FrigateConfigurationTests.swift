import PropertyWatchConfig
import PropertyWatchCore
import Testing

/// One site with a camera and a `frigate:` section mapping it, eighteen lines long, so
/// appended lines start at line 19 (indent 2 for `frigate:` keys, 4 for another camera).
let frigateBase = """
    sites:
      - id: s1
        name: Skolan
        kind: school
        address: Skolvägen 1
        location: {lat: 59.5, lon: 17.6}
        zones:
          - {id: korridor, name: Korridor}
          - {id: gard, name: Gården}
        devices:
          - {id: panel, kind: panel}
          - {id: cam-1, kind: camera, camera_zones: [korridor]}
    frigate:
      cameras:
        skolan_korridor:
          site: s1
          device: cam-1
          zones: {korr: korridor}
    """

private func frigateAppending(_ lines: String) -> String { frigateBase + "\n" + lines }
private func frigateReplacing(_ old: String, _ new: String) -> String {
    precondition(frigateBase.contains(old))
    return frigateBase.replacingOccurrences(of: old, with: new)
}

@Suite struct FrigateConfigurationTests {
    static let camera = "frigate.cameras.skolan_korridor"

    static let cases: [BrokenCase] = [
        // The section's own keys.
        BrokenCase(yaml: frigateAppending("  minimun_score: 0.7"),
                   key: "frigate.minimun_score", line: 19, reason: "unknown key 'minimun_score'; did you mean 'minimum_score'?"),
        BrokenCase(yaml: frigateAppending("  minimum_score: 1.5"),
                   key: "frigate.minimum_score", line: 19, reason: "1.5 is out of range 0…1"),
        BrokenCase(yaml: frigateAppending("  minimum_score: high"),
                   key: "frigate.minimum_score", line: 19, reason: "expected a number, found 'high'"),
        BrokenCase(yaml: frigateAppending("  snapshot_base_url: ftp://127.0.0.1/frigate"),
                   key: "frigate.snapshot_base_url", line: 19, reason: "'ftp://127.0.0.1/frigate' is not an http:// or https:// URL"),
        BrokenCase(yaml: frigateAppending("  snapshot_base_url: http://"),
                   key: "frigate.snapshot_base_url", line: 19, reason: "is not an http:// or https:// URL"),
        BrokenCase(yaml: frigateAppending("  snapshot_base_url: http://frigate local:5000"),
                   key: "frigate.snapshot_base_url", line: 19, reason: "is not an http:// or https:// URL"),
        BrokenCase(yaml: frigateAppending("  url: http://a:5000\n  snapshot_base_url: http://b:5000"),
                   key: "frigate.url", line: 19, reason: "'http://a:5000' differs from snapshot_base_url 'http://b:5000'; set only url"),
        BrokenCase(yaml: frigateAppending("  backfill: {page_size: 0}"),
                   key: "frigate.backfill.page_size", line: 19, reason: "out of range 1…1000"),
        BrokenCase(yaml: frigateAppending("  backfill: {pages: 3}"),
                   key: "frigate.backfill.pages", line: 19, reason: "unknown key 'pages'"),
        BrokenCase(yaml: frigateAppending("  accept_detection_reviews: maybe"),
                   key: "frigate.accept_detection_reviews", line: 19, reason: "expected true or false, found 'maybe'"),
        BrokenCase(yaml: frigateAppending("  labels: {dog: animal}"),
                   key: "frigate.labels.dog", line: 19, reason: "'animal' is not one of person, vehicle, motion, other"),
        BrokenCase(yaml: frigateAppending("  labels: {car: vehicel}"),
                   key: "frigate.labels.car", line: 19, reason: "did you mean 'vehicle'?"),
        BrokenCase(yaml: frigateAppending("  labels: [dog]"),
                   key: "frigate.labels", line: 19, reason: "expected a mapping of names, found a list"),
        BrokenCase(yaml: frigateAppending("  labels: {dog: }"),
                   key: "frigate.labels.dog", line: 19, reason: "'dog' has no value"),
        BrokenCase(yaml: frigateReplacing("frigate:\n  cameras:", "frigate: [cameras]\nfrigate_old:\n  cameras:"),
                   key: "frigate", line: 13, reason: "expected a mapping of keys, found a list"),
        // Cameras.
        BrokenCase(yaml: frigateReplacing("  cameras:", "  cameras: [skolan_korridor]\n  old_cameras:"),
                   key: "frigate.cameras", line: 14, reason: "expected a mapping of names, found a list"),
        BrokenCase(yaml: frigateAppending("    skolan/gard: {site: s1, device: cam-1}"),
                   key: "frigate.cameras.skolan/gard", line: 19, reason: "'skolan/gard' is not a Frigate camera name"),
        BrokenCase(yaml: frigateAppending("    skolan_gard:"),
                   key: "frigate.cameras.skolan_gard", line: 19, reason: "'skolan_gard' has no value"),
        BrokenCase(yaml: frigateAppending("    skolan_gard: cam-1"),
                   key: "frigate.cameras.skolan_gard", line: 19, reason: "expected a mapping of keys, found 'cam-1'"),
        BrokenCase(yaml: frigateReplacing("      zones: {korr", "      zone: {korr"),
                   key: "\(camera).zone", line: 18, reason: "unknown key 'zone'; did you mean 'zones'?"),
        BrokenCase(yaml: frigateReplacing("      site: s1\n", ""),
                   key: "\(camera).site", line: 16, reason: "missing required key 'site'"),
        BrokenCase(yaml: frigateReplacing("      device: cam-1\n", ""),
                   key: "\(camera).device", line: 16, reason: "missing required key 'device'"),
        BrokenCase(yaml: frigateReplacing("site: s1", "site: skolan"),
                   key: "\(camera).site", line: 16, reason: "unknown site 'skolan'"),
        BrokenCase(yaml: frigateReplacing("site: s1", "site: s2"),
                   key: "\(camera).site", line: 16, reason: "unknown site 's2'; did you mean 's1'?"),
        BrokenCase(yaml: frigateReplacing("device: cam-1", "device: cam-2"),
                   key: "\(camera).device", line: 17, reason: "unknown device 'cam-2' at s1; did you mean 'cam-1'?"),
        BrokenCase(yaml: frigateReplacing("device: cam-1", "device: panel"),
                   key: "\(camera).device", line: 17, reason: "'panel' at s1 is a panel, not a camera"),
        BrokenCase(yaml: frigateReplacing("device: cam-1", "device: cam 1"),
                   key: "\(camera).device", line: 17, reason: "'cam 1' is not a valid id"),
        // Zones.
        BrokenCase(yaml: frigateReplacing("{korr: korridor}", "{korr: korridr}"),
                   key: "\(camera).zones.korr", line: 18, reason: "unknown zone 'korridr' at s1; did you mean 'korridor'?"),
        BrokenCase(yaml: frigateReplacing("{korr: korridor}", "[korridor]"),
                   key: "\(camera).zones", line: 18, reason: "expected a mapping of names, found a list"),
        BrokenCase(yaml: frigateReplacing("{korr: korridor}", "{korr: [korridor]}"),
                   key: "\(camera).zones.korr", line: 18, reason: "expected a string, found a list"),
        BrokenCase(yaml: frigateReplacing("{korr: korridor}", "{yard: gard}"),
                   key: "\(camera).zones.yard", line: 18, reason: "zone 'gard' is not among cam-1's camera_zones",
                   severity: .warning),
    ]

    @Test(arguments: cases)
    func brokenFrigateSectionIsReported(_ broken: BrokenCase) {
        let problems = ConfigurationLoader.validate(yaml: broken.yaml, file: "frigate.yaml")
        let match = problems.first { $0.key == broken.key && $0.reason.contains(broken.reason) }
        #expect(match != nil, "got:\n\(problems.map(\.description).joined(separator: "\n"))")
        #expect(match?.line == broken.line)
        #expect(match?.severity == broken.severity)
    }

    @Test func baseIsCleanAndMapped() throws {
        #expect(ConfigurationLoader.validate(yaml: frigateBase, file: "frigate.yaml").isEmpty)
        let frigate = try ConfigurationLoader.parse(yaml: frigateBase, file: "frigate.yaml").watch.frigate
        #expect(frigate == FrigateMapping(cameras: [
            "skolan_korridor": .init(site: "s1", device: "cam-1", zones: ["korr": "korridor"]),
        ]))
    }

    @Test func urlAndBackfillKeys() throws {
        let yaml = frigateAppending("""
              url: http://frigate.local:5000/
              backfill: {enabled: false, page_size: 50, max_pages: 4, timeout_seconds: 3, attempts: 2, margin_seconds: 0}
            """)
        let configuration = try ConfigurationLoader.parse(yaml: yaml, file: "frigate.yaml")
        #expect(configuration.watch.frigate.snapshotBaseURL == "http://frigate.local:5000")
        var expected = FrigateBackfillSettings()
        expected.enabled = false
        expected.pageSize = 50
        expected.maxPages = 4
        expected.timeoutSeconds = 3
        expected.attempts = 2
        expected.marginSeconds = 0
        #expect(configuration.daemon.frigateBackfill == expected)
        #expect(try ConfigurationLoader.parse(yaml: frigateAppending(""), file: "f.yaml").daemon.frigateBackfill == FrigateBackfillSettings())
    }

    @Test func keysOverrideDefaults() throws {
        let yaml = frigateAppending("""
              minimum_score: 0.75
              snapshot_base_url: https://frigate.example.org:8971//
              accept_detection_reviews: yes
              labels: {dog: other, bicycle: other}
            """)
        let frigate = try ConfigurationLoader.parse(yaml: yaml, file: "frigate.yaml").watch.frigate
        #expect(frigate.minimumScore == 0.75)
        #expect(frigate.snapshotBaseURL == "https://frigate.example.org:8971")
        #expect(frigate.acceptDetectionReviews)
        #expect(frigate.labels == ["dog": .other, "bicycle": .other])
        #expect(frigate.label(for: "bicycle") == .other)
        #expect(frigate.label(for: "car") == .vehicle)
    }

    @Test func frigatePayloadLimitIsADecodingKey() throws {
        let yaml = prefixing("decoding: {max_frigate_payload_bytes: 65536}")
        #expect(try ConfigurationLoader.parse(yaml: yaml, file: "d.yaml").watch.decoding.maxFrigatePayloadBytes == 65536)
        let problems = ConfigurationLoader.validate(yaml: prefixing("decoding: {max_frigate_payload_bytes: 10}"), file: "d.yaml")
        #expect(problems.map(\.reason) == ["10 is out of range 1024…1048576"])
    }

    @Test func absentSectionMeansNoCameras() throws {
        let watch = try ConfigurationLoader.parse(yaml: validBase, file: "base.yaml").watch
        #expect(watch.frigate == FrigateMapping())
    }

    @Test func everyProblemInTheSectionIsReported() {
        let yaml = frigateReplacing("site: s1", "site: s2").replacingOccurrences(of: "korr: korridor", with: "korr: x")
            + "\n  minimum_score: 2\n  labels: {dog: cat}"
        let problems = ConfigurationLoader.validate(yaml: yaml, file: "frigate.yaml")
        #expect(problems.map(\.key) == ["\(Self.camera).site", "frigate.minimum_score", "frigate.labels.dog"])
    }

    @Test func exampleMapsBrohusetsCameras() throws {
        let frigate = try ConfigurationLoader.load(path: ExampleConfigurationTests.examplePath).watch.frigate
        #expect(frigate == FrigateMapping(
            cameras: [
                "brohuset_entre_norr": .init(site: "brohuset", device: "cam-entre-norr", zones: ["entre_norr": "entre-norr"]),
                "brohuset_entre_torget": .init(
                    site: "brohuset", device: "cam-entre-torget", zones: ["entre_torget": "entre-torget", "torget": "torget"]),
                "brohuset_torget": .init(
                    site: "brohuset", device: "cam-torget", zones: ["torget_bankar": "torget", "torget_fontan": "torget"]),
            ],
            labels: ["dog": .other],
            minimumScore: 0.6,
            snapshotBaseURL: "http://127.0.0.1:5000",
            acceptDetectionReviews: false))
    }
}
