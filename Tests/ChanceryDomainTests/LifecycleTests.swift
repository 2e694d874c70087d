import ChanceryDomain
import Foundation
import Testing

/// An event of glossary type `name` on the test stream of its kind; `data` holds only what the rules read.
func lifecycleEvent(_ name: String, _ data: JSONValue = [:]) -> CloudEvent {
    let t = EventCatalog.named(name)
    return CloudEvent(id: UUID().uuidString, source: "/430424/test", type: t.type, subject: "\(t.streamKind)/430424/1",
                      time: "2025-03-05T10:00:00+08:00", region: "430424", data: data)
}

/// One given/when/then row: after the `given` events (each must itself be legal), `when` is accepted
/// (`rejectedBecause == nil`) or refused with `lifecycle-violation` at `/type` and a message containing it.
struct LifecycleRow: Sendable, CustomStringConvertible {
    var given: [CloudEvent]
    var when: CloudEvent
    var rejectedBecause: String?
    var description: String {
        let names = given.map { EventCatalog.eventType($0.type)!.name }
        return "given [\(names.joined(separator: ", "))] when \(EventCatalog.eventType(when.type)!.name) then \(rejectedBecause.map { "rejected: \($0)" } ?? "accepted")"
    }
}

/// Folds `given` through decide/evolve, failing the test if one of them is refused; returns the state.
func lifecycleState(after given: [CloudEvent]) -> AggregateState? {
    var state: AggregateState?
    for e in given {
        do { _ = try Lifecycle.decide(e, given: state) } catch {
            Issue.record("given event \(e.type) is refused: \(error)")
        }
        state = Lifecycle.evolve(state, e)
    }
    return state
}

func checkLifecycle(_ row: LifecycleRow) {
    let state = lifecycleState(after: row.given)
    do {
        let decided = try Lifecycle.decide(row.when, given: state)
        #expect(row.rejectedBecause == nil, "accepted, but expected: \(row.rejectedBecause ?? "")")
        #expect(decided == [row.when])
        #expect(Lifecycle.evolve(state, row.when) != nil)
    } catch {
        guard let expected = row.rejectedBecause else {
            Issue.record("refused: \(error)")
            return
        }
        #expect(error.code == "lifecycle-violation")
        #expect(error.pointer == "/type")
        #expect(error.message.contains(expected), "message: \(error.message)")
        // A refused event leaves the state as it was.
        #expect(Lifecycle.evolve(state, row.when) == state)
    }
}

private func e(_ name: String, _ data: JSONValue = [:]) -> CloudEvent { lifecycleEvent(name, data) }
private func row(_ given: [CloudEvent], _ when: CloudEvent, _ rejected: String? = nil) -> LifecycleRow {
    LifecycleRow(given: given, when: when, rejectedBecause: rejected)
}

// MARK: Item

private let registered = e("ItemRegistered", ["departmentCode": "scjgj"])
private let confirmed = e("ItemConfirmed", ["departmentCode": "scjgj"])

let itemRows: [LifecycleRow] = [
    row([], registered),
    row([], e("ItemRevised"), "needs an existing stream"),
    row([registered], registered, "starts a stream"),
    row([registered], confirmed),
    row([registered], e("ItemConfirmed", ["departmentCode": "zfb"]), "confirmed by its own department (scjgj), not by zfb"),
    row([registered, confirmed], confirmed, "already confirmed"),
    row([registered], e("ItemRevised")),
    row([registered, e("ItemRevised")], e("ItemRevised")),
    row([registered, e("ItemRevised"), e("ItemRevised")], confirmed),
    row([registered, confirmed], e("ItemRevised")),
    row([registered, confirmed, e("ItemRevised")], confirmed),
    row([registered], e("ItemRetired")),
    row([registered, confirmed], e("ItemRetired")),
    row([registered, e("ItemRetired")], e("ItemRevised"), "nothing follows an item's retirement"),
    row([registered, e("ItemRetired")], confirmed, "nothing follows an item's retirement"),
    row([registered, e("ItemRetired")], e("ItemRetired"), "nothing follows an item's retirement"),
]

