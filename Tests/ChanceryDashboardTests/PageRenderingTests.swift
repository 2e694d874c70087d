import Foundation
import Testing

@testable import ChanceryDashboard

/// The dashboard's templates render, in both languages, with every value HTML-escaped.
@Suite("Dashboard page rendering")
struct PageRenderingTests {
    let renderer: PageRenderer

    init() throws {
        renderer = try PageRenderer()
    }

    func layout(_ language: DashboardLanguage, region: String = "430424") -> [String: Any] {
        [
            "t": language.labels, "htmlLang": language.htmlLang, "title": language.label("overviewTitle"), "isEnglish": language == .en,
            "qs": "region=\(region)&from=2025-01&to=2025-12", "nav": [["href": "/dashboard?x=1", "label": language.label("navOverview"), "current": true]],
            "reportLinks": [["href": "/dashboard/reports/circular", "label": language.label("navCircular")]],
            "otherLanguageHref": "/dashboard?lang=en", "filterAction": "/dashboard", "region": region, "from": "2025-01", "to": "2025-12",
            "regions": [["code": region, "selected": true]], "chartsAvailable": true, "refreshSeconds": 0, "refresh": false,
        ]
    }

    @Test("Every template the dashboard uses is bundled and parses")
    func templatesLoad() {
        #expect(renderer.templateNames == ["layout", "charts", "cases", "login", "error", "overview", "departments", "department", "item", "case",
                                           "interactions", "disclosure", "unused", "alerts"])
    }

    @Test("Every label exists in Chinese and English, and the two differ")
    func labelsInBothLanguages() {
        #expect(Set(DashboardLabels.chinese.keys) == Set(DashboardLabels.english.keys))
        for (key, zh) in DashboardLabels.chinese where !key.hasPrefix("otherLanguage") {
            #expect(zh != DashboardLabels.english[key], "label \(key) is not translated")
        }
        #expect(DashboardLanguage(query: "en") == .en)
        #expect(DashboardLanguage(query: nil) == .zh)
        #expect(DashboardLanguage(query: "fr") == .zh)
    }

    @Test("The overview renders its labels in the page's language, with its navigation, filter and report links")
    func overviewInBothLanguages() throws {
        let context: [String: Any] = ["charts": [], "months": [["label": "2025-03", "accepted": 2, "concluded": 1]], "empty": false, "api": "/v1/metrics/cases"]
        let zh = try renderer.render("overview", context: context, page: layout(.zh))
        #expect(zh.contains("<html lang=\"zh-CN\">"))
        #expect(zh.contains("每月受理与办结"))
        #expect(zh.contains("<th scope=\"row\">2025-03</th><td>2</td><td>1</td>"))
        #expect(zh.contains("href=\"/dashboard/reports/circular\""))
        #expect(zh.contains("<label for=\"f-from\">起始月份</label>"))
        #expect(zh.contains("<script src=\"/assets/chart.js\"></script>"))
        let en = try renderer.render("overview", context: context, page: layout(.en))
        #expect(en.contains("<html lang=\"en\">"))
        #expect(en.contains("Accepted vs concluded by month"))
        #expect(en.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"))
        #expect(!en.contains("每月受理与办结"))
    }

    @Test("Without Chart.js the page says charts are unavailable and loads no chart script")
    func chartsUnavailable() throws {
        var page = layout(.en)
        page["chartsAvailable"] = false
        let html = try renderer.render("overview", context: ["charts": [], "months": [], "empty": true], page: page)
        #expect(html.contains("Charts are unavailable"))
        #expect(!html.contains("/assets/chart.js"))
    }

    @Test("Values are HTML-escaped; chart data cannot close its script element")
    func escaping() throws {
        let hostile = "<script>alert(\"x\")</script>&"
        let html = try renderer.render("unused", context: [
            "items": [["department": hostile, "departmentCode": "d", "code": "i", "name": "n"]], "departments": [], "noDepartments": true,
            "late": [], "noLate": true, "asOf": "2025-10-01",
        ], page: layout(.zh, region: "\"><b>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("value=\"&quot;&gt;&lt;b&gt;\""))

        let json = PageRenderer.scriptJSON(["title": "</script><script>alert(1)</script>", "n": 1])
        #expect(!json.contains("</script>"))
        #expect(json.contains("\\u003c") && json.contains("\\u003e"))
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(decoded?["title"] as? String == "</script><script>alert(1)</script>")
    }

    @Test("The login page shows the error in the user's language and keeps the language")
    func loginPage() throws {
        let en = try renderer.render("login", context: ["next": "/dashboard/alerts", "error": "The token is unknown, malformed or revoked.", "hasError": true],
                                     page: ["t": DashboardLanguage.en.labels, "htmlLang": "en", "title": "Log in", "isEnglish": true, "bare": true])
        #expect(en.contains("role=\"alert\""))
        #expect(en.contains("The token is unknown, malformed or revoked."))
        #expect(en.contains("<label for=\"token\">Access token</label>"))
        #expect(en.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"))
        #expect(!en.contains("<nav"))
        let zh = try renderer.render("login", context: ["next": "", "hasError": false],
                                     page: ["t": DashboardLanguage.zh.labels, "htmlLang": "zh-CN", "title": "登录看板", "isEnglish": false, "bare": true])
        #expect(zh.contains("<label for=\"token\">访问令牌</label>"))
        #expect(!zh.contains("role=\"alert\""))
    }

    @Test("The filter defaults to the busiest region's latest year and refuses malformed input in the user's language")
    func filter() throws {
        let regions: [[String: Any]] = [["region": "430424", "cases": 9541, "lastMonth": "2025-10"], ["region": "430405", "cases": 0]]
        let f = try DashboardFilter.parse(region: nil, from: nil, to: nil, lang: nil, regions: regions)
        #expect(f.region == "430424" && f.from == "2025-01" && f.to == "2025-12" && f.language == .zh)
        #expect(f.query == "region=430424&from=2025-01&to=2025-12")
        #expect(f.quarters == ["2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"])
        let en = try DashboardFilter.parse(region: "430405", from: "2025-03", to: "2025-05", lang: "en", regions: regions)
        #expect(en.query == "region=430405&from=2025-03&to=2025-05&lang=en")
        #expect(en.quarters == ["2025-Q2", "2025-Q1"])
        #expect(throws: DashboardInputError.self) { try DashboardFilter.parse(region: "43", from: nil, to: nil, lang: nil, regions: regions) }
        do {
            _ = try DashboardFilter.parse(region: nil, from: "2025-13", to: nil, lang: "en", regions: regions)
            Issue.record("a month 13 was accepted")
        } catch let error as DashboardInputError {
            #expect(error.message == "from must be a month YYYY-MM, not “2025-13”")
        }
        do {
            _ = try DashboardFilter.parse(region: nil, from: "2025-06", to: "2025-01", lang: nil, regions: regions)
            Issue.record("from after to was accepted")
        } catch let error as DashboardInputError {
            #expect(error.message == "起始月份（2025-06）晚于截止月份（2025-01）")
        }
    }

    @Test("After login the browser only goes back to a dashboard path on this site")
    func safeNext() {
        #expect(DashboardController.safeNext("/dashboard/alerts?lang=en") == "/dashboard/alerts?lang=en")
        #expect(DashboardController.safeNext("//evil.example/dashboard") == nil)
        #expect(DashboardController.safeNext("https://evil.example/dashboard") == nil)
        #expect(DashboardController.safeNext("/v1/metrics/cases") == nil)
        #expect(DashboardController.safeNext(nil) == nil)
    }

    @Test("The configuration file's members are optional and checked")
    func configuration() throws {
        let c = try JSONDecoder().decode(DashboardConfiguration.self, from: Data(#"{"satisfactionTarget": 0.9, "weakCategoryBelow": 3}"#.utf8))
        #expect(c.satisfactionTarget == 0.9 && c.weakCategoryBelow == 3 && c.replyInTimeTarget == 1.0)
        #expect(throws: DashboardConfigurationError.self) {
            try JSONDecoder().decode(DashboardConfiguration.self, from: Data(#"{"replyInTimeTarget": 100}"#.utf8))
        }
    }
}
