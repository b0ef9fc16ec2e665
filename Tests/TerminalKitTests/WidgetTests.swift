import TerminalKit
import TestSupport
import XCTest

final class WidgetTests: XCTestCase {
    func testTabBarRangesMapClicks() {
        var b = ScreenBuffer(size: Size(width: 60, height: 1))
        let tabs = [Tab("Orders", key: .char("1")), Tab("Backorders", key: .char("2"), badge: "12"), Tab("Items", key: .char("3"))]
        let ranges = TabBar.render(tabs: tabs, selected: 1, area: b.area, buffer: &b, theme: .monochrome)
        XCTAssertEqual(b.row(0), " 1 Orders  2 Backorders (12)  3 Items")
        XCTAssertEqual(ranges, [0..<10, 10..<29, 29..<38])
        XCTAssertEqual(TabBar.tab(atX: 12, in: ranges), 1)
        XCTAssertEqual(TabBar.tab(atX: 34, in: ranges), 2)
        XCTAssertNil(TabBar.tab(atX: 50, in: ranges))
        XCTAssertEqual(b[12, 0].style, Theme.monochrome.style(.tabActive))
    }

    func testTabBarShortensTitlesWhenNarrow() {
        var b = ScreenBuffer(size: Size(width: 24, height: 1))
        let tabs = ["Orders", "Backorders", "Items", "Purchasing"].enumerated().map { Tab($1, key: .char(Character("\($0 + 1)"))) }
        let ranges = TabBar.render(tabs: tabs, selected: 0, area: b.area, buffer: &b, theme: .monochrome)
        XCTAssertEqual(b.row(0), " 1 O…  2 B…  3 I…  4 P…")
        XCTAssertEqual(ranges.count, 4)
        XCTAssertLessThanOrEqual(ranges.last!.upperBound, 24)
    }

    func testHeaderLineDropsStatusFromTheEnd() {
        var b = ScreenBuffer(size: Size(width: 50, height: 1))
        HeaderLine.render(title: "Backorders", status: ["db: shop.sqlite", "ann (clerk)", "BO mgmt on"], area: b.area,
                          buffer: &b, theme: .monochrome)
        XCTAssertEqual(b.row(0), " Backorders         db: shop.sqlite · ann (clerk)")
        XCTAssertEqual(b[0, 0].style, Theme.monochrome.style(.headerAccent))
    }

    func testInlineQuestion() {
        let q = InlineQuestion("Only 20 of 25 available. Split by availability?", choices: [
            QuestionChoice(.char("y"), "Yes", "split"),
            QuestionChoice(.char("n"), "No", "backorder"),
            QuestionChoice(.escape, "back", "cancel"),
        ])
        XCTAssertEqual(q.line, "Only 20 of 25 available. Split by availability?  [Y]es  [N]o  [Esc] back")
        XCTAssertEqual(q.answer(for: .char("Y")), "split")
        XCTAssertEqual(q.answer(for: .char("n")), "backorder")
        XCTAssertEqual(q.answer(for: .escape), "cancel")
        XCTAssertNil(q.answer(for: .char("x")))

        var b = ScreenBuffer(size: Size(width: 50, height: 1))
        let ranges = q.render(area: b.area, buffer: &b, theme: .monochrome)
        XCTAssertEqual(b.row(0), "Only 20 of 25 available.…  [Y]es  [N]o  [Esc] back", "choices always shown")
        XCTAssertEqual(ranges.map(\.count), [5, 4, 10])
        XCTAssertEqual(q.answer(for: .char("N")), "backorder")
        XCTAssertEqual(ranges.last?.upperBound, 50)
    }

    func testCompletionListBelowAndAbove() {
        let items = [CompletionItem("Acme Tools", detail: "C-100"), CompletionItem("Acme Rentals", detail: "C-101"),
                     CompletionItem("東京商事", detail: "C-102")]
        var b = ScreenBuffer(size: Size(width: 40, height: 10))
        let field = Rect(x: 5, y: 1, width: 12, height: 1)
        let rect = CompletionList.render(items: items, state: CompletionState(selected: 1), anchor: field,
                                         bounds: b.area, buffer: &b, theme: .monochrome)
        XCTAssertEqual(rect, Rect(x: 5, y: 2, width: 21, height: 5))
        XCTAssertEqual(b.text(in: rect), """
            ┌───────────────────┐
            │Acme Tools    C-100│
            │Acme Rentals  C-101│
            │東京商事      C-102│
            └───────────────────┘
            """)
        XCTAssertEqual(b[6, 4].style, Theme.monochrome.style(.selection))

        var c = ScreenBuffer(size: Size(width: 40, height: 10))
        let low = Rect(x: 30, y: 8, width: 5, height: 1)
        let above = CompletionList.render(items: items, state: CompletionState(), anchor: low, bounds: c.area,
                                          buffer: &c, theme: .monochrome)
        XCTAssertEqual(above, Rect(x: 19, y: 3, width: 21, height: 5), "above the field, kept inside the screen")
    }

    func testCompletionStateKeys() {
        var s = CompletionState()
        XCTAssertTrue(s.handle(.up, count: 3))
        XCTAssertEqual(s.selected, 2, "wraps")
        XCTAssertTrue(s.handle(.down, count: 3))
        XCTAssertEqual(s.selected, 0)
        XCTAssertFalse(s.handle(.char("a"), count: 3))
        XCTAssertFalse(s.handle(.down, count: 0))
    }

