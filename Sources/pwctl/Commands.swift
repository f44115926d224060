import ArgumentParser
import Crypto
import Foundation
import HummingbirdBcrypt

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The daemon's link, journal and counters, and who you are.")
    @OptionGroup var connection: Connection
    @Flag(help: "Print the raw JSON.") var json = false

    func run() async throws {
        try await reporting {
            let who = try Format.object(try await connection.request(.GET, "/api/whoami"))
            let data = try await connection.request(.GET, "/api/status")
            if json { print(Format.pretty(data)); return }
            let s = try Format.object(data)
            print("daemon    \(connection.baseURL)  (you: \(who["name"] ?? "?"), \(who["role"] ?? "?"))")
            print("broker    \(s["broker"] ?? "?")")
            print("journal   \(s["journal"] ?? "?")")
            print("messages  received \(s["received"] ?? 0), accepted \(s["accepted"] ?? 0), ignored \(s["ignored"] ?? 0)")
            print("guard requests \(s["guardRequests"] ?? 0), last commit \(s["lastCommitMicroseconds"] ?? 0) µs")
        }
    }
}

struct Incidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List incidents (open ones by default).")
    @OptionGroup var connection: Connection
    @Flag(name: .long, help: "Only open incidents (the default).") var open = false
    @Flag(name: .long, help: "Every incident, also closed ones.") var all = false
    @Option(help: "Only this site (its id).") var site: String?
    @Option(help: "At most this many.") var limit = 100
    @Flag(help: "Print the raw JSON.") var json = false

    func run() async throws {
        try await reporting {
            var path = "/api/incidents?state=\(all ? "all" : "open")&limit=\(limit)"
            if let site { path += "&site=\(site.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? site)" }
            let data = try await connection.request(.GET, path)
            if json { print(Format.pretty(data)); return }
            let list = try Format.object(data)["incidents"] as? [[String: Any]] ?? []
            if list.isEmpty { print(all ? "no incidents" : "no open incidents"); return }
            print(Format.table([["ID", "SITE", "PRIORITY", "STATE", "OPENED", "LAST CAUSE"]] + list.map {
                ["\($0["id"] ?? "")", "\($0["site"] ?? "")", "\($0["priority"] ?? "")", "\($0["state"] ?? "")", Format.time($0["openedAt"]), "\($0["lastCause"] ?? "")"]
            }))
        }
    }
}

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "An incident and its whole timeline.")
    @OptionGroup var connection: Connection
    @Argument(help: "The incident id.") var id: String
    @Flag(help: "Print the raw JSON.") var json = false

    func run() async throws {
        try await reporting {
            let data = try await connection.request(.GET, "/api/incidents/\(id)")
            if json { print(Format.pretty(data)); return }
            let detail = try Format.object(data)
            let incident = detail["incident"] as? [String: Any] ?? [:]
            let timeline = detail["timeline"] as? [String: Any] ?? [:]
            print("\(incident["id"] ?? id)  \(timeline["siteName"] ?? incident["site"] ?? "")  \(incident["priority"] ?? "")  \(incident["state"] ?? "")")
            print("opened \(Format.time(incident["openedAt"])), updated \(Format.time(incident["updatedAt"]))\n")
            let entries = timeline["entries"] as? [[String: Any]] ?? []
            print(Format.table(entries.map { [Format.time($0["time"]), "\($0["actor"] ?? "")", "\($0["kind"] ?? "")", "\($0["text"] ?? "")"] }))
        }
    }
}

struct Ack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Acknowledge an incident: you take it on.")
    @OptionGroup var connection: Connection
    @Argument(help: "The incident id.") var id: String

    func run() async throws {
        try await reporting {
            _ = try await connection.request(.POST, "/api/incidents/\(id)/acknowledge", json: [:])
            print("acknowledged \(id)")
        }
    }
}

struct Note: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a note to an incident's timeline.")
    @OptionGroup var connection: Connection
    @Argument(help: "The incident id.") var id: String
    @Argument(help: "The note.") var text: String

    func run() async throws {
        try await reporting {
            _ = try await connection.request(.POST, "/api/incidents/\(id)/notes", json: ["text": text])
            print("noted on \(id)")
        }
    }
}

struct Close: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Close an incident with its outcome.")
    @OptionGroup var connection: Connection
    @Argument(help: "The incident id.") var id: String
    @Option(help: "false-alarm, vandalism, intrusion, fire or technical-fault.") var outcome: String
    @Option(help: "Why, in words.") var reason: String?

    func run() async throws {
        try await reporting {
            _ = try await connection.request(.POST, "/api/incidents/\(id)/close", json: ["outcome": outcome, "reason": reason ?? outcome])
            print("closing \(id) (\(outcome))")
        }
    }
}

