import ChanceryDomain
import Testing

/// The masking rules of public pages (``PersonalDataMask``), as tables: given a value, then its public form.
@Suite struct PersonalDataMaskTests {
    @Test(arguments: [
        ("张", "*"), ("张三", "张*"), ("张三丰", "张*"), ("欧阳娜娜", "欧*"), ("Smith", "S*"), (" 李四 ", "李*"), ("", ""),
    ])
    func names(value: String, masked: String) {
        #expect(PersonalDataMask.name(value) == masked)
        #expect(PersonalDataMask.mask(value, as: .name) == masked)
    }

    @Test(arguments: [
        ("430424199001011234", "430***********1234"),
        ("43042419900101123X", "430***********123X"),
        ("43042419900101123x", "430***********123x"),
        ("430424900101123", "430********1123"),
        ("1234567", "*******"),
    ])
    func identityNumbers(value: String, masked: String) {
        #expect(PersonalDataMask.idNumber(value) == masked)
        #expect(PersonalDataMask.mask(value, as: .idNumber) == masked)
    }

    @Test(arguments: [
        ("13812345678", "138****5678"), ("138-1234-5678", "138****5678"), ("0734-8221234", "073****1234"), ("+86 13812345678", "861******5678"),
    ])
    func phones(value: String, masked: String) {
        #expect(PersonalDataMask.phone(value) == masked)
    }

    @Test(arguments: [
        ("湖南省衡阳市珠晖区东风路12号", "湖南省衡阳市珠晖区"),
        ("湖南省衡阳市衡东县城关镇新塘路3栋", "湖南省衡阳市衡东县"),
        ("内蒙古自治区呼伦贝尔市", "内蒙古自治区"),
        ("湖南省耒阳市蔡子池街道", "湖南省耒阳市"),
        ("426 Brant Street, Burlington, ON", "*"),
    ])
    func addresses(value: String, masked: String) {
        #expect(PersonalDataMask.address(value) == masked)
    }

    @Test(arguments: [("zhang@example.cn", "z***@example.cn"), ("not-an-address", "*")])
    func emails(value: String, masked: String) {
        #expect(PersonalDataMask.email(value) == masked)
    }

    @Test(arguments: [
        ("请联系13812345678，谢谢", "请联系138****5678，谢谢"),
        ("身份证43042419900101123X办理", "身份证430***********123X办理"),
        ("身份证430424199001011234。", "身份证430***********1234。"),
        ("电话１３８１２３４５６７８", "电话138****5678"),
        ("衡东政发〔2025〕12号，2025年办理", "衡东政发〔2025〕12号，2025年办理"),
        ("编号12345678901234567890", "编号12345678901234567890"),
    ])
    func numbersInFreeText(value: String, masked: String) {
        #expect(PersonalDataMask.freeText(value) == masked)
    }

    @Test func organisationsAreShownInFullAndCitizensMasked() {
        #expect(PersonalDataMask.applicantName("衡东县华鑫建材有限公司", kind: "legal-person") == "衡东县华鑫建材有限公司")
        #expect(PersonalDataMask.applicantName("衡东县老年人协会", kind: "other") == "衡东县老年人协会")
        #expect(PersonalDataMask.applicantName("王小明", kind: "citizen") == "王*")
        #expect(PersonalDataMask.applicantName("王小明", kind: nil) == "王*")
    }

    @Test(arguments: [
        // kind, idType, idNumber → organisation?
        ("legal-person", nil, nil, true), ("citizen", nil, "914304242707595330", false), (nil, "credit-code", nil, true),
        (nil, "resident-id", "914304242707595330", false), (nil, nil, "914304242707595330", true), (nil, nil, "91430424170007350T", true),
        (nil, nil, "43042419500711770X", false), (nil, nil, "914304242707595331", false), (nil, nil, nil, false),
    ] as [(String?, String?, String?, Bool)])
    func organisationsByKindOrCreditCode(kind: String?, idType: String?, idNumber: String?, organisation: Bool) {
        #expect(PersonalDataMask.isOrganisation(kind: kind, idType: idType, idNumber: idNumber) == organisation)
        #expect(PersonalDataMask.applicantName("衡东县衡博物流有限责任公司", kind: kind, idType: idType, idNumber: idNumber)
                == (organisation ? "衡东县衡博物流有限责任公司" : "衡*"))
    }

    @Test(arguments: [
        ("applicantName", PersonalDataMask.FieldKind.name), ("handler", .name), ("requesterIdNumber", .idNumber),
        ("writerPhone", .phone), ("applicantAddress", .address), ("requesterEmail", .email), ("content", .freeText), ("comment", .freeText),
    ])
    func fieldKindsFromSchemaNames(field: String, kind: PersonalDataMask.FieldKind) {
        #expect(PersonalDataMask.FieldKind(field: field) == kind)
    }

    @Test func freeTextIsWithheld() {
        #expect(PersonalDataMask.mask("我家住在东风路12号", as: .freeText) == nil)
    }
}
