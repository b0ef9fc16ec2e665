import ArgumentParser
import BackorderApp
import BackorderCore
import Foundation

struct ShipmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shipment", abstract: "Shipments: pending → picked → shipped.",
                                                    subcommands: [List.self, Pick.self, Ship.self, Cancel.self])
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List shipments.")
        @OptionGroup var global: GlobalOptions
        @Option var order: String?
        @Option(help: "pending, picked, shipped or cancelled") var status: String?
        func run() throws {
            let rows = try global.desk().shipments(order: order, status: status.map { try Input.word($0, field: "status") })
            global.emit(rows) {
                table(["id", "order", "customer", "location", "status", "items", "units", "created"], rows.map {
                    ["\($0.id)", $0.order, safe($0.customer), $0.location, $0.status.rawValue, "\($0.items)", "\($0.units)", $0.createdAt]
                })
            }
        }
    }
    struct Pick: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a pending shipment picked (its quantities freeze).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The shipment's number (1 or more).") var id: Int64
        func run() throws {
            _ = try Input.integer(Int(id), field: "shipment", range: 1...Int.max)
            try global.desk().pickShipment(id)
            global.emit(JSON.object([("shipment", .int(Int(id))), ("status", .word(ShipmentStatus.picked))])) { "Shipment \(id) picked." }
        }
    }
    struct Ship: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ship a pending or picked shipment.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The shipment's number (1 or more).") var id: Int64
        func run() throws {
            _ = try Input.integer(Int(id), field: "shipment", range: 1...Int.max)
            try global.desk().shipShipment(id)
            global.emit(JSON.object([("shipment", .int(Int(id))), ("status", .word(ShipmentStatus.shipped))])) { "Shipment \(id) shipped." }
        }
    }
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a pending shipment; its quantities stay allotted.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The shipment's number (1 or more).") var id: Int64
        func run() throws {
            _ = try Input.integer(Int(id), field: "shipment", range: 1...Int.max)
            try global.desk().cancelShipment(id)
            global.emit(JSON.object([("shipment", .int(Int(id))), ("status", .word(ShipmentStatus.cancelled))])) { "Shipment \(id) cancelled." }
        }
    }
}

struct Receive: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Post a receipt of stock.")
    @OptionGroup var global: GlobalOptions
    @Argument var lic: String
    @Argument var qty: String
    @Option var location: String?
    @Option(help: "Receive against this purchase order (its attached backorders are served first).") var po: String?
    @Flag(name: .customLong("excess-unplanned"), help: "With --po: record what exceeds the PO's open quantity as an unplanned receipt.")
    var excessUnplanned = false
    func run() throws {
        let q = try Input.quantity(qty)
        let desk = try global.desk()
        let run = try po.map { try desk.receive(lic: lic, qty: q, po: $0, location: location, excessAsUnplanned: excessUnplanned) }
            ?? desk.receive(lic: lic, qty: q, location: location ?? DefaultLocation.code)
        let at = try po.map { try desk.purchaseOrder($0).location } ?? (location ?? DefaultLocation.code)
        var fields: [(String, JSON)] = [("lic", .string(lic.uppercased())), ("qty", .int(q)), ("location", .string(at.uppercased()))]
        fields.append(("process", run?.json ?? .null))
        global.emit(JSON.object(fields)) {
            var s = "Received \(q) \(lic.uppercased()) at \(at.uppercased())."
            if let r = run { s += " Primary process ran: \(r.stats.unitsAllotted) unit(s) allotted to \(r.stats.linesFilled) line(s)." }
            return s
        }
    }
}

struct Adjust: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Adjust stock by +N or -N with a reason (supervisor).")
    @OptionGroup var global: GlobalOptions
    @Argument var lic: String
    @Argument(help: "like +5 or -3") var delta: String
    @Option var reason: String
    @Option var location = DefaultLocation.code
    func run() throws {
        let d = try Input.delta(delta)
        try global.desk().adjust(lic: lic, delta: d, reason: reason, location: location)
        global.emit(JSON.object([("lic", .string(lic.uppercased())), ("delta", .int(d)), ("location", .string(location.uppercased()))])) {
            "Adjusted \(lic.uppercased()) at \(location.uppercased()) by \(d > 0 ? "+" : "")\(d)."
        }
    }
}

struct Return: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Post a customer return of shipped stock.")
    @OptionGroup var global: GlobalOptions
    @Argument var order: String
    @Argument var lic: String
    @Argument var qty: String
    func run() throws {
        let q = try Input.quantity(qty)
        try global.desk().recordReturn(order: order, lic: lic, qty: q)
        global.emit(JSON.object([("order", .string(order)), ("lic", .string(lic.uppercased())), ("qty", .int(q))])) {
            "Returned \(q) \(lic.uppercased()) on order \(order)."
        }
    }
}

struct LicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lic", abstract: "Line item codes (products).", subcommands: [Add.self, Show.self])
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a LIC (supervisor).")
        @OptionGroup var global: GlobalOptions
        @Argument var code: String
        @Option var desc: String?
        @Option(help: "Unit price in cents, 0–100,000,000,000.") var price: Int = 0
        @Option(name: .customLong("min-stock"), help: "Minimum stock, 0–1,000,000,000.") var minStock: Int = 0
        @Option(name: .customLong("reorder-multiple"), help: "Reorder multiple, 1–1,000,000,000.") var reorderMultiple: Int = 1
        @Option var vendor: String?
        @Flag(name: .customLong("non-inventoried")) var nonInventoried = false
        func run() throws {
            var spec = Desk.LICSpec(code: code)
            spec.description = desc ?? ""
            spec.priceCents = price
            spec.minStock = minStock
            spec.reorderMultiple = reorderMultiple
            spec.vendor = vendor
            spec.inventoried = !nonInventoried
            let c = try global.desk().addLIC(spec)
            global.emit(JSON.object([("lic", .string(c))])) { "Added LIC \(c)." }
        }
    }
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A LIC's balance and demand queue at a location.")
        @OptionGroup var global: GlobalOptions
        @Argument var lic: String
        @Option var location = DefaultLocation.code
        func run() throws {
            let v = try global.desk().lic(lic, location: location)
            global.emit(v) {
                let b = v.balance
                var s = "\(safe(v.lic))\(v.description.isEmpty ? "" : "  " + safe(v.description))  at \(v.location)\n"
                s += "on hand \(b.onHand)  allotted \(b.allotted)  available \(b.available)  demand \(b.demand)  backordered \(b.backordered)  on order \(b.onOrder)\n\n"
                s += table(["#", "order", "line", "customer", "pri", "entered", "need", "allotted", "cumulative", "state"], v.lines.map {
                    ["\($0.position)", $0.order, "\($0.line)", safe($0.customer), "\($0.priority)", $0.entered, "\($0.need)",
                     "\($0.allotted)", "\($0.cumulative)", $0.state]
                })
                return s
            }
        }
    }
}