struct Silence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Silence a site, a device or a zone for a while (maintenance).")
    @OptionGroup var connection: Connection
    @Argument(help: "The site id.") var site: String
    @Option(help: "Only this device.") var device: String?
    @Option(help: "Only this zone.") var zone: String?
    @Option(help: "For how long, in minutes (1–10080).") var minutes = 60
    @Option(help: "Why.") var reason: String

    func run() async throws {
        try await reporting {
            var body: [String: Any] = ["site": site, "minutes": minutes, "reason": reason]
            if let device { body["device"] = device }
            if let zone { body["zone"] = zone }
            _ = try await connection.request(.POST, "/api/silences", json: body)
            print("silenced \(site)\(device.map { " device \($0)" } ?? "")\(zone.map { " zone \($0)" } ?? "") for \(minutes) min")
        }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send tonight's patrol to a site (a directed check).")
    @OptionGroup var connection: Connection
    @Argument(help: "The site id.") var site: String
    @Option(help: "Why.") var reason = "directed check"

    func run() async throws {
        try await reporting {
            _ = try await connection.request(.POST, "/api/directed-checks", json: ["site": site, "reason": reason])
            print("directed check of \(site) added")
        }
    }
}

struct Units: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Patrol units: status and last position.")
    @OptionGroup var connection: Connection
    @Flag(help: "Print the raw JSON.") var json = false

    func run() async throws {
        try await reporting {
            let board = try Format.object(try await connection.request(.GET, "/api/board"))
            let units = board["units"] as? [[String: Any]] ?? []
            if json {
                print(Format.pretty(try JSONSerialization.data(withJSONObject: units)))
                return
            }
            print(Format.table([["UNIT", "CALL SIGN", "STATUS", "POSITION", "AT"]] + units.map { u in
                let position = (u["latitude"] as? Double).map { String(format: "%.5f, %.5f", $0, u["longitude"] as? Double ?? 0) } ?? "–"
                return ["\(u["id"] ?? "")", "\(u["callSign"] ?? "")", "\(u["status"] ?? "–")", position, Format.time(u["positionAt"])]
            }))
        }
    }
}

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A night's report: incidents, dispatches, visits, outages, operator actions.")
    @OptionGroup var connection: Connection
    @Option(help: "YYYY-MM-DD (the date the night begins), tonight or last.") var night = "last"
    @Option(help: "text, json, html or csv.") var format = "text"
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func validate() throws {
        guard ["text", "json", "html", "csv"].contains(format) else { throw ValidationError("--format must be text, json, html or csv") }
    }

    func run() async throws {
        try await reporting {
            let data = try await connection.request(.GET, "/api/reports/\(night)?format=\(format)")
            if let output {
                try data.write(to: URL(fileURLWithPath: output))
                print("wrote \(output)")
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }
}

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow incidents, dispatches, warnings and operator actions live (Ctrl-C ends).")
    @OptionGroup var connection: Connection
    @Option(help: "Stop after this many events (for scripts).") var count: Int?
    @Option(help: "Stop after the first event whose line contains this text (for scripts).") var until: String?
    @Flag(help: "Also print when unit positions or statuses change.") var units = false

    func run() async throws {
        try await reporting {
            let response = try await connection.stream("/api/events")
            var buffer = ""
            var event = "message"
            var seen = 0
            for try await chunk in response.body {
                buffer += String(buffer: chunk)
                while let newline = buffer.firstIndex(of: "\n") {
                    let line = String(buffer[..<newline])
                    buffer = String(buffer[buffer.index(after: newline)...])
                    if line.hasPrefix("event: ") {
                        event = String(line.dropFirst(7))
                    } else if line.hasPrefix("data: "), event == "hello" {
                        FileHandle.standardError.write(Data("pwctl: following \(connection.baseURL) (Ctrl-C ends)\n".utf8))
                    } else if line.hasPrefix("data: "), event == "units", !units {
                        continue
                    } else if line.hasPrefix("data: ") {
                        let item = (try? Format.object(Data(line.dropFirst(6).utf8))) ?? [:]
                        let subject = (item["incident"] as? String) ?? (item["site"] as? String) ?? ""
                        let text = "\(Format.time(item["time"]))  \(event.padding(toLength: 13, withPad: " ", startingAt: 0))  \(subject)  \(item["text"] ?? "")"
                        FileHandle.standardOutput.write(Data((text + "\n").utf8))
                        seen += 1
                        if let count, seen >= count { return }
                        if let until, text.contains(until) { return }
                    }
                }
            }
        }
    }
}

struct HashToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-token",
        abstract: "Make an API token (or hash a given one) for the users file.")
    @Argument(help: "A token to hash; without it a random one is made and printed.") var token: String?

    func run() async throws {
        let value = token ?? (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let hash = SHA256.hash(data: Array(value.utf8)).map { String(format: "%02x", $0) }.joined()
        if token == nil { print("token:      \(value)") }
        print("users file: token=sha256:\(hash)")
    }
}

struct HashPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Hash a password (read from standard input) with bcrypt for the users file.")
    @Option(help: "bcrypt cost (10–14).") var cost: UInt8 = 12

    func run() async throws {
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw ValidationError("give the password on standard input")
        }
        print("password=bcrypt:\(Bcrypt.hash(password, cost: cost))")
    }
}
