/// The regulation that governs a disclosure request (依申请公开): 《中华人民共和国政府信息公开条例》
/// as issued by State Council order 492 (2007, in force 2008-05-01) or as revised by order
/// 711 (2019, in force 2019-05-15, 第五十六条). A request keeps the regime in force on the
/// day it was received (GLOSSARY.md "Deadlines that the law fixes").
///
/// | | order 492 | order 711 |
/// | --- | --- | --- |
/// | reply limit | 15 working days (第二十四条第二款) | 20 working days (第三十三条第二款) |
/// | one extension, at most | 15 working days (第二十四条第二款) | 20 working days (第三十三条第二款) |
/// | supplement request | no time limit in the text (第二十一条第四项) | within 7 working days of receipt, once (第三十条) |
/// | third party's time to reply | no time limit in the text (第二十三条) | 15 working days (第三十二条) |
/// | time consulting a third party | not counted (第二十四条第三款) | not counted (第三十三条第三款) |
public enum DisclosureRegime: String, Sendable, Hashable, Codable, CaseIterable {
    /// 国务院令第492号 (2008 regulation): received before 2019-05-15.
    case order492 = "order-492"
    /// 国务院令第711号 (2019 regulation): received on or after 2019-05-15.
    case order711 = "order-711"

    /// The day order 711 came into force (第五十六条: 本条例自2019年5月15日起施行).
    public static let order711InForceFrom = CivilDate(year: 2019, month: 5, day: 15)

    /// The regime for a request received on `receivedOn` (the receipt date as 第三十一条 fixes
    /// it, in the region's time zone): order 711 from 2019-05-15, order 492 before.
    public static func forRequest(receivedOn: CivilDate) -> DisclosureRegime {
        receivedOn < order711InForceFrom ? .order492 : .order711
    }

    /// The reply limit (答复期限) in working days: 15 (order 492) or 20 (order 711).
    public var replyLimit: WorkingDays {
        switch self {
        case .order492: WorkingDays(15)
        case .order711: WorkingDays(20)
        }
    }

    /// The longest single extension (延长答复期限) in working days: 15 (order 492) or 20 (order 711).
    public var maximumExtension: WorkingDays {
        switch self {
        case .order492: WorkingDays(15)
        case .order711: WorkingDays(20)
        }
    }

    /// The window for the one supplement request (一次性告知补正), counted from receipt: 7
    /// working days under order 711 (第三十条); `nil` under order 492, whose text sets none.
    public var supplementRequestWindow: WorkingDays? {
        self == .order711 ? WorkingDays(7) : nil
    }

    /// The third party's time to give its opinion (第三方提出意见期限): 15 working days from
    /// receiving the consultation under order 711 (第三十二条); `nil` under order 492.
    public var thirdPartyReplyLimit: WorkingDays? {
        self == .order711 ? WorkingDays(15) : nil
    }
}
