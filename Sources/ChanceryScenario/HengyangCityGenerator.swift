import ChanceryDomain

/// Hengyang city (衡阳市, 430400) itself: one disclosure request to a city department that is challenged by
/// administrative reconsideration (行政复议) and then by an administrative lawsuit (行政诉讼).
///
/// The challenges are placed here on purpose: SCENARIO.md fixes Zhuhui's one request (answered by disclosure, no
/// reconsideration, lawsuit or complaint) and says Hengdong had no reconsiderations or lawsuits, so neither district
/// may have one; a request to the city's own department exercises ReconsiderationFiled/Decided and
/// LitigationFiled/Decided without touching either district's figures.
struct HengyangCityGenerator {
    let seed: UInt64
    var region = ReferenceScenario.cityRegion
    /// The request's number (`request/<region>/<number>`).
    var number = "2025-001"
    /// The city's natural resources and planning bureau (衡阳市自然资源和规划局).
    static let department = "zrzyj"

    func generate(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "hengyang.request")
        let dated: [(CivilDate, String, JSONValue)] = [
            (.ymd(2025, 3, 10), "gov.disclosure.request.received", [
                "requesterName": .string(ScenarioText.personName(&rng)), "requesterKind": "citizen",
                "departmentCode": .string(Self.department), "channel": "online",
                "description": "申请公开衡阳市中心城区某地块控制性详细规划调整过程中的专家论证会议记录及内部审查意见",
            ]),
            (.ymd(2025, 4, 2), "gov.disclosure.request.answered", [
                "outcome": "withheld", "reasonCode": "process-information",
                "reason": "所申请的会议记录和内部审查意见属于行政机关在履行职责过程中形成的过程性信息，依据《政府信息公开条例》第十六条第二款不予公开",
                "note": "调整后的控制性详细规划已依法公告，可在市自然资源和规划局网站查阅",
            ]),
            (.ymd(2025, 4, 21), "gov.disclosure.request.reconsideration.filed", [
                "filedWith": "衡阳市人民政府", "docketNumber": "衡政复〔2025〕58号",
            ]),
            (.ymd(2025, 6, 16), "gov.disclosure.request.reconsideration.decided", [
                "outcome": "upheld", "docketNumber": "衡政复决字〔2025〕58号",
            ]),
            (.ymd(2025, 6, 27), "gov.disclosure.request.litigation.filed", [
                "court": "湖南省衡阳市中级人民法院", "docketNumber": "（2025）湘04行初35号",
            ]),
            (.ymd(2025, 10, 20), "gov.disclosure.request.litigation.decided", [
                "outcome": "upheld", "docketNumber": "（2025）湘04行初35号",
            ]),
        ]
        let times = ScenarioText.times(for: dated.map(\.0), &rng)
        sink.append(subject: "request/\(region)/\(number)", source: "/\(region)/departments/\(Self.department)", region: region,
                    events: zip(times, dated).map { ($0, $1.1, $1.2) })
    }
}
