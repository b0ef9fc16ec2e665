@testable import BackorderApp
import TestSupport
import BackorderCore
@testable import BackorderStore
import Foundation
import GRDB
import XCTest

/// Leases under any name, naming their holder; a holder that is gone is taken over at once and
/// its open run is closed as interrupted with what it had committed.
final class LeaseTests: XCTestCase {
    override func tearDown() { unsetenv("BACKORDERS_LEASE_HEARTBEAT") }

    /// The pid of a process that has ended (and been reaped).
    func deadPid() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    func testALeaseIsHeldUnderAnyNameAndNamesItsHolder() throws {
        let f = try DeskFixture()
        let lease = try XCTUnwrap(try Lease.acquire(f.store, name: "scheduler", wait: 0))
        XCTAssertNil(try Lease.acquire(f.store, name: "scheduler", wait: 0), "one holder at a time")
        let other = try XCTUnwrap(try Lease.acquire(f.store, name: "nightly-report", wait: 0), "names are independent")
        let holder = try XCTUnwrap(try Lease.holder(f.store, name: "scheduler"))
        XCTAssertEqual(holder.pid, getpid())
        XCTAssertEqual(holder.host, LeaseHolder.thisHost)
        XCTAssertEqual(holder.token, lease.token)
        XCTAssertEqual(holder.title, "the scheduler")
        XCTAssertEqual(holder.who, "pid \(getpid()) on \(LeaseHolder.thisHost)")
        lease.release()
        XCTAssertNil(try Lease.holder(f.store, name: "scheduler"))
        XCTAssertNotNil(try Lease.acquire(f.store, name: "scheduler", wait: 0))
        other.release()
        let primary = try XCTUnwrap(try Lease.acquire(f.store, process: .primary, wait: 0))
        XCTAssertEqual(try Lease.holder(f.store, name: "primary")?.title, "the primary backorder process")
        primary.release()
    }

    func testTheHeartbeatIsRenewedWhileTheLeaseIsHeld() throws {
        setenv("BACKORDERS_LEASE_HEARTBEAT", "0.1", 1)
        let f = try DeskFixture()
        let lease = try XCTUnwrap(try Lease.acquire(f.store, name: "scheduler", wait: 0))
        let first = try XCTUnwrap(try Lease.holder(f.store, name: "scheduler")).heartbeatAt
        let deadline = Date().addingTimeInterval(10)
        var later = first
        while later == first && Date() < deadline {
            usleep(50_000)
            later = try XCTUnwrap(try Lease.holder(f.store, name: "scheduler")).heartbeatAt
        }
        XCTAssertGreaterThan(later, first, "the holder's heartbeat moved on its own")
        lease.release()
    }

    /// While a run's slice is open the heartbeat does not write (a waiting write would end the
    /// slice): it falls due, and the slice's end says so for the run to renew.
    func testTheHeartbeatWaitsForAnOpenSliceAndFallsDue() throws {
        setenv("BACKORDERS_LEASE_HEARTBEAT", "0.05", 1)
        let f = try DeskFixture()
        let lease = try XCTUnwrap(try Lease.acquire(f.store, process: .primary, wait: 0))
        defer { lease.release() }
        lease.sliceBegins()
        let first = try XCTUnwrap(try Lease.holder(f.store, name: "primary")).heartbeatAt
        let deadline = Date().addingTimeInterval(5)
        while !lease.renewalFellDue && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(lease.renewalFellDue, "a heartbeat came while the slice was open")
        XCTAssertEqual(try XCTUnwrap(try Lease.holder(f.store, name: "primary")).heartbeatAt, first, "and did not write")
        XCTAssertTrue(lease.sliceEnds(), "the slice's end hands the renewal to the run")
        XCTAssertFalse(lease.sliceEnds(), "once")
        try lease.renew()
        XCTAssertGreaterThan(try XCTUnwrap(try Lease.holder(f.store, name: "primary")).heartbeatAt, first)
    }

