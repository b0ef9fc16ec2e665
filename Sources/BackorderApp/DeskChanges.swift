import BackorderStore

/// Notices what other processes commit — another terminal, a cron job, the scheduler — so a
/// screen reloads what it shows. (SQLite: its `data_version`, polled.)
public final class DeskChanges {
    private let watcher: any ChangeWatching

    init(_ watcher: any ChangeWatching) { self.watcher = watcher }

    /// True when someone else committed since the previous call (or since `Desk.changes()`).
    public func poll() throws -> Bool { try watcher.poll() }
}

extension Desk {
    /// A watcher of other processes' commits to this desk's data.
    public func changes() throws -> DeskChanges {
        DeskChanges(try store.changeWatcher())
    }
}
