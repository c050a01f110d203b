import Foundation

/// Compiled regular expressions by pattern: compiling one (ICU) cost more than matching it, and
/// the same few patterns run on every page. `NSRegularExpression` is immutable and safe to
/// share between the threads that extract pages.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    func regex(_ pattern: String, options: NSRegularExpression.Options) -> NSRegularExpression? {
        let key = "\(options.rawValue) \(pattern)"
        lock.lock()
        defer { lock.unlock() }
        if let regex = compiled[key] { return regex }
        guard let regex = try? NSRegularExpression(pattern: pattern, options: options) else { return nil }
        compiled[key] = regex
        return regex
    }
}