// MARK: Case

private let submitted = e("CaseSubmitted", ["itemCode": "X1", "departmentCode": "scjgj"])
private let accepted = [submitted, e("CaseAccepted")]
private let decided = accepted + [e("CaseDecided")]
private let concluded = decided + [e("CaseConcluded")]
private func started(_ kind: String = "hearing") -> CloudEvent { e("SpecialProcedureStarted", ["specialProcedureKind": .string(kind)]) }
private func ended(_ kind: String = "hearing") -> CloudEvent { e("SpecialProcedureEnded", ["specialProcedureKind": .string(kind)]) }
private func rated(_ code: Int64) -> CloudEvent { e("CaseRated", ["satisfactionCode": .integer(code)]) }

let caseRows: [LifecycleRow] = [
    // existing rules
    row([], submitted),
    row([], e("CaseAccepted"), "needs an existing stream"),
    row([submitted], submitted, "starts a stream"),
    row([submitted], e("CaseAccepted")),
    row(accepted, e("CaseAccepted"), "accepted only once"),
    row([submitted], e("CaseRefused")),
    row(accepted, e("CaseRefused"), "refused at intake only before acceptance"),
    row([submitted, e("CaseRefused")], e("CaseAccepted"), "nothing follows CaseRefused"),
    row(accepted, e("SupplementRequested")),
    row(accepted + [e("SupplementRequested")], e("SupplementRequested"), "not already waiting"),
    row(accepted, e("SupplementReceived"), "no supplement received without a request"),
    row(accepted + [e("SupplementRequested")], e("SupplementReceived")),
    row(accepted + [e("SupplementRequested")], e("StepCompleted"), "only while the case is being handled"),
    row(accepted + [e("SupplementRequested")], e("CaseDecided"), "decided once"),
    row(accepted + [e("SupplementRequested"), e("SupplementReceived")], e("CaseDecided")),
    row(accepted, e("CaseConcluded"), "no conclusion before a decision"),
    row(decided, e("CaseDecided"), "decided once"),
    row(decided, e("CaseConcluded")),
    // special procedures
    row(accepted, started()),
    row([submitted], started(), "starts only while the case is being handled"),
    row(accepted + [started()], started("expert-review"), "already running"),
    row(accepted, ended(), "no special procedure is running"),
    row(accepted + [started()], ended("inspection"), "the running special procedure is hearing, not inspection"),
    row(accepted + [started()], ended()),
    row(accepted + [started(), ended()], started("public-notice")),
    row(accepted + [started()], e("StepCompleted")),
    row(accepted + [started()], e("CaseDecided"), "not decided while a special procedure (hearing) is running"),
    row(accepted + [started()], e("SupplementRequested"), "no supplement request while a special procedure"),
    row(accepted + [started(), ended()], e("CaseDecided")),
    row(accepted + [e("SupplementRequested")], started(), "starts only while the case is being handled"),
    // reported upward
    row(accepted, e("CaseReportedUpward")),
    row([submitted], e("CaseReportedUpward"), "reported upward only while it is being handled"),
    row(accepted + [e("CaseReportedUpward")], e("CaseDecided"), "decided once"),
    row(accepted + [e("CaseReportedUpward")], e("CaseReportedUpward"), "reported upward only while it is being handled"),
    row(accepted, e("CaseReturnedFromUpward"), "returns from upward only after it was reported upward"),
    row(accepted + [e("CaseReportedUpward")], e("CaseReturnedFromUpward")),
    row(accepted + [e("CaseReportedUpward"), e("CaseReturnedFromUpward")], e("CaseDecided")),
    row(accepted + [started()], e("CaseReportedUpward"), "not reported upward while a special procedure"),
    // delivery
    row(concluded, e("CaseDelivered")),
    row(decided, e("CaseDelivered"), "delivered once, after it is concluded"),
    row(concluded + [e("CaseDelivered")], e("CaseDelivered"), "delivered once"),
    // withdrawal
    row([submitted], e("CaseWithdrawn")),
    row(accepted + [e("SupplementRequested")], e("CaseWithdrawn")),
    row(accepted + [started()], e("CaseWithdrawn")),
    row(decided, e("CaseWithdrawn")),
    row(concluded, e("CaseWithdrawn"), "withdrawn only before its conclusion"),
    row([submitted, e("CaseWithdrawn")], e("CaseAccepted"), "nothing follows CaseWithdrawn"),
    row([submitted, e("CaseWithdrawn")], e("CaseWithdrawn"), "nothing follows CaseWithdrawn"),
    // urging
    row([submitted], e("CaseUrged")),
    row(accepted + [e("CaseUrged")], e("CaseUrged")),
    row(decided, e("CaseUrged")),
    row(concluded, e("CaseUrged"), "only an open case is urged"),
    row([submitted, e("CaseRefused")], e("CaseUrged"), "nothing follows CaseRefused"),
    // rating and rectification
    row(concluded, rated(1)),
    row(concluded + [e("CaseDelivered")], rated(5)),
    row(decided, rated(2), "rated only after its conclusion"),
    row(accepted, rated(2), "rated only after its conclusion"),
    row(concluded + [rated(3)], rated(1), "rated once"),
    row(concluded + [rated(4)], e("BadRatingRectified")),
    row(concluded + [rated(5)], e("BadRatingRectified")),
    row(concluded + [rated(3)], e("BadRatingRectified"), "only a bad rating (satisfactionCode 4 or 5) is rectified; this case was rated 3"),
    row(concluded, e("BadRatingRectified"), "this case is not rated"),
    row(concluded + [rated(4), e("BadRatingRectified")], e("BadRatingRectified"), "rectified once"),
    row(concluded + [rated(4), e("CaseDelivered")], e("BadRatingRectified")),
]

