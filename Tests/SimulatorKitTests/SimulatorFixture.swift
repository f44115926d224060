import Foundation
import PropertyWatchConfig
import PropertyWatchCore
@testable import SimulatorKit

/// The example Upplands-Bro configuration and helpers shared by the simulator tests.
enum SimulatorFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let configuration: WatchConfiguration = {
        try! ConfigurationLoader.load(path: repositoryRoot.appendingPathComponent("deploy/config/upplands-bro.yaml").path).watch
    }()

    /// Wednesday 25 November 2026, 18:00 in Stockholm (CET).
    static let wednesdayEvening = ScenarioTime.dateTime("2026-11-25 18:00")!

    static func local(_ text: String) -> Timestamp { ScenarioTime.dateTime(text)! }

    static func decode(_ message: SimMessage) -> InboundMessage? {
        let decoder = MessageDecoder(directory: SiteDirectory(configuration), limits: configuration.decoding)
        guard case .message(let m) = message.payload.withUnsafeBytes({ decoder.decode(topic: message.topic, payload: $0, receivedAt: decodedAt(message)) }) else { return nil }
        return m
    }

    /// A receive time close to the message's own stamp.
    private static func decodedAt(_ message: SimMessage) -> Timestamp {
        let text = message.text
        guard let range = text.range(of: "\"time\":") ?? text.range(of: "\"start\":") else { return wednesdayEvening }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Timestamp(millisecondsSinceEpoch: Int64(digits) ?? 0)
    }
}
