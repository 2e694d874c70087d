import ChanceryDomain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The portal's read-only pages (see ``Portal``).
extension Portal {
    @Sendable func home(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        let t = PortalStrings.table(lang)
        let codes = Set(try await queries.regions()).union(content.regionNames.keys)
        let regions = codes.sorted().map { ["code": $0, "name": content.regionName($0, lang)] }
        return renderer.page("home", base(request, lang, region: nil, title: t["portalName"]!).merging(["regions": regions]) { $1 })
    }

    @Sendable func regionHome(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        var data = base(request, lang, region: region, title: content.government(region, lang))
        data["figures"] = Self.figures(try await queries.statistics(region: region), lang)
        return renderer.page("region", data)
    }

    @Sendable func disclosureColumn(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        var data = base(request, lang, region: region, title: t["disclosure"]!)
        data["categories"] = PortalStrings.categories.map { ["code": $0.0, "label": lang.pick($0.1)] }
        return renderer.page("disclosure", data)
    }

    @Sendable func norms(request: Request, context: Context) async throws -> Response {
        try await sectionsPage(request, context, key: "norms", titleKey: "norms")
    }

    @Sendable func guide(request: Request, context: Context) async throws -> Response {
        try await sectionsPage(request, context, key: "guide", titleKey: "requestGuide")
    }