// MARK: Document

private let reviewedOK = e("DocumentReviewed", ["conclusion": "publishable"])
private let reviewedNo = e("DocumentReviewed", ["conclusion": "not-publishable"])
private let published = e("DocumentPublished")

let documentRows: [LifecycleRow] = [
    row([], published),
    row([], reviewedOK),
    row([], e("DocumentReported"), "needs an existing stream"),
    row([reviewedOK], published),
    row([reviewedNo], published, "concluded not-publishable is not published"),
    row([reviewedNo, reviewedOK], published),
    row([published], published, "published once"),
    row([published], e("DocumentReported")),
    row([published, e("DocumentReported")], e("DocumentReported"), "reported once"),
    row([reviewedOK], e("DocumentReported"), "reported only after it is published"),
    row([published], e("DocumentRevised")),
    row([published, e("DocumentReported")], e("DocumentRevised")),
    row([published, e("DocumentReported"), e("DocumentRevised")], e("DocumentReported")),
    row([reviewedOK], e("DocumentRevised"), "only a published document is revised"),
    row([published, e("DocumentReported")], reviewedOK),
    row([published], e("DocumentWithdrawn")),
    row([reviewedOK], e("DocumentWithdrawn"), "only a published document is withdrawn"),
    row([published, e("DocumentWithdrawn")], e("DocumentRevised"), "nothing follows a document's withdrawal"),
    row([published, e("DocumentWithdrawn")], e("DocumentWithdrawn"), "nothing follows a document's withdrawal"),
    row([published, e("DocumentWithdrawn")], published, "nothing follows a document's withdrawal"),
]

// MARK: Disclosure request

private let received = e("DisclosureRequestReceived")
private let answered = e("DisclosureRequestAnswered")

