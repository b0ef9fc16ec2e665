import TestSupport
import BackorderApp
import BackorderCore
import BackorderStore
import XCTest

/// Fulfillment policies, invoicing and extended suborders (product §5, iMIS `004_*`).
final class InvoiceTests: XCTestCase {
    func request(_ customer: String, _ lines: [(String, Int)], policy: FulfillmentPolicy = .partial,
                 deposit: Int = 0, handling: Int = 0, tax: String = "0") throws -> OrderRequest {
        var r = OrderRequest(customer: customer, lines: lines.map { .init(lic: $0.0, quantity: $0.1) })
        r.policy = policy
        r.split = .yes
        r.depositCents = deposit
        r.handlingCents = handling
        r.taxRatePPM = try Input.taxRatePPM(tax)
        return r
    }

    /// The page's example: order 208 partially shipped with full prepayment is invoiced; the
    /// remainder moves to 208.01 with the remaining cash; the original keeps the backordered
    /// product with extension 0.00; the handling fee is charged on 208 only.
    func testThePagesExampleOrder208() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        var book = Desk.LICSpec(code: "BOOK"); book.priceCents = 2000
        var cd = Desk.LICSpec(code: "CD"); cd.priceCents = 1500
        try f.admin.addLIC(book)
        try f.admin.addLIC(cd)
        _ = try f.admin.receive(lic: "BOOK", qty: 2)
        _ = try f.admin.runProcess(.primary)
        // Full prepayment: 2×20.00 + 1×15.00 = 55.00, +10% tax 5.50, +5.00 handling = 65.50.
        let o = try f.admin.enterOrder(request("C1", [("BOOK", 2), ("CD", 1)], deposit: 6550, handling: 500, tax: "10"))
        XCTAssertEqual(o.status, .backorder)
        try f.admin.shipShipment(o.shipments[0].id)
        let inv = try f.admin.invoice(o.number, choice: nil).result
        XCTAssertEqual(inv.totals.subtotalCents, 4000)
        XCTAssertEqual(inv.totals.taxCents, 400, "taxes recomputed on what shipped")
        XCTAssertEqual(inv.totals.handlingCents, 500)
        XCTAssertEqual(inv.totals.totalCents, 4900)
        XCTAssertEqual(inv.totals.cashAppliedCents, 4900)
        XCTAssertEqual(inv.suborder, o.number + ".01")

        let original = try f.admin.order(o.number)
        XCTAssertEqual(original.status, .invoiced)
        XCTAssertEqual(original.prepaidCents, 4900, "the lesser of the full cash and the invoiced total")
        let cdLine = try XCTUnwrap(original.lines.first { $0.lic == "CD" })
        XCTAssertEqual(cdLine.ordered * cdLine.unitCents, 0, "the backordered product stays with extension 0.00")

        let sub = try f.admin.order(inv.suborder!)
        XCTAssertEqual(sub.parent, o.number)
        XCTAssertEqual(sub.prepaidCents, 1650, "all the rest of the cash moves to the suborder")
        XCTAssertEqual(sub.handlingCents, 0)
        XCTAssertEqual(sub.enteredSeq, original.enteredSeq, "the suborder keeps the original's queue position")
        XCTAssertEqual(sub.lines.map(\.lic), ["CD"])
        XCTAssertEqual(sub.lines.map(\.ordered), [1])
        XCTAssertTrue(sub.lines[0].bo)

