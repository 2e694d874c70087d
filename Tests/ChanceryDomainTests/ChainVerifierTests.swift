import ChanceryDomain
import Foundation
import Testing

/// `ChainVerifier` (chancery verify) and `StreamLinks` (GET /v1/streams/{subject}) on hand-made journals.
@Suite("Chain verification")
struct ChainVerifierTests {
    /// `count` chained events of `subject`.
    static func stream(_ subject: String, count: Int) -> [CloudEvent] {
        var prev = CloudEvent.genesisHash
        return (1...count).map { n in
            var e = CloudEvent(id: "\(subject)#\(n)", source: "/430424/departments/test", type: "gov.approval.case.step.completed",
                               subject: subject, time: "2025-03-04T10:00:00+08:00", region: "430424", data: ["step": .string("s\(n)")],
                               sequence: Int64(n), recordedtime: "2025-03-04T02:00:0\(n % 10)Z", prevhash: prev)
            e.hash = e.computeHash()
            prev = e.hash!
            return e
        }
    }

    static func entry(_ e: CloudEvent, at position: Int64) -> JournalEntry {
        JournalEntry(position: position, subject: e.subject, sequence: e.sequence, hash: e.hash, value: e.jsonBytes())
    }

    /// Interleaves streams A and B (A1 B1 A2 B2 …) at positions 1, 2, 3 …
    static func journal() -> [JournalEntry] {
        let a = stream("case/430424/衡东/A", count: 3), b = stream("case/430424/B", count: 3)
        var out: [JournalEntry] = []
        for i in 0..<3 {
            out.append(entry(a[i], at: Int64(out.count + 1)))
            out.append(entry(b[i], at: Int64(out.count + 1)))
        }
        return out
    }

    static func verify(_ entries: [JournalEntry]) -> ChainReport {
        var v = ChainVerifier()
        for e in entries { v.add(CheckedEntry(e)) }
        return v.finish()
    }

    @Test("an intact journal verifies")
    func intact() {
        let r = Self.verify(Self.journal())
        #expect(r.ok)
        #expect(r.events == 6 && r.streams == 2 && r.lastPosition == 6)
    }

    @Test("a changed byte is a changed event at its position")
    func changed() {
        var j = Self.journal()
        let text = String(decoding: j[2].value, as: UTF8.self).replacingOccurrences(of: "\"s2\"", with: "\"s9\"")
        j[2].value = Array(text.utf8)
        let r = Self.verify(j)
        #expect(r.findings.map(\.kind) == [.changed])
        #expect(r.findings.first?.position == 3 && r.findings.first?.subject == "case/430424/衡东/A" && r.findings.first?.sequence == 2)
    }

    @Test("an event rewritten with a new hash breaks its successor's link")
    func rehashed() {
        var j = Self.journal()
        var e = try! JSONDecoder().decode(CloudEvent.self, from: Data(j[2].value))
        e.data = ["step": "forged"]
        e.hash = e.computeHash()
        j[2] = Self.entry(e, at: 3)
        let r = Self.verify(j)
        #expect(r.findings.map(\.kind) == [.brokenLink])
        #expect(r.findings.first?.position == 5 && r.findings.first?.sequence == 3)
    }

    @Test("a deleted row is a removed event with the missing position")
    func removed() {
        var j = Self.journal()
        j.remove(at: 3)  // B2 at position 4
        let r = Self.verify(j)
        #expect(r.findings.count == 1)
        #expect(r.findings.first?.kind == .removed)
        #expect(r.findings.first?.position == 4 && r.findings.first?.subject == "case/430424/B" && r.findings.first?.sequence == 2)
    }

    @Test("the last event of a stream deleted is a missing position")
    func removedLast() {
        var j = Self.journal()
        j.remove(at: 4)  // A3 at position 5: no gap in A, but position 5 is missing
        let r = Self.verify(j)
        #expect(r.findings.map(\.kind) == [.removed])
        #expect(r.findings.first?.position == 5 && r.findings.first?.subject == nil)
    }

    @Test("two events of a stream swapped: the later-read one is reordered, no link broken")
    func swapped() {
        var j = Self.journal()
        // A2 (position 3) and A3 (position 5) exchange places.
        let a2 = j[2].value, a3 = j[4].value
        j[2] = JournalEntry(position: 3, subject: "case/430424/衡东/A", sequence: 3, hash: j[4].hash, value: a3)
        j[4] = JournalEntry(position: 5, subject: "case/430424/衡东/A", sequence: 2, hash: Self.journal()[2].hash, value: a2)
        let r = Self.verify(j)
        #expect(r.findings.map(\.kind) == [.reordered])
        #expect(r.findings.first?.position == 5 && r.findings.first?.sequence == 2)
    }

    @Test("a copy is duplicated; another event with a taken sequence is inserted")
    func duplicatedAndInserted() {
        var j = Self.journal()
        j.append(JournalEntry(position: 7, subject: j[0].subject, sequence: 1, hash: j[0].hash, value: j[0].value))
        var forged = Self.stream("case/430424/B", count: 1)[0]
        forged.data = ["step": "forged"]
        forged.hash = forged.computeHash()
        j.append(Self.entry(forged, at: 8))
        let r = Self.verify(j)
        #expect(r.findings.map(\.kind) == [.duplicated, .inserted])
        #expect(r.findings.map(\.position) == [7, 8])
    }

    @Test("stream links: a page starting mid-stream checks against the previous hash")
    func links() {
        let a = Self.stream("case/430424/A", count: 4)
        let checked = a.enumerated().map { CheckedEntry(Self.entry($1, at: Int64($0 + 1))) }
        #expect(StreamLinks.check(checked).allSatisfy { $0.ok })
        #expect(StreamLinks.check(Array(checked[2...]), previous: (2, a[1].hash)).allSatisfy { $0.ok })
        let wrong = StreamLinks.check(Array(checked[2...]), previous: (2, a[0].hash))
        #expect(wrong.map(\.ok) == [false, true])
        #expect(StreamLinks.check([checked[0], checked[2]]).map(\.ok) == [true, false])
    }
}