let requestRows: [LifecycleRow] = [
    row([], received),
    row([], answered, "needs an existing stream"),
    row([received], received, "starts a stream"),
    row([received], answered),
    row([received, answered], answered, "answered once"),
    row([received], e("DisclosureSupplementRequested")),
    row([received, e("DisclosureSupplementRequested")], e("DisclosureSupplementRequested"), "at most once"),
    row([received, e("DisclosureSupplementRequested"), e("DisclosureSupplementReceived")], e("DisclosureSupplementRequested"), "at most once"),
    row([received], e("DisclosureSupplementReceived"), "no correction received without a request"),
    row([received, e("DisclosureSupplementRequested")], e("DisclosureSupplementReceived")),
    row([received, e("DisclosureSupplementRequested")], answered),
    row([received, answered], e("DisclosureSupplementRequested"), "only while the request is open"),
    row([received], e("ThirdPartyConsulted")),
    row([received, e("ThirdPartyConsulted")], e("ThirdPartyConsulted")),
    row([received, e("DisclosureSupplementRequested")], e("ThirdPartyConsulted"), "not waiting for a correction"),
    row([received, answered], e("ThirdPartyConsulted"), "only while the request is open"),
    row([received, e("DisclosureSupplementRequested"), e("DisclosureSupplementReceived"), e("ThirdPartyConsulted")], e("DisclosureRequestExtended")),
    row([received, e("DisclosureRequestExtended")], e("DisclosureRequestExtended"), "extended at most once"),
    row([received, answered], e("DisclosureRequestExtended"), "only while the request is open"),
    row([received, e("DisclosureRequestExtended"), e("ThirdPartyConsulted")], answered),
    // challenges
    row([received], e("ReconsiderationFiled"), "only after an answer"),
    row([received, answered], e("ReconsiderationFiled")),
    row([received, answered, e("ReconsiderationFiled")], e("ReconsiderationFiled"), "filed once"),
    row([received, answered], e("ReconsiderationDecided"), "without a reconsideration filed"),
    row([received, answered, e("ReconsiderationFiled")], e("ReconsiderationDecided")),
    row([received, answered, e("ReconsiderationFiled"), e("ReconsiderationDecided")], e("ReconsiderationDecided"), "decided once"),
    row([received], e("LitigationFiled"), "only after an answer"),
    row([received, answered], e("LitigationFiled")),
    row([received, answered, e("ReconsiderationFiled")], e("LitigationFiled"), "no lawsuit while a reconsideration is pending"),
    row([received, answered, e("ReconsiderationFiled"), e("ReconsiderationDecided")], e("LitigationFiled")),
    row([received, answered, e("LitigationFiled")], e("ReconsiderationFiled"), "no reconsideration after a lawsuit"),
    row([received, answered, e("LitigationFiled")], e("LitigationFiled"), "filed once"),
    row([received, answered], e("LitigationDecided"), "without a lawsuit filed"),
    row([received, answered, e("LitigationFiled")], e("LitigationDecided")),
    row([received, answered, e("LitigationFiled"), e("LitigationDecided")], e("LitigationDecided"), "decided once"),
]

// MARK: Letter, consultation, complaint

private let letter = e("LetterReceived")
private let letterAccepted = [letter, e("LetterAccepted")]
private func transferred(_ to: String = "zjj") -> CloudEvent { e("LetterTransferred", ["toDepartmentCode": .string(to)]) }

let letterRows: [LifecycleRow] = [
    row([], letter),
    row([], e("LetterAccepted"), "needs an existing stream"),
    row([letter], letter, "starts a stream"),
    row([letter], e("LetterAccepted")),
    row(letterAccepted, e("LetterAccepted"), "accepted once"),
    row([letter], transferred(), "transferred only after it is accepted"),
    row(letterAccepted, transferred()),
    row(letterAccepted + [transferred()], transferred("jtj"), "the letter is with zjj"),
    row(letterAccepted + [transferred(), e("LetterReturned")], transferred("jtj")),
    row(letterAccepted + [transferred()], e("LetterReturned")),
    row(letterAccepted, e("LetterReturned"), "it is not transferred"),
    row(letterAccepted + [transferred(), e("LetterReturned")], e("LetterReturned"), "it is not transferred"),
    row(letterAccepted, e("LetterEscalated")),
    row([letter], e("LetterEscalated"), "escalated only after it is accepted"),
    row(letterAccepted + [transferred()], e("LetterUrged")),
    row(letterAccepted + [e("LetterUrged")], e("LetterUrged")),
    row([letter], e("LetterUrged"), "urged only while it is being handled"),
    row(letterAccepted, e("LetterExtensionGranted")),
    row(letterAccepted + [e("LetterExtensionGranted")], e("LetterExtensionGranted"), "extended at most once"),
    row([letter], e("LetterReplied"), "replied to only after it is accepted"),
    row(letterAccepted + [transferred(), e("LetterExtensionGranted")], e("LetterReplied")),
    row(letterAccepted + [e("LetterReplied")], e("LetterReplied"), "nothing follows LetterReplied"),
    row(letterAccepted + [e("LetterReplied")], e("LetterUrged"), "nothing follows LetterReplied"),
]

