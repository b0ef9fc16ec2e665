import ArgumentParser
import BackorderApp
import BackorderCore
import BackorderStore
import BackordersTUI
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench",
        abstract: "Build a synthetic desk and time the operations a desk depends on (use a release build).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Open order lines to generate.") var lines = 1_000_000
    @Option(help: "LICs to spread them over.") var lics = 10_000
    @Option(name: .customLong("entry-orders"), help: "Orders entered one by one for entry_ms.") var entryOrders = 1_000
    @Option(help: ArgumentHelp("Run the bench at each of these sizes (lines, comma-separated, ascending) and print how each figure grows.",
                               valueName: "n,n,…")) var series: String?
    @Flag(help: "Keep the generated database (its path is printed).") var keep = false
    @Option(help: ArgumentHelp("Measure on a PostgreSQL server: postgres://USER@HOST[:PORT]/DB[?host=SOCKET_DIR] (the bench makes a database of its own there).",
                               valueName: "postgres://…")) var store: String?
    @Flag(name: .customLong("tryton-workload"),
          help: "Only the primary run at Tryton's sizes (500 and 2,000 orders × 3 lines), timed in process, beside Tryton's own figures.")
    var trytonWorkload = false
    @Option(help: ArgumentHelp("Internal: time entry or the Backorders page on --db until --stop-file exists.", visibility: .private))
    var probe: String?
    @Option(name: .customLong("stop-file"), help: ArgumentHelp("Internal.", visibility: .private)) var stopFile: String?
    @Option(name: .customLong("probe-out"), help: ArgumentHelp("Internal.", visibility: .private)) var probeOut: String?

    /// The sizes of `--series`, checked.
    func seriesSizes() throws -> [Int]? {
        guard let series else { return nil }
        let parts = series.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "") }
        let sizes = parts.compactMap(Int.init)
        guard sizes.count == parts.count, sizes.count >= 2 else {
            throw ValidationError("--series takes two or more sizes separated by commas, such as 100000,300000,1000000; not \(Input.quote(series))")
        }
        guard sizes.allSatisfy({ (100...5_000_000).contains($0) }) else { throw ValidationError("--series sizes must be 100 … 5,000,000 each") }
        guard zip(sizes, sizes.dropFirst()).allSatisfy({ $0 < $1 }) else { throw ValidationError("--series sizes must grow: \(series)") }
        guard lics <= sizes[0] else { throw ValidationError("--lics must be at most the smallest --series size") }
        return sizes
    }

    func validate() throws {
        _ = try seriesSizes()
        if let store { _ = try PostgresAddress(store) }
        guard lines >= 100, lines <= 5_000_000 else { throw ValidationError("--lines must be 100 … 5,000,000") }
        guard lics >= 10, lics <= lines else { throw ValidationError("--lics must be 10 … --lines") }
        guard entryOrders >= 1, entryOrders <= 1_000_000 else { throw ValidationError("--entry-orders must be 1 … 1,000,000") }
    }

    func run() throws {
        if let probe {
            guard probe == "entry" || probe == "page", let stopFile, let probeOut else {
                throw ValidationError("--probe takes entry or page, with --stop-file and --probe-out")
            }
            let desk = try global.desk()
            try Bench.probe(probe, desk: desk, stopFile: stopFile, out: probeOut,
                            page: probe == "page" ? try UIBench.middlePageSampler(desk: desk) : nil)
            return
        }
        if trytonWorkload {
            let result = try Bench.trytonWorkload { line in
                if !global.json { FileHandle.standardError.write(Data("bench: \(line)\n".utf8)) }
            }
            print(result.render(pretty: true))
            return
        }
        var o = Bench.Options()
        o.probeExecutable = Bundle.main.executablePath
        o.lines = lines
        o.lics = lics
        o.entryOrders = entryOrders
        o.store = try store.map(PostgresAddress.init)
        if let sizes = try seriesSizes() {
            let series = try Bench.series(sizes, options: o, probes: benchProbes, keep: keep) { line in
                if !global.json { FileHandle.standardError.write(Data("bench: \(line)\n".utf8)) }
            }
            print(global.json ? series.json.render(pretty: true) : series.text, terminator: global.json ? "\n" : "")
            return
        }
        let (result, desk) = try Bench.run(o, probes: benchProbes) { line in
            if !global.json { FileHandle.standardError.write(Data("bench: \(line)\n".utf8)) }
        }
        if !keep {
            if let server = o.store, let bench = try? PostgresAddress(desk.databasePath) {
                try? PostgresStore.dropDatabase(bench.database, on: server)
            } else {
                try? FileManager.default.removeItem(atPath: (desk.databasePath as NSString).deletingLastPathComponent)
            }
        }
        if global.json { print(result.json.render(pretty: true)) } else {
            print(result.json.render(pretty: true))
        }
    }
}

/// The terminal UI's figures: the Backorders screen's pages, and process start to first frame.
let benchProbes: [Bench.Probe] = [
    { desk in
        let p = try UIBench.backorderPages(desk: desk)
        return [("page_ms", .pages(first: p.first, middle: p.middle, last: p.last))]
    },
    { desk in
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var samples: [Double] = []
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let status = try spawnAndWait(exe.path, ["tui", "--first-frame", "--db", desk.databasePath, "--user", desk.user.name])
            guard status == 0 else { throw DeskError.refused("tui --first-frame exited \(status)") }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return [("startup_ms", .value(samples.sorted()[samples.count / 2]))]
    },
]

/// Runs a program with /dev/null for its standard files and waits for it; its exit status.
/// `posix_spawn` and `waitpid`, not `Foundation.Process`, whose wait on Linux polls a run loop
/// every ~50 ms: a 60 ms start-up measured 101–106 ms through it.
func spawnAndWait(_ path: String, _ arguments: [String]) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attr, &noSignals)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, path, &actions, &attr, argv, environ)
    guard rc == 0 else { throw DeskError.refused("cannot start \(path): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS: the low 7 bits are the signal, the next 8 the exit code.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}
