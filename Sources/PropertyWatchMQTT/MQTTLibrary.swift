import CMosquitto

/// `mosquitto_lib_init` exactly once per process.
enum MQTTLibrary {
    private static let initialized: Bool = {
        mosquitto_lib_init()
        return true
    }()

    static func initialize() { _ = initialized }
}
