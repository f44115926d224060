import Foundation

/// Paths found from this source file, so the tests read the repository's own files.
enum TestPaths {
    static var testsDirectory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent() }
    static var repositoryRoot: URL { testsDirectory.deletingLastPathComponent().deletingLastPathComponent() }
    static var golden: URL { testsDirectory.appendingPathComponent("Golden") }
}
