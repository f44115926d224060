import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Loopback helpers for starting private brokers and daemons.
public enum Loopback {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    public static func freePort() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcessError("socket failed") }
        defer { close(fd) }
        var address = address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { s -> Bool in
                bind(fd, s, length) == 0 && getsockname(fd, s, &length) == 0
            }
        }
        guard bound else { throw ChildProcessError("bind failed") }
        return Int32(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func canConnect(port: Int32) -> Bool {
        guard let fd = connectedSocket(port: port) else { return false }
        close(fd)
        return true
    }

    /// A blocking TCP socket connected to 127.0.0.1:`port` (the caller closes it), or nil.
    public static func connectedSocket(port: Int32) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = address(port: port)
        let connected = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(fd)
            return nil
        }
        return fd
    }

    /// The Mosquitto broker binary: `PROPERTYWATCH_MOSQUITTO`, else the Debian locations, else PATH.
    public static var mosquitto: String {
        if let configured = ProcessInfo.processInfo.environment["PROPERTYWATCH_MOSQUITTO"] { return configured }
        for candidate in ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "mosquitto"
    }

    private static func address(port: Int32) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }
}