    func testADeadHoldersLeaseIsTakenOverAtOnceAndItsRunClosedAsInterrupted() throws {
        let f = try DeskFixture()
        let pid = try deadPid()
        let now = Date().timeIntervalSince1970
        // A primary run that committed one transaction (3 lines, 7 units), then its process was killed.
        try f.database.write { db in
            try db.execute(sql: """
                INSERT INTO process_run (process, started_at, actor, lines_filled, units_allotted, shipments_created)
                VALUES ('primary', '2026-11-21 09:00:00', 'boss', 3, 7, 2)
                """)
            try db.execute(sql: """
                INSERT INTO process_lease (process, holder, expires_at, pid, host, heartbeat_at, run_id)
                VALUES ('primary', 'dead', ?, ?, ?, ?, ?)
                """, arguments: [now + 600, pid, LeaseHolder.thisHost, now, db.lastInsertedRowID])
        }
        XCTAssertNil(try Lease.holder(f.store, name: "primary"), "a process that ended holds nothing")
        XCTAssertEqual(try f.admin.runs().first?.status, .interrupted, "shown as interrupted before anyone takes over")
        let t0 = Date()
        let result = try f.admin.runProcess(.primary, leaseWait: 0)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 5, "taken over at once")
        let runs = try f.admin.runs()
        XCTAssertEqual(runs.map(\.status), [.finished, .interrupted])
        let interrupted = runs[1]
        XCTAssertTrue(interrupted.interrupted)
        XCTAssertNotNil(interrupted.finishedAt)
        XCTAssertEqual(interrupted.stats.linesFilled, 3, "what it had committed")
        XCTAssertEqual(interrupted.stats.unitsAllotted, 7)
        XCTAssertTrue(interrupted.error?.contains("pid \(pid) on \(LeaseHolder.thisHost)") ?? false, interrupted.error ?? "")
        XCTAssertEqual(runs[0].id, result.runID)
        XCTAssertEqual(try f.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM process_lease") }, 0, "released")
        let json = interrupted.json.render()
        XCTAssertTrue(json.contains("\"interrupted\":true") || json.contains("\"interrupted\": true"), json)
    }

    func testAStaleHeartbeatIsTakenOverAndALiveRemoteHolderIsNot() throws {
        let f = try DeskFixture()
        let now = Date().timeIntervalSince1970
        try f.database.write { db in
            try db.execute(sql: """
                INSERT INTO process_lease (process, holder, expires_at, pid, host, heartbeat_at)
                VALUES ('scheduler', 'remote-live', ?, 4242, 'another-host', ?), ('primary', 'remote-stale', ?, 4242, 'another-host', ?)
                """, arguments: [now + 600, now, now, now - LeaseHolder.staleAfter - 5])
        }
        XCTAssertNil(try Lease.acquire(f.store, name: "scheduler", wait: 0), "a live holder on another host keeps its lease")
        XCTAssertEqual(try Lease.holder(f.store, name: "scheduler")?.who, "pid 4242 on another-host")
        let taken = try XCTUnwrap(try Lease.acquire(f.store, name: "primary", wait: 0), "a stale heartbeat is taken over")
        XCTAssertEqual(try Lease.holder(f.store, name: "primary")?.token, taken.token)
        XCTAssertThrowsError(try f.admin.runProcess(.primary, leaseWait: 0)) { e in
            XCTAssertTrue("\(e)".contains("pid \(getpid())"), "the refusal names the holder: \(e)")
        }
        taken.release()
    }

    func testAHolderWhoseLeaseWasTakenOverIsToldSoOnRenewal() throws {
        let f = try DeskFixture()
        let lease = try XCTUnwrap(try Lease.acquire(f.store, name: "primary", wait: 0))
        // Someone took it for gone (its heartbeat was made stale) and took it over.
        try f.database.write { try $0.execute(sql: "UPDATE process_lease SET heartbeat_at = 0") }
        let thief = try XCTUnwrap(try Lease.acquire(f.store, name: "primary", wait: 0))
        XCTAssertThrowsError(try lease.renew()) { e in XCTAssertTrue("\(e)".contains("lost its primary lease"), "\(e)") }
        XCTAssertTrue(lease.isLost)
        lease.release()
        XCTAssertEqual(try Lease.holder(f.store, name: "primary")?.token, thief.token, "releasing a lost lease leaves the new holder's")
        thief.release()
    }
}
