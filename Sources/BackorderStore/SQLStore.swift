import BackorderCore

/// A store whose operations are the SQL of this module, run on either engine: SQLite
/// (`AppDatabase`) or PostgreSQL (`PostgresStore`). The operations (`Store+*.swift`) and the
/// engine are written once against `SQLConnection`; each store says how it reads a snapshot and
/// how it runs one write transaction, and keeps what only its engine has (opening, watching for
/// other terminals' commits, copies, the check's fast path).
public protocol SQLStore: BackorderStoring {
    /// A consistent snapshot for reading; never waits for a writer.
    func reading<T>(_ body: (SQLConnection) throws -> T) throws -> T
    /// One transaction: all of it commits, or none of it. Every write waits in turn (other
    /// terminals' writes between a process run's slices) unless `waitsInTurn` is false.
    func writing<T>(waitsInTurn: Bool, _ body: (SQLConnection) throws -> T) throws -> T
    /// Inside a process run's slice (on its connection): whether another terminal waits to write.
    func othersWaitToWrite(_ db: SQLConnection) -> Bool
}

extension SQLStore {
    func writing<T>(_ body: (SQLConnection) throws -> T) throws -> T {
        try writing(waitsInTurn: true, body)
    }
}