    private func sectionsPage(_ request: Request, _ context: Context, key: String, titleKey: String) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        var data = base(request, lang, region: region, title: t[titleKey]!)
        data["sections"] = content.sections(key, region: region, lang).map { ["heading": $0.heading, "paragraphs": $0.paragraphs] }
        data["isGuide"] = key == "guide"
        return renderer.page("sections", data)
    }

    @Sendable func catalogue(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        let q = request.uri.queryParameters
        let category = q["category"].map(String.init).flatMap { PortalStrings.categoryTable[$0] == nil ? nil : $0 }
        let departments = try await departments(region: region, lang)
        let departmentNames = Dictionary(departments.compactMap { d in (d["code"] as? String).map { ($0, d["name"] as? String ?? $0) } }) { a, _ in a }
        let department = q["department"].map(String.init).flatMap { departmentNames[$0] == nil ? nil : $0 }
        let years = try await queries.years(region: region)
        let year = q["year"].flatMap { Int($0) }.flatMap { years.contains($0) ? $0 : nil }
        let search = q["q"].map { String($0.prefix(100)).trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let page = Self.page(request), size = 20
        let answer = try await queries.catalogue(region: region, category: category, department: department, year: year, search: search,
                                                 limit: size, offset: (page - 1) * size)
        let total = answer["total"] as? Int ?? 0
        let documents = (answer["documents"] as? [[String: Any]] ?? []).map { doc -> [String: Any] in
            var d = doc
            d["categoryLabel"] = PortalStrings.label(PortalStrings.categoryTable, doc["category"] as? String, lang)
            d["department"] = departmentNames[doc["departmentCode"] as? String ?? ""] ?? doc["departmentCode"]
            return d
        }
        var filters: [String] = []
        if let category { filters.append("category=\(Self.percent(category))") }
        if let department { filters.append("department=\(Self.percent(department))") }
        if let year { filters.append("year=\(year)") }
        if let search { filters.append("q=\(Self.percent(search))") }
        let prefix = "/portal/\(region)/disclosure/catalogue?" + filters.map { $0 + "&" }.joined()
        var data = base(request, lang, region: region, title: t["catalogue"]!)
        data["documents"] = documents
        data["hasDocuments"] = !documents.isEmpty
        data["total"] = total
        data["search"] = search ?? ""
        data["categories"] = PortalStrings.categories.map { ["code": $0.0, "label": lang.pick($0.1), "selected": $0.0 == category] }
        data["departments"] = departments.map { d -> [String: Any] in
            ["code": d["code"] ?? "", "name": d["name"] ?? "", "selected": (d["code"] as? String) == department]
        }
        data["years"] = years.map { ["year": $0, "selected": $0 == year] }
        data["feedCategory"] = category ?? "all"
        data["pager"] = Self.pager(total: total, page: page, size: size) { "\(prefix)page=\($0)\(lang.ampersandQuery)" }
        return renderer.page("catalogue", data)
    }

    @Sendable func document(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context), let number = context.parameters.get("number"),
              let answer = try await queries.document(region: region, number: number), var doc = answer["doc"] as? [String: Any] else {
            return notFound(request, lang)
        }
        let departments = try await departments(region: region, lang)
        let code = doc["departmentCode"] as? String ?? ""
        doc["department"] = departments.first { ($0["code"] as? String) == code }?["name"] ?? code
        doc["categoryLabel"] = PortalStrings.label(PortalStrings.categoryTable, doc["category"] as? String, lang)
        if let url = doc["url"] as? String, !(url.hasPrefix("https://") || url.hasPrefix("http://")) { doc["url"] = nil }
        let history = (answer["history"] as? [[String: Any]] ?? []).map { h -> [String: Any] in
            var e = h
            e["label"] = PortalStrings.label(PortalStrings.events, h["type"] as? String, lang)
            // Free text of a public record: any identity or mobile number in it is masked all the same.
            if let reason = h["reason"] as? String { e["reason"] = PersonalDataMask.freeText(reason) }
            if let category = h["category"] as? String { e["categoryLabel"] = PortalStrings.label(PortalStrings.categoryTable, category, lang) }
            return e
        }
        var data = base(request, lang, region: region, title: doc["title"] as? String ?? "")
        data["doc"] = doc
        data["history"] = history
        return renderer.page("document", data)
    }

    @Sendable func feed(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context), let category = context.parameters.get("category"),
              category == "all" || PortalStrings.categoryTable[category] != nil else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        let rows = try await queries.feed(region: region, category: category == "all" ? nil : category, limit: 50)
        let host = request.head.authority.map { "http://\($0)" } ?? ""
        let categoryLabel = category == "all" ? t["all"]! : PortalStrings.label(PortalStrings.categoryTable, category, lang)
        let entries = rows.map { r -> AtomFeed.Entry in
            let number = r["number"] as? String ?? ""
            let withdrawn = r["withdrawn"] as? Bool ?? false
            let title = (withdrawn ? "[\(t["withdrawn"]!)] " : "") + (r["title"] as? String ?? "")
            let code = r["category"] as? String ?? ""
            return AtomFeed.Entry(
                id: "tag:chancery.portal,2026:document/\(region)/\(number)", title: title,
                link: "\(host)/portal/\(region)/disclosure/documents/\(Self.percent(number))\(lang.query)",
                published: r["published"] as? String ?? "", updated: r["updated"] as? String ?? "", category: code,
                categoryLabel: PortalStrings.label(PortalStrings.categoryTable, code, lang),
                summary: [r["documentNumber"] as? String, PortalStrings.label(PortalStrings.categoryTable, code, lang)].compactMap { $0 }.joined(separator: " · "))
        }
        let feed = AtomFeed(
            id: "tag:chancery.portal,2026:feed/\(region)/\(category)",
            title: "\(content.government(region, lang)) · \(t["catalogue"]!) · \(categoryLabel)", author: content.government(region, lang),
            selfLink: "\(host)/portal/\(region)/disclosure/feed/\(category)\(lang.query)",
            alternateLink: "\(host)/portal/\(region)/disclosure/catalogue\(category == "all" ? lang.query : "?category=\(category)\(lang.ampersandQuery)")",
            updated: rows.compactMap { $0["updated"] as? String }.max() ?? "1970-01-01T00:00:00Z", entries: entries)
        return Response(status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: feed.xml)))
    }

    @Sendable func results(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        let page = Self.page(request), size = 50
        let answer = try await queries.results(region: region, limit: size, offset: (page - 1) * size)
        let total = answer["total"] as? Int ?? 0
        let cases = (answer["cases"] as? [[String: Any]] ?? []).map { c -> [String: Any] in
            var out = c
            out["applicantIdNumber"] = nil
            out["applicantIdType"] = nil
            // The schema marks applicantName as personal: a citizen's name is masked, an organisation's shown.
            if let name = c["applicantName"] as? String {
                out["applicantName"] = personal.isPersonal("applicantName", of: "gov.approval.case.submitted")
                    ? PersonalDataMask.applicantName(name, kind: c["applicantKind"] as? String, idType: c["applicantIdType"] as? String,
                                                     idNumber: c["applicantIdNumber"] as? String) : name
            }
            out["decisionLabel"] = PortalStrings.label(PortalStrings.decisions, c["decision"] as? String, lang)
            return out
        }
        var data = base(request, lang, region: region, title: t["results"]!)
        data["cases"] = cases
        data["hasCases"] = !cases.isEmpty
        data["total"] = total
        data["pager"] = Self.pager(total: total, page: page, size: size) { "/portal/\(region)/results?page=\($0)\(lang.ampersandQuery)" }
        return renderer.page("results", data)
    }

    @Sendable func services(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        var data = base(request, lang, region: region, title: t["services"]!)
        data["items"] = try await queries.items(region: region).map { Self.localiseItem($0, lang) }
        return renderer.page("services", data)
    }

    @Sendable func item(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context), let code = context.parameters.get("item"),
              let item = try await queries.item(region: region, code: code) else { return notFound(request, lang) }
        var data = base(request, lang, region: region, title: item["itemName"] as? String ?? code)
        data["item"] = Self.localiseItem(item, lang)
        data["steps"] = Self.steps(caseType: item["caseType"] as? String, lang).map { ["label": $0] }
        return renderer.page("item", data)
    }

    @Sendable func reports(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        var data = base(request, lang, region: region, title: t["reports"]!)
        let years = try await queries.years(region: region)
        data["years"] = years.map { ["year": $0, "href": "/reports/annual/\(region)/\($0)\(lang.query)"] }
        data["hasYears"] = !years.isEmpty
        return renderer.page("reports", data)
    }

    @Sendable func statistics(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        var data = base(request, lang, region: region, title: t["statistics"]!)
        data["figures"] = Self.figures(try await queries.statistics(region: region), lang)
        return renderer.page("statistics", data)
    }

    /// The headline figures as `[{label, value}]`; a rate without data says so.
    static func figures(_ s: [String: Any], _ lang: PortalLanguage) -> [[String: Any]] {
        let t = PortalStrings.table(lang)
        func count(_ key: String) -> String { (s[key] as? Int).map(String.init) ?? "0" }
        func rate(_ key: String) -> String {
            if let d = s[key] as? Double { return String(format: "%.1f%%", d) }
            if let i = s[key] as? Int { return "\(i).0%" }
            return t["notAvailable"]!
        }
        return [
            ["label": t["casesAccepted"]!, "value": count("accepted")], ["label": t["casesConcluded"]!, "value": count("concluded")],
            ["label": t["onTimeRate"]!, "value": rate("onTimeRate")], ["label": t["lettersInTime"]!, "value": rate("lettersInTime")],
            ["label": t["satisfaction"]!, "value": rate("satisfaction")], ["label": t["documentsPublished"]!, "value": count("documents")],
            ["label": t["requestsReceived"]!, "value": count("requests")],
        ]
    }

    static func localiseItem(_ item: [String: Any], _ lang: PortalLanguage) -> [String: Any] {
        var out = item
        out["itemKindLabel"] = PortalStrings.label(PortalStrings.itemKinds, item["itemKind"] as? String, lang)
        out["caseTypeLabel"] = PortalStrings.label(PortalStrings.caseTypes, item["caseType"] as? String, lang)
        return out
    }

    /// The steps of a case of `caseType` (GLOSSARY.md, "handling, review, decision": one window accepts, one office
    /// handles and reviews, one leader decides, one seal concludes; an immediate case is concluded at the window; a
    /// reported-upward case goes to the higher level before the decision; a joint case is handled by each department).
    static func steps(caseType: String?, _ lang: PortalLanguage) -> [String] {
        let submit = lang.pick(("申请人提交申请材料", "The applicant submits the application"))
        let accept = lang.pick(("窗口受理（材料不全的，一次性告知补正）", "The window accepts it (or asks once for missing materials)"))
        let handle = lang.pick(("承办科室承办", "The handling office examines it"))
        let review = lang.pick(("审核", "Review"))
        let decide = lang.pick(("审批（作出准予或不予的决定）", "Decision (approved or not approved)"))
        let conclude = lang.pick(("办结并送达结果", "Concluded; the result is delivered"))
        switch caseType {
        case "immediate": return [submit, lang.pick(("窗口受理并当场办结", "The window accepts and concludes it on the spot")), conclude]
        case "reported-upward":
            return [submit, accept, handle, review, lang.pick(("上报上级机关审批，上级答复后返回", "Reported to the higher level, which returns its answer")), decide, conclude]
        case "joint":
            return [submit, accept, lang.pick(("牵头部门与协办部门联合办理", "The lead and the partner departments handle it jointly")), review, decide, conclude]
        default: return [submit, accept, handle, review, decide, conclude]
        }
    }
}
