import ArgumentParser

struct Backorders: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backorders",
        abstract: "An order desk's backorder management: entry that sees stock, fair allocation, backorder processes.",
        subcommands: [
            Demo.self, Init.self, UserCommand.self, LocationCommand.self, LicCommand.self, CustomerCommand.self,
            VendorCommand.self, ReasonCommand.self, OrderCommand.self, ShipmentCommand.self, Receive.self, Adjust.self,
            Return.self, ProcessCommand.self, SchedulerCommand.self, RunsCommand.self, PrefsCommand.self, Check.self,
            POCommand.self, ReportCommand.self, ImportCommand.self, ExportCommand.self, BackupCommand.self, CopyCommand.self, RestoreCommand.self,
            BenchCommand.self, LoadCommand.self,
            TUICommand.self,
        ],
        defaultSubcommand: TUICommand.self)
}
