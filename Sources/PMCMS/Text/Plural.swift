/// A count with its noun for messages: "1 page", "2 pages", "0 entries". The one place the
/// program decides between singular and plural.
public enum Plural {
    /// `n` and `noun`, in the plural unless `n` is 1; `plural` for a noun that does not just
    /// take an "s" ("entry", "entries").
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        n == 1 ? "1 \(noun)" : "\(n) \(plural ?? noun + "s")"
    }
}
