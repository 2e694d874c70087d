import ChanceryDomain
import Testing
@testable import ChanceryReports

/// Table 三 from request facts: the rows and columns of the 2021 format, the identity, the notes.
@Suite struct RequestTallyTests {
    func day(_ text: String) -> CivilDate { CivilDate(text)! }

    @Test("given requests across the year's boundaries, then new, carried over, results and carried forward by column")
    func rowsAndColumns() throws {
        let facts = [
            // Carried over from 2024, disclosed in 2025.
            DisclosureRequestFact(subject: "request/430405/1", requesterKind: "citizen", receivedOn: day("2024-12-20"), answeredOn: day("2025-01-10"),
                                  outcome: "disclosed"),
            // New in 2025, withheld as process information.
            DisclosureRequestFact(subject: "request/430405/2", requesterKind: "legal-person", receivedOn: day("2025-03-01"), answeredOn: day("2025-03-20"),
                                  outcome: "withheld", reasonCode: "process-information"),
            // New in 2025, still open at its end.
            DisclosureRequestFact(subject: "request/430405/3", requesterKind: "other", receivedOn: day("2025-12-30")),
            // Answered in 2024: neither carried over nor handled in 2025.
            DisclosureRequestFact(subject: "request/430405/4", requesterKind: "citizen", receivedOn: day("2024-05-01"), answeredOn: day("2024-05-20"),
                                  outcome: "disclosed"),
            // Cannot provide, without a reason code: (七) only.
            DisclosureRequestFact(subject: "request/430405/5", requesterKind: "citizen", receivedOn: day("2025-06-01"), answeredOn: day("2025-06-10"),
                                  outcome: "cannot-provide"),
        ]
        let tally = try RequestTally(year: 2025, facts: facts, organisationKinds: ["request/430405/2": "legal-service-agency"])
        let t = tally.table
        #expect(t.value(.new, .naturalPerson) == 1)
        #expect(t.value(.new, .legalServiceAgency) == 1)
        #expect(t.value(.new, .otherOrganisation) == 1)
        #expect(t.value(.new, .total) == 3)
        #expect(t.value(.carriedOver, .naturalPerson) == 1)
        #expect(t.value(.carriedOver, .total) == 1)
        #expect(t.value(.disclosed, .naturalPerson) == 1)
        let process = try #require(RequestRow.withheldReasons.first { $0.id == "withheld.process-information" })
        #expect(t.value(process, .legalServiceAgency) == 1)
        #expect(t.value(.handledTotal, .naturalPerson) == 2)
        #expect(t.value(.handledTotal, .total) == 3)
        #expect(t.value(.carriedForward, .otherOrganisation) == 1)
        #expect(t.value(.carriedForward, .total) == 1)
        #expect(RequestRow.cannotProvideReasons.allSatisfy { t.value($0, .total) == 0 })
        #expect(Set(tally.notes.map(\.code)) == ["organisation-kind-not-derivable", "reason-not-derivable"])
        #expect(tally.notes.first { $0.code == "organisation-kind-not-derivable" }?.zh.contains("1件") == true)
    }

    @Test("the layout has the format's 22 result rows and 7 columns")
    func layout() {
        #expect(RequestRow.results.count == 22)
        #expect(RequestRow.all.count == 25)
        #expect(ApplicantColumn.all.map(\.zh) == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])
        #expect(RequestRow.withheldReasons.map(\.zh)[2] == "3.危及“三安全一稳定”")
        #expect(RequestRow.partiallyDisclosed.zh == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    }

    @Test("a reply dated before its receipt across the year's end breaks the identity: refused, naming column and row")
    func identityBroken() {
        let facts = [DisclosureRequestFact(subject: "request/430405/9", requesterKind: "citizen", receivedOn: day("2026-01-02"),
                                           answeredOn: day("2025-12-30"), outcome: "disclosed")]
        #expect {
            _ = try RequestTally(year: 2025, facts: facts)
        } throws: { error in
            guard case ReportError.identityBroken(let column, let row, _)? = error as? ReportError else { return false }
            return column.contains("自然人") && row.contains("（七）总计")
        }
    }

    @Test("reconsiderations and lawsuits by outcome, pending at the year's end, direct or after reconsideration")
    func challenges() {
        let facts = [
            ChallengeFact(subject: "a", reconsiderationFiledOn: day("2025-04-21"), reconsiderationDecidedOn: day("2025-06-16"), reconsiderationOutcome: "upheld",
                          litigationFiledOn: day("2025-06-27"), litigationDecidedOn: day("2025-10-20"), litigationOutcome: "upheld"),
            ChallengeFact(subject: "b", litigationFiledOn: day("2025-11-01")),
            ChallengeFact(subject: "c", reconsiderationFiledOn: day("2024-11-01"), reconsiderationDecidedOn: day("2024-12-01"), reconsiderationOutcome: "corrected"),
            ChallengeFact(subject: "d", reconsiderationFiledOn: day("2025-12-01"), reconsiderationDecidedOn: day("2026-01-05"), reconsiderationOutcome: "corrected"),
        ]
        let c = ChallengeTally.tally(year: 2025, facts: facts)
        #expect(c.reconsideration == Challenges.Outcomes(upheld: 1, pending: 1))
        #expect(c.reconsideration.total == 2)
        #expect(c.litigationAfterReconsideration == Challenges.Outcomes(upheld: 1))
        #expect(c.litigationDirect == Challenges.Outcomes(pending: 1))
        #expect(ChallengeTally.tally(year: 2024, facts: facts).reconsideration == Challenges.Outcomes(corrected: 1))
    }
}