    func testTooSmall() {
        var b = ScreenBuffer(size: Size(width: 70, height: 5))
        XCTAssertTrue(TooSmall.render(minimum: Size(width: 80, height: 24), buffer: &b, theme: .monochrome))
        XCTAssertEqual(b.text(), "\n\n          Terminal too small: need at least 80×24, have 70×5\n\n")
        var ok = ScreenBuffer(size: Size(width: 80, height: 24))
        XCTAssertFalse(TooSmall.render(minimum: Size(width: 80, height: 24), buffer: &ok, theme: .monochrome))
        var narrow = ScreenBuffer(size: Size(width: 20, height: 6))
        TooSmall.render(minimum: Size(width: 80, height: 24), buffer: &narrow, theme: .monochrome)
        XCTAssertEqual(narrow.text(), "\nTerminal too small:\nneed at least 80×24,\n     have 20×6\n\n")
    }

    func testDialog() {
        var b = ScreenBuffer(size: Size(width: 40, height: 9))
        b.fill(b.area, style: .plain, character: ".")
        let rect = Dialog.render(title: "Close short", message: "Close order 1001 short? 5 units stay unshipped.",
                                 footer: "[Y]es  [N]o", area: b.area, buffer: &b, theme: .monochrome)
        assertGolden(b.text(), named: "dialog-40x9", directory: goldens)
        XCTAssertTrue(b.area.intersection(rect) == rect)
    }

    func testBoxTitleAndLabel() {
        var b = ScreenBuffer(size: Size(width: 16, height: 3))
        let inner = Box.draw(b.area, title: "Items", buffer: &b, theme: .monochrome)
        Box.label(" 3/9 ", on: b.area, buffer: &b, theme: .monochrome)
        XCTAssertEqual(inner, Rect(x: 1, y: 1, width: 14, height: 1))
        XCTAssertEqual(b.text(), "┌─ Items ──────┐\n│              │\n└──────── 3/9 ─┘")
    }
}

final class ChartTests: XCTestCase {
    func testBarEighths() {
        XCTAssertEqual(BarChart.bar(value: 10, maxValue: 10, width: 4), "████")
        XCTAssertEqual(BarChart.bar(value: 5, maxValue: 10, width: 4), "██")
        XCTAssertEqual(BarChart.bar(value: 1, maxValue: 10, width: 4), "▍", "0.4 column = 3.2 eighths → 3")
        XCTAssertEqual(BarChart.bar(value: 3, maxValue: 8, width: 1), "▍")
        XCTAssertEqual(BarChart.bar(value: 7, maxValue: 8, width: 1), "▉")
        XCTAssertEqual(BarChart.bar(value: 0, maxValue: 8, width: 5), "")
        XCTAssertEqual(BarChart.bar(value: 20, maxValue: 10, width: 3), "███", "capped at full scale")
        XCTAssertEqual(BarChart.bar(value: 5, maxValue: 0, width: 3), "")
    }

    func testBarChartRender() {
        var b = ScreenBuffer(size: Size(width: 30, height: 3))
        BarChart.render(items: [BarItem("Widgets", 40), BarItem("Gears", 10, role: .backordered), BarItem("Nuts", 0)],
                        area: b.area, buffer: &b, theme: .default)
        XCTAssertEqual(b.text(), """
            Widgets ███████████████████ 40
            Gears   ████▊               10
            Nuts                         0
            """)
        XCTAssertEqual(b[8, 1].style, Theme.default.style(.backordered))
        XCTAssertEqual(b[8, 0].style, Theme.default.style(.bar))
    }

    func testSparkline() {
        XCTAssertEqual(Sparkline.string([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(Sparkline.string([0, 0, 0]), "▁▁▁")
        XCTAssertEqual(Sparkline.string([1, 2, 3, 4], width: 2), "▆█", "keeps the latest values")
        XCTAssertEqual(Sparkline.string([5, 10], maxValue: 20), "▃▅")
        var b = ScreenBuffer(size: Size(width: 5, height: 1))
        Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8], area: b.area, buffer: &b, theme: .default)
        XCTAssertEqual(b.row(0), "▅▅▆▇█", "last 5 of 8, scaled to the largest shown")
        XCTAssertEqual(b[0, 0].style, Theme.default.style(.sparkline))
    }
}

final class MemoryBackendTests: XCTestCase {
    func testScriptedLoop() {
        let backend = MemoryBackend(size: Size(width: 20, height: 3))
        backend.type("ab")
        backend.enqueue(.enter)
        backend.resize(to: Size(width: 10, height: 2))
        var field = TextFieldState()
        var submitted: String?
        while let key = backend.readKey(timeoutMs: 0) {
            if key == .enter { submitted = field.text }
            if key == .resize { XCTAssertEqual(backend.size, Size(width: 10, height: 2)) }
            field.handle(key)
            var buffer = ScreenBuffer(size: backend.size)
            TextField.render(label: ">", state: field, focused: true, area: buffer.area, buffer: &buffer, theme: .monochrome)
            backend.draw(buffer)
        }
        XCTAssertEqual(submitted, "ab")
        XCTAssertEqual(backend.frames.count, 4)
        XCTAssertEqual(backend.screenText, "> ab\n")
        XCTAssertNil(backend.readKey(timeoutMs: 100))
        backend.shutdown()
        XCTAssertTrue(backend.isShutdown)
    }
}
