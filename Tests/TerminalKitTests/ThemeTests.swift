import Foundation
import TerminalKit
import XCTest

final class ThemeTests: XCTestCase {
    let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    var temp: URL!

    override func setUpWithError() throws {
        temp = FileManager.default.temporaryDirectory.appendingPathComponent("tk-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: temp)
    }

    func write(_ name: String, _ text: String) throws -> URL {
        let url = temp.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testLoadsAGoodFile() throws {
        let url = try write("ocean.toml", """
            name = "ocean"
            [roles.selection]
            fg = "black"
            bg = "cyan"
            attrs = ["bold"]

            [roles.backordered]
            fg = "bright-red"
            attrs = "underline"

            [roles.bar]
            fg = 208
            bg = "color17"
            """)
        let theme = try Theme.load(contentsOf: url)
        XCTAssertEqual(theme.name, "ocean")
        XCTAssertEqual(theme.style(.selection), Style(fg: .black, bg: .cyan, attrs: .bold))
        XCTAssertEqual(theme.style(.backordered), Style(fg: .brightRed, attrs: .underline))
        XCTAssertEqual(theme.style(.bar), Style(fg: .index(208), bg: .index(17)))
        XCTAssertEqual(theme.style(.header), Theme.monochrome.style(.header), "left-out roles come from the base")
    }

    func testBaseAndDefaultName() throws {
        let url = try write("partial.toml", """
            base = "default"
            [roles.title]
            fg = "magenta"
            """)
        let theme = try Theme.load(contentsOf: url)
        XCTAssertEqual(theme.name, "partial", "file name when name is missing")
        XCTAssertEqual(theme.style(.title), Style(fg: .magenta))
        XCTAssertEqual(theme.style(.selection), Theme.default.style(.selection))
    }

    func testBadColourNamesFileAndKey() throws {
        let url = try write("bad.toml", """
            name = "bad"
            [roles.selection]
            fg = "purpel"
            """)
        XCTAssertThrowsError(try Theme.load(contentsOf: url)) { error in
            XCTAssertEqual(error as? ThemeError, .unknownColor(file: url.path, key: "roles.selection.fg", value: "purpel"))
            let message = String(describing: error)
            XCTAssertTrue(message.contains("bad.toml"), message)
            XCTAssertTrue(message.contains("roles.selection.fg"), message)
            XCTAssertTrue(message.contains("purpel"), message)
        }
    }

    func testOtherErrors() throws {
        let cases: [(String, ThemeError)] = [
            ("[roles.selecton]\nfg = \"red\"", .unknownRole(file: "", key: "roles.selecton")),
            ("[roles.selection]\nattrs = [\"blink\"]", .unknownAttribute(file: "", key: "roles.selection.attrs", value: "blink")),
            ("[roles.selection]\nforeground = \"red\"", .unknownKey(file: "", key: "roles.selection.foreground")),
            ("colour = 3", .unknownKey(file: "", key: "colour")),
            ("[roles.selection]\nfg = 300", .unknownColor(file: "", key: "roles.selection.fg", value: "300")),
            ("[roles.selection]\nfg = true", .wrongType(file: "", key: "roles.selection.fg", expected: "a colour name or number")),
            ("base = \"neon\"", .unknownBase(file: "", key: "base", value: "neon")),
        ]
        for (n, (text, expected)) in cases.enumerated() {
            let url = try write("case\(n).toml", text)
            XCTAssertThrowsError(try Theme.load(contentsOf: url), text) { error in
                guard let e = error as? ThemeError else { return XCTFail("\(error)") }
                // Same case and key, with this file's path.
                let fixed: ThemeError
                switch expected {
                case let .unknownRole(_, key): fixed = .unknownRole(file: url.path, key: key)
                case let .unknownAttribute(_, key, value): fixed = .unknownAttribute(file: url.path, key: key, value: value)
                case let .unknownKey(_, key): fixed = .unknownKey(file: url.path, key: key)
                case let .unknownColor(_, key, value): fixed = .unknownColor(file: url.path, key: key, value: value)
                case let .wrongType(_, key, exp): fixed = .wrongType(file: url.path, key: key, expected: exp)
                case let .unknownBase(_, key, value): fixed = .unknownBase(file: url.path, key: key, value: value)
                default: fixed = expected
                }
                XCTAssertEqual(e, fixed)
            }
        }
    }

    func testSyntaxErrorHasLine() throws {
        let url = try write("broken.toml", "name = \"x\"\n[roles.selection\nfg = 1\n")
        XCTAssertThrowsError(try Theme.load(contentsOf: url)) { error in
            guard case let .syntax(file, line, _, _)? = error as? ThemeError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, url.path)
            XCTAssertEqual(line, 2)
        }
        XCTAssertThrowsError(try Theme.load(contentsOf: temp.appendingPathComponent("missing.toml"))) { error in
            guard case .unreadable? = error as? ThemeError else { return XCTFail("\(error)") }
        }
    }

    func testShippedThemesLoadAndMatchBuiltIns() throws {
        XCTAssertEqual(try Theme.load(contentsOf: themesDirectory.appendingPathComponent("default.toml")), Theme.default)
        XCTAssertEqual(try Theme.load(contentsOf: themesDirectory.appendingPathComponent("monochrome.toml")), Theme.monochrome)
        let amber = try Theme.load(contentsOf: themesDirectory.appendingPathComponent("amber.toml"))
        XCTAssertEqual(amber.name, "amber")
        XCTAssertEqual(amber.style(.selection).bg, .index(214))
        XCTAssertEqual(Set(amber.styles.keys), Set(ThemeRole.allCases))
    }

    /// Every built-in theme written as a theme file reads back as itself.
    func testTomlTextRoundTrips() throws {
        for theme in Theme.builtIn {
            XCTAssertEqual(try Theme.parse(theme.tomlText(), file: "x"), theme)
        }
    }

    func testMonochromeUsesNoColours() {
        for role in ThemeRole.allCases {
            let s = Theme.monochrome.style(role)
            XCTAssertEqual(s.fg, .default, "\(role)")
            XCTAssertEqual(s.bg, .default, "\(role)")
        }
        XCTAssertTrue(Theme.monochrome.style(.selection).attrs.contains(.reverse))
        XCTAssertTrue(Theme.monochrome.style(.columnHeader).attrs.contains(.bold))
        XCTAssertTrue(Theme.monochrome.style(.footerKey).attrs.contains(.underline))
        XCTAssertNotEqual(Theme.monochrome.style(.selection), Theme.monochrome.style(.selectionUnfocused))
    }

    func testResolve() throws {
        let dir = themesDirectory
        XCTAssertEqual(Theme.resolve(name: "amber", themesDirectory: dir, environment: ["NO_COLOR": ""], colorsAvailable: true).name,
                       "monochrome", "NO_COLOR with any value, even empty")
        XCTAssertEqual(Theme.resolve(name: "amber", themesDirectory: dir, environment: ["NO_COLOR": "1"], colorsAvailable: true),
                       .monochrome)
        XCTAssertEqual(Theme.resolve(name: nil, themesDirectory: dir, environment: [:], colorsAvailable: false), .monochrome)
        XCTAssertEqual(Theme.resolve(name: "amber", themesDirectory: dir, environment: [:], colorsAvailable: true).name, "amber")
        XCTAssertEqual(Theme.resolve(name: nil, themesDirectory: dir, environment: [:], colorsAvailable: true), .default)
        XCTAssertEqual(Theme.resolve(name: nil, themesDirectory: nil, environment: [:], colorsAvailable: true), .default)

        let missing = Theme.resolveWithDiagnostics(name: "neon", themesDirectory: dir, environment: [:], colorsAvailable: true)
        XCTAssertEqual(missing.theme, .default)
        XCTAssertEqual(missing.problem?.contains("neon"), true)

        _ = try write("broken.toml", "[roles.nope]")
        let broken = Theme.resolveWithDiagnostics(name: "broken", themesDirectory: temp, environment: [:], colorsAvailable: true)
        XCTAssertEqual(broken.theme, .default)
        XCTAssertEqual(broken.problem?.contains("roles.nope"), true)
    }

    func testColorNames() {
        XCTAssertEqual(Color(name: "bright-red"), .brightRed)
        XCTAssertEqual(Color(name: "brightRed"), .brightRed)
        XCTAssertEqual(Color(name: "Bright_Blue"), .brightBlue)
        XCTAssertEqual(Color(name: "grey"), .brightBlack)
        XCTAssertEqual(Color(name: "default"), .default)
        XCTAssertEqual(Color(name: "colour200"), .index(200))
        XCTAssertEqual(Color(name: "9"), .brightRed)
        XCTAssertNil(Color(name: "bright-purple"))
        XCTAssertNil(Color(name: "256"))
        for n in 0..<16 { XCTAssertEqual(Color(name: Color.ansi(UInt8(n)).name), .ansi(UInt8(n))) }
    }
}

extension Theme {
    /// The theme `resolveWithDiagnostics` picks, without the reason it gives.
    static func resolve(name: String?, themesDirectory: URL?, environment: [String: String], colorsAvailable: Bool) -> Theme {
        resolveWithDiagnostics(name: name, themesDirectory: themesDirectory, environment: environment,
                               colorsAvailable: colorsAvailable).theme
    }

    /// The theme as a theme file: the TOML text that `parse` reads back into it.
    func tomlText() -> String {
        var out = "name = \"\(name)\"\n"
        for role in ThemeRole.allCases {
            let s = style(role)
            out += "\n[roles.\(role.rawValue)]\n"
            if s.fg != .default { out += "fg = \"\(s.fg.name)\"\n" }
            if s.bg != .default { out += "bg = \"\(s.bg.name)\"\n" }
            if !s.attrs.isEmpty {
                out += "attrs = [" + s.attrs.names.map { "\"\($0)\"" }.joined(separator: ", ") + "]\n"
            }
        }
        return out
    }
}
