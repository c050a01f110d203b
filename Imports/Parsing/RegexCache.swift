import Foundation
import Synchronization

/// Compiled regular expressions by pattern: compiling one (ICU) cost more than matching it, and
/// the same few patterns run on every page. `NSRegularExpression` is immutable and safe to
/// share between the threads that extract pages.
final class RegexCache: Sendable {
    static let shared = RegexCache()
    private let compiled = Mutex<[String: NSRegularExpression]>([:])

    func regex(_ pattern: String, options: NSRegularExpression.Options) -> NSRegularExpression? {
        let key = "\(options.rawValue) \(pattern)"
        return compiled.withLock { compiled in
            if let regex = compiled[key] { return regex }
            guard let regex = try? NSRegularExpression(pattern: pattern, options: options) else { return nil }
            compiled[key] = regex
            return regex
        }
    }
}