        // The suborder fills, ships and is invoiced without a handling fee.
        _ = try f.admin.receive(lic: "CD", qty: 1)
        _ = try f.admin.runProcess(.primary)
        try f.admin.shipShipment(try f.admin.order(sub.number).shipments[0].id)
        let second = try f.admin.invoice(sub.number, choice: nil).result
        XCTAssertEqual(second.totals.handlingCents, 0)
        XCTAssertEqual(second.totals.totalCents, 1650)
        XCTAssertEqual(second.totals.cashAppliedCents, 1650)
        XCTAssertNil(second.suborder)
        XCTAssertEqual(try f.admin.order(sub.number).status, .invoiced)
        try f.assertInvariants()
    }

    func testSuborderChainsToDot02NotDot01Dot01() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("W", stock: 1)
        let o = try f.admin.enterOrder(request("C1", [("W", 3)]))
        try f.admin.shipShipment(o.shipments[0].id)
        let first = try f.admin.invoice(o.number, choice: nil).result
        XCTAssertEqual(first.suborder, "\(o.number).01")
        _ = try f.admin.receive(lic: "W", qty: 1)
        _ = try f.admin.runProcess(.primary)
        try f.admin.shipShipment(try f.admin.order(first.suborder!).shipments[0].id)
        let second = try f.admin.invoice(first.suborder!, choice: nil).result
        XCTAssertEqual(second.suborder, "\(o.number).02")
        XCTAssertEqual(try f.admin.order("\(o.number).02").parent, "\(o.number).01")
        try f.assertInvariants()
    }

    func testCashSmallerThanTheInvoice() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("W", stock: 2)  // price 10.00
        let o = try f.admin.enterOrder(request("C1", [("W", 4)], deposit: 1200))
        try f.admin.shipShipment(o.shipments[0].id)
        let inv = try f.admin.invoice(o.number, choice: nil).result
        XCTAssertEqual(inv.totals.totalCents, 2000)
        XCTAssertEqual(inv.totals.cashAppliedCents, 1200)
        XCTAssertEqual(try f.admin.order(inv.suborder!).prepaidCents, 0)
        XCTAssertEqual(try f.admin.order(o.number).prepaidCents, 1200)
    }

    func testTaxRoundingHalfUpOnTheInvoice() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        var spec = Desk.LICSpec(code: "P"); spec.priceCents = 125
        try f.admin.addLIC(spec)
        _ = try f.admin.receive(lic: "P", qty: 10)
        _ = try f.admin.runProcess(.primary)
        let o = try f.admin.enterOrder(request("C1", [("P", 1)], tax: "8.25"))  // 1.25 × 8.25% = 0.103125 → 0.10
        try f.admin.shipShipment(o.shipments[0].id)
        XCTAssertEqual(try f.admin.invoice(o.number, choice: nil).result.totals.taxCents, 10)
        let o2 = try f.admin.enterOrder(request("C1", [("P", 2)], tax: "10"))  // 2.50 × 10% = 0.25
        try f.admin.shipShipment(o2.shipments[0].id)
        XCTAssertEqual(try f.admin.invoice(o2.number, choice: nil).result.totals.taxCents, 25)
        let o3 = try f.admin.enterOrder(request("C1", [("P", 1)], tax: "2"))  // 1.25 × 2% = 0.025 → 0.03
        try f.admin.shipShipment(o3.shipments[0].id)
        XCTAssertEqual(try f.admin.invoice(o3.number, choice: nil).result.totals.taxCents, 3)
    }

    func testHoldUntilCompleteRefusesInvoicingUntilFullyShipped() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("W", stock: 1)
        let o = try f.admin.enterOrder(request("C1", [("W", 2)], policy: .complete))
        XCTAssertTrue(o.shipments.isEmpty)
        XCTAssertThrowsError(try f.admin.invoice(o.number, choice: nil)) { e in
            XCTAssertTrue("\(e)".contains("cannot be invoiced until everything has shipped"))
        }
        _ = try f.admin.receive(lic: "W", qty: 1)
        _ = try f.admin.runProcess(.primary)
        try f.admin.shipShipment(try f.admin.order(o.number).shipments[0].id)
        XCTAssertNil(try f.admin.invoice(o.number, choice: nil).result.suborder)
        try f.assertInvariants()
    }

    func testPartialCancelAsksThenCancelsOrKeeps() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("W", stock: 2)
        let a = try f.admin.enterOrder(request("C1", [("W", 3)], policy: .partialCancel))
        try f.admin.shipShipment(a.shipments[0].id)
        XCTAssertThrowsError(try f.admin.invoice(a.number, choice: nil)) { e in
            guard case .question(.remainder(let order, let units))? = e as? DeskError else { return XCTFail("\(e)") }
            XCTAssertEqual(order, a.number)
            XCTAssertEqual(units, 1)
        }
        XCTAssertThrowsError(try f.admin.invoice(a.number, choice: .cancel(reasonCode: "NOPE")))
        let cancelled = try f.admin.invoice(a.number, choice: .cancel(reasonCode: "cust")).result
        XCTAssertNil(cancelled.suborder)
        XCTAssertEqual(cancelled.cancelledUnits, 1)
        XCTAssertEqual(try f.admin.order(a.number).status, .closed)
        XCTAssertTrue(try f.admin.orderLog(a.number).contains { $0.message.contains("reason CUST (Customer request)") })

        _ = try f.admin.receive(lic: "W", qty: 1)
        _ = try f.admin.runProcess(.primary)
        let b = try f.admin.enterOrder(request("C1", [("W", 3)], policy: .partialCancel))
        try f.admin.shipShipment(b.shipments[0].id)
        XCTAssertEqual(try f.admin.invoice(b.number, choice: .keep).result.suborder, "\(b.number).01")
        try f.assertInvariants()
    }

    func testCompleteOrCancelAsksAtEntry() throws {
        let f = try DeskFixture()
        try f.customers("C1")
        try f.lic("W", stock: 1)
        var r = try request("C1", [("W", 2)], policy: .completeOrCancel)
        XCTAssertThrowsError(try f.admin.enterOrder(r)) { e in
            XCTAssertEqual(e as? DeskError, .question(.cancelIfShort))
        }
        XCTAssertTrue(try f.admin.orders().isEmpty, "nothing written")
        r.ifShort = .cancel(reasonCode: "CUST")
        let cancelled = try f.admin.enterOrder(r)
        XCTAssertEqual(cancelled.status, .cancelled)
        XCTAssertEqual(cancelled.lines.map(\.allotted), [0])
        XCTAssertEqual(try f.admin.lic("W").balance.available, 1, "a cancelled order takes nothing")
        r.ifShort = .keep
        let kept = try f.admin.enterOrder(r)
        XCTAssertEqual(kept.status, .backorder)
        XCTAssertTrue(kept.shipments.isEmpty, "held until complete")
        XCTAssertThrowsError(try f.admin.invoice(kept.number, choice: nil))
        try f.assertInvariants()
    }

    func testCancelRemainingReleasesToTheSecondaryProcess() throws {
        let f = try DeskFixture()
        try f.customers("C1", "C2")
        try f.lic("W", stock: 4)
        let a = try f.admin.enterOrder(request("C1", [("W", 4)]))
        let b = try f.admin.enterOrder(request("C1", [("W", 2)]))
        XCTAssertEqual(try f.admin.cancelRemaining(a.number, line: 1, reason: "CUST"), 4)
        XCTAssertEqual(try f.admin.order(a.number).status, .cancelled)
        _ = try f.admin.runProcess(.secondary)
        XCTAssertEqual(try f.admin.order(b.number).lines.map(\.allotted), [2])
        XCTAssertThrowsError(try f.admin.cancelRemaining(b.number, line: 9, reason: "CUST"))
        try f.assertInvariants()
    }

    /// Invariants after every step of a random mix of entries, shipments, invoices and cancellations.
    func testRandomMixKeepsInvariants() throws {
        for seed in UInt64(1)...6 { try randomMix(seed: seed, steps: 90) }
    }

    func randomMix(seed: UInt64, steps: Int) throws {
        var g = SeededRandom(seed: seed)
        let f = try DeskFixture()
        try f.customers("C1", "C2", "C3")
        try f.lic("A", stock: 6)
        try f.lic("B", stock: 3)
        let policies: [FulfillmentPolicy] = [.partial, .complete, .partialCancel, .completeOrCancel]
        for step in 0..<steps {
            let desk = f.admin
            do {
                switch g.next() % 7 {
                case 0, 1:
                    var r = try request(["C1", "C2", "C3"][Int(g.next() % 3)], [(["A", "B"][Int(g.next() % 2)], Int(g.next() % 6) + 1)],
                                        policy: policies[Int(g.next() % 4)], deposit: Int(g.next() % 3000), handling: 200, tax: "8.25")
                    r.ifShort = g.next() % 2 == 0 ? .keep : .cancel(reasonCode: "CUST")
                    _ = try desk.enterOrder(r)
                case 2:
                    if let s = try desk.shipments(status: .pending).randomElement(using: &g) { try desk.shipShipment(s.id) }
                case 3:
                    if let o = try desk.orders().randomElement(using: &g) {
                        _ = try desk.invoice(o.number, choice: g.next() % 2 == 0 ? .keep : .cancel(reasonCode: "CUST"))
                    }
                case 4:
                    if let o = try desk.orders(status: .backorder).randomElement(using: &g) {
                        _ = try desk.cancelRemaining(o.number, line: nil, reason: "CUST")
                    }
                case 5:
                    _ = try desk.receive(lic: ["A", "B"][Int(g.next() % 2)], qty: Int(g.next() % 5) + 1)
                default:
                    _ = try desk.runProcess(g.next() % 2 == 0 ? .primary : .secondary)
                }
            } catch is DeskError {
                // A refusal is a legal outcome; it must have written nothing (checked below).
            }
            let v = try f.admin.check().violations
            XCTAssertTrue(v.isEmpty, "seed \(seed) step \(step): \(v)")
            if !v.isEmpty { return }
        }
    }
}
