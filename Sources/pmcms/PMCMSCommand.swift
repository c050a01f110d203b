import ArgumentParser

/// The `pmcms` root command: only a table of subcommands.
struct PMCMSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pmcms",
        abstract: "A versioned content store for FAQ and article pages: import, edit, review, export.",
        discussion: """
            pmcms keeps every entry of a site in one SQLite file, with every change as a revision \
            you can review, diff and revert. Entries move from draft to in_review to approved to \
            published; exports show the live revision of each published entry.

            The store is --db PATH, else $PMCMS_DB, else ./pmcms.sqlite. Changes are signed with \
            --author, else $PMCMS_AUTHOR, else your login name.

            Examples:
              pmcms demo                      # the whole flow on a sample site
              pmcms import site/ --base-url https://www.example.org
              pmcms list --status in_review
              pmcms edit is-pmo-more-senior-than-project-manager
              pmcms export rss --out feed.xml
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, ImportCommand.self, ListCommand.self, ShowCommand.self, NewCommand.self, EditCommand.self,
            SubmitCommand.self, ApproveCommand.self, RejectCommand.self, PublishCommand.self,
            UnpublishCommand.self, ArchiveCommand.self, RestoreCommand.self, ScheduleCommand.self, PublishDueCommand.self,
            HistoryCommand.self, DiffCommand.self, RevertCommand.self, BlameCommand.self, LogCommand.self,
            ReviewCommand.self, SearchCommand.self, CheckCommand.self, ConfigCommand.self, BackupCommand.self, VerifyCommand.self,
            ExportCommand.self, ServeCommand.self, UserCommand.self, StoreCommand.self, DemoCommand.self,
        ])

    /// Listed in the top-level help; given before a command (`pmcms --db s.sqlite list`),
    /// they are moved behind it (`GlobalOptions.hoisted`), where every command reads them.
    @OptionGroup var global: GlobalOptions
}
