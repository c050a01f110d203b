import ArgumentParser

/// The entry a command acts on: its one REF argument, an id or a slug. Every command that takes
/// a REF takes it through this group, so an empty reference is refused the same way by all of
/// them, as a usage error, before the store is opened.
struct EntryRef: ParsableArguments {
    @Argument(help: "The entry's id or slug.") var ref: String

    func validate() throws {
        if ref.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("REF is empty: give an entry's id or slug") }
    }
}