let consultationAndComplaintRows: [LifecycleRow] = [
    row([], e("ConsultationReceived")),
    row([], e("ConsultationAnswered"), "needs an existing stream"),
    row([e("ConsultationReceived")], e("ConsultationAnswered")),
    row([e("ConsultationReceived"), e("ConsultationAnswered")], e("ConsultationAnswered"), "a consultation is answered once"),
    row([e("ConsultationReceived")], e("ConsultationReceived"), "starts a stream"),
    row([], e("ComplaintReceived")),
    row([e("ComplaintReceived")], e("ComplaintAnswered")),
    row([e("ComplaintReceived"), e("ComplaintAnswered")], e("ComplaintAnswered"), "a complaint is answered once"),
]

// MARK: Alert

let alertRows: [LifecycleRow] = [
    row([], e("DeadlineWarningRaised")),
    row([], e("DeadlineBreached")),
    row([], e("IrregularityFlagged")),
    row([], e("AlertResolved"), "needs an existing stream"),
    row([e("DeadlineBreached")], e("DeadlineBreached"), "starts a stream"),
    row([e("DeadlineWarningRaised")], e("AlertResolved")),
    row([e("IrregularityFlagged")], e("AlertResolved")),
    row([], e("RecordQuarantined")),
    row([e("RecordQuarantined")], e("AlertResolved")),
    row([e("RecordQuarantined")], e("RecordQuarantined"), "starts"),
    row([e("DeadlineBreached"), e("AlertResolved")], e("AlertResolved"), "resolved once"),
]

// MARK: Checkpoint

private func signed(_ size: Int64) -> CloudEvent { e("CheckpointSigned", ["treeSize": .integer(size)]) }

let checkpointRows: [LifecycleRow] = [
    row([], signed(1042)),
    row([signed(5), signed(9)], signed(12)),
    row([signed(5), signed(9)], signed(9), "must exceed the previous checkpoint's (9)"),
    row([e("DeadlineBreached")], signed(3), "does not apply to this kind of stream"),
]

