import Foundation
@_exported import PropertyWatchProcess

/// Integration-test settings, read from the environment in this one place.
///
/// - `PROPERTYWATCH_TEST_BROKER_PORT`: a Mosquitto on 127.0.0.1 that tests may share
///   (`.ci/run` starts one). Without it, tests start private brokers.
/// The broker binary is `Loopback.mosquitto` (`PROPERTYWATCH_MOSQUITTO`, else /usr/sbin or PATH).
public enum TestEnvironment {
    public static var sharedBrokerPort: Int32? {
        ProcessInfo.processInfo.environment["PROPERTYWATCH_TEST_BROKER_PORT"].flatMap(Int32.init)
    }

    /// The directory holding the built executables (`propertywatchd`, `pw-sim`).
    public static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The repository root, found from this source file.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A fresh empty directory under the system temporary directory.
    public static func temporaryDirectory(_ name: String = "pw") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A unique client id / name for one test.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8))"
    }
}
