import ChanceryDomain
import Foundation
import Testing

/// The efficiency index, grades and ranking: hand-computed values under the default and a configured formula.
@Suite("Efficiency index")
struct EfficiencyIndexTests {
    static let planning = DepartmentPerformance(
        region: "430424", departmentCode: "planning", accepted: 100, concluded: 80, concludedOnTime: 72, concludedEarly: 40,
        rated: 50, satisfied: 45, badRatings: 5, badRatingsRectifiedInTime: 4, yellowCards: 6, redCards: 2)

    @Test("default formula: 40 on time, 15 early, 20 satisfaction, 10 rectification, 15 card-free")
    func defaultIndex() throws {
        // on time 72/80 = 0.9 → 36; early 40/80 = 0.5 → 7.5; satisfaction 45/50 = 0.9 → 18; rectification 4/5 = 0.8 → 8;
        // card-free 1 − (2 + 0.5 × 6)/100 = 0.95 → 14.25. Total 83.75 of 100.
        let formula = EfficiencyFormula()
        #expect(formula.index(Self.planning) == 83.75)
        #expect(formula.grade(83.75) == .good)
        #expect(formula.grade(90) == .excellent && formula.grade(60) == .pass && formula.grade(59.99) == .fail)
    }

    @Test("components without a denominator are left out and the weights scaled")
    func missingComponents() {
        // Nothing rated and no bad rating: on time 36 + early 7.5 + card-free 14.25 = 57.75 of 70 → 82.5.
        var p = Self.planning
        p.rated = 0; p.satisfied = 0; p.badRatings = 0; p.badRatingsRectifiedInTime = 0
        #expect(EfficiencyFormula().index(p) == 82.5)
        #expect(EfficiencyFormula().index(DepartmentPerformance(region: "430424", departmentCode: "idle")) == nil)
        // Cards beyond the number of cases floor the card-free rate at 0.
        let flooded = DepartmentPerformance(region: "430424", departmentCode: "x", accepted: 2, redCards: 5)
        #expect(EfficiencyFormula().index(flooded) == 0)
    }

    @Test("a configuration file changes weights and thresholds; absent members keep their defaults; bad ones are refused")
    func configuration() throws {
        let formula = try JSONDecoder().decode(EfficiencyFormula.self, from: Data(#"{"onTimeWeight": 100, "earlyWeight": 0, "satisfactionWeight": 0, "rectificationWeight": 0, "cardFreeWeight": 0, "goodFrom": 85}"#.utf8))
        #expect(formula.index(Self.planning) == 90)
        #expect(formula.grade(84) == .pass)
        #expect(formula.excellentFrom == 90)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EfficiencyFormula.self, from: Data(#"{"onTimeWeight": -1}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EfficiencyFormula.self, from: Data(#"{"passFrom": 95}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EfficiencyFormula.self, from: Data(#"{"onTimeWeight": 0, "earlyWeight": 0, "satisfactionWeight": 0, "rectificationWeight": 0, "cardFreeWeight": 0}"#.utf8))
        }
    }

    @Test("ranking: highest index first, equal indexes share a rank, departments without an index come last unranked")
    func ranking() {
        var twin = Self.planning
        twin.departmentCode = "housing"
        var best = Self.planning
        best.departmentCode = "tax"
        best.concludedOnTime = 80
        let idle = DepartmentPerformance(region: "430424", departmentCode: "idle")
        let ranked = EfficiencyFormula().rank([idle, Self.planning, twin, best])
        #expect(ranked.map(\.performance.departmentCode) == ["tax", "housing", "planning", "idle"])
        #expect(ranked.map(\.rank) == [1, 2, 2, nil])
        #expect(ranked.map(\.grade) == [.good, .good, .good, nil])
        #expect(ranked[0].index == 87.75)
    }

    @Test("a formula file is read with the defaults filling in; an unreadable or malformed file names itself")
    func loadsAFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("formula-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("formula.json"), bad = dir.appendingPathComponent("bad.json")
        try Data(#"{"onTimeWeight": 50}"#.utf8).write(to: good)
        try Data(#"{"onTimeWeight": -1}"#.utf8).write(to: bad)
        let formula = try EfficiencyFormula.load(contentsOf: good)
        #expect(formula.onTimeWeight == 50)
        #expect(formula.earlyWeight == EfficiencyFormula().earlyWeight)
        #expect(throws: ConfigurationError.self) { try EfficiencyFormula.load(contentsOf: bad) }
        do {
            _ = try EfficiencyFormula.load(contentsOf: dir.appendingPathComponent("missing.json"))
            Issue.record("a missing file was read")
        } catch {
            guard case .unreadable(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path.hasSuffix("missing.json"))
        }
    }
}
