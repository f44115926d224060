import CMosquitto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Owns one libmosquitto client (`struct mosquitto *`): created with the client id and session
/// kind, destroyed with the handle.
///
/// libmosquitto does no locking of its own for a client driven without `mosquitto_loop_start`,
/// so the pointer must be used by one thread at a time. `MQTTClient` guarantees that: it calls
/// into the handle only on its network thread, and before that thread starts (configuration)
/// or after it has ended (destruction); other threads reach the network thread through
/// `Mutex`es and its wake pipe, never through the pointer. That is why sharing the handle
/// inside an `@unchecked Sendable` client is safe.
final class MosquittoHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(clientID: String, cleanSession: Bool) throws(MQTTError) {
        guard let pointer = mosquitto_new(clientID, cleanSession, nil) else {
            throw MQTTError(operation: "mosquitto_new", message: String(cString: strerror(errno)))
        }
        self.pointer = pointer
    }

    deinit {
        mosquitto_destroy(pointer)
    }
}