@Suite("Lifecycle rules")
struct LifecycleTests {
    @Test("item: registered → revised* → confirmed; retired is final", arguments: itemRows)
    func item(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("case", arguments: caseRows)
    func caseStream(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("document: reviewed → published → reported / revised; withdrawn is final", arguments: documentRows)
    func document(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("disclosure request", arguments: requestRows)
    func request(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("letter", arguments: letterRows)
    func letter(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("consultation and complaint: received → answered once", arguments: consultationAndComplaintRows)
    func consultationAndComplaint(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("alert: raised → resolved once", arguments: alertRows)
    func alert(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("checkpoint: each CheckpointSigned stands alone", arguments: checkpointRows)
    func checkpoint(_ row: LifecycleRow) { checkLifecycle(row) }

    @Test("every event type is exercised by some table, accepted at least once")
    func coverage() {
        let all = itemRows + caseRows + documentRows + requestRows + letterRows + consultationAndComplaintRows + alertRows + checkpointRows
        let acceptedTypes = Set(all.filter { $0.rejectedBecause == nil }.map(\.when.type))
        for t in EventCatalog.all { #expect(acceptedTypes.contains(t.type), "\(t.name) is never accepted in the tables") }
    }

    @Test("an event on a stream of another kind does not apply")
    func otherKind() {
        let state = lifecycleState(after: [submitted])
        #expect(throws: EventRejection.self) { _ = try Lifecycle.decide(e("LetterAccepted"), given: state) }
        #expect(Lifecycle.evolve(state, e("LetterAccepted")) == state)
    }

    @Test("state changes: the case keeps its special procedure, rating and urges")
    func caseState() throws {
        let state = lifecycleState(after: accepted + [e("CaseUrged"), started("expert-review")])
        guard case .case(let s)? = state else { Issue.record("not a case state"); return }
        #expect(s.status == .accepted && s.specialProcedure == "expert-review" && s.urgeCount == 1 && s.itemCode == "X1")
        let rated = lifecycleState(after: concluded + [rated(5), e("BadRatingRectified")])
        guard case .case(let r)? = rated else { Issue.record("not a case state"); return }
        #expect(r.satisfactionCode == 5 && r.rectified && r.status == .concluded)
    }
}

@Suite("Lifecycle state storage")
struct LifecycleStateCodingTests {
    /// States as the first release stored them in `approval.stream_heads.state`.
    static let firstRelease: [(String, AggregateState)] = [
        (#"{"item":{"_0":{"status":"registered","departmentCode":"scjgj"}}}"#, .item(ItemState(status: .registered, departmentCode: "scjgj"))),
        (#"{"item":{"_0":{"status":"confirmed","departmentCode":"scjgj"}}}"#, .item(ItemState(status: .confirmed, departmentCode: "scjgj"))),
        (#"{"case":{"_0":{"status":"supplementing","itemCode":"X1","departmentCode":"d"}}}"#, .case(CaseState(status: .supplementing, itemCode: "X1", departmentCode: "d"))),
        (#"{"case":{"_0":{"status":"concluded","itemCode":"X1","departmentCode":"d"}}}"#, .case(CaseState(status: .concluded, itemCode: "X1", departmentCode: "d"))),
        (#"{"document":{"_0":{"status":"reported"}}}"#, .document(DocumentState(status: .reported))),
        (#"{"request":{"_0":{"status":"answered"}}}"#, .request(DisclosureRequestState(status: .answered))),
        (#"{"alert":{"_0":{"status":"raised"}}}"#, .alert(AlertState(status: .raised))),
    ]

    @Test("states stored by the first release decode, and re-encode to the same JSON")
    func firstReleaseShapes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (json, state) in Self.firstRelease {
            let decoded = try JSONDecoder().decode(AggregateState.self, from: Data(json.utf8))
            #expect(decoded == state, "\(json)")
            let reencoded = String(decoding: try encoder.encode(decoded), as: UTF8.self)
            let original = String(decoding: try encoder.encode(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))), as: UTF8.self)
            #expect(reencoded == original)
        }
    }

    @Test("new states round-trip")
    func roundTrip() throws {
        let states: [AggregateState] = [
            .case(CaseState(status: .reportedUpward, itemCode: "X", departmentCode: "d", specialProcedure: "hearing", satisfactionCode: 4, rectified: true, urgeCount: 2)),
            .request(DisclosureRequestState(status: .supplementing, supplementRequested: true, extended: true, thirdPartyConsultations: 2,
                                            reconsideration: .decided, litigation: .filed)),
            .document(DocumentState(status: .reviewed, reviewConclusion: "publishable", revisions: 1)),
            .letter(LetterState(status: .accepted, transferredTo: "zjj", extended: true, urgeCount: 1)),
            .consultation(InteractionState(status: .answered)), .complaint(InteractionState(status: .received)),
            .item(ItemState(status: .retired, departmentCode: "d")), .alert(AlertState(status: .resolved)),
        ]
        for s in states {
            #expect(try JSONDecoder().decode(AggregateState.self, from: JSONEncoder().encode(s)) == s)
        }
        let head = StreamHead(stream: "case/430424/1", sequence: 3, state: states[0])
        #expect(try JSONDecoder().decode(StreamHead.self, from: JSONEncoder().encode(head)) == head)
    }
}
