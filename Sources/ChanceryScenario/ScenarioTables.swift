/// Fixed tables of the reference scenario: departments, item names, Chinese names and phrases.
/// All names are generated or generic; none is taken from a real person.
enum ScenarioTables {
    /// A department (部门 / 审批单位): code (pinyin initials, as local systems use), name, and for approval units
    /// the items it owns: base item names with their item kind; variants (变更, 延续 …) fill the quota.
    struct Department: Sendable {
        var code: String
        var name: String
        /// Number of catalogued items.
        var items: Int
        /// Base item names with kind: L licensing, N non-licensing approval, P public service, O other power.
        var bases: [(String, Character)]
    }

    static let variants = ["", "（变更）", "（延续）", "（注销）", "（补证）"]

    // MARK: Zhuhui district 珠晖区 (430405)

    /// The 29 departments obliged to disclose (公开义务单位). The first 16 own the 66 catalogued items.
    static let zhuhuiDepartments: [Department] = [
        .init(code: "xzsp", name: "珠晖区行政审批服务局", items: 15, bases: [
            ("公共场所卫生许可", "L"), ("食品经营许可", "L"), ("建筑工程施工许可证核发", "L"), ("药品零售企业许可", "L"),
            ("排水许可证核发", "L"), ("建设工程初步设计审批", "N"),
        ]),
        .init(code: "scj", name: "珠晖区市场监督管理局", items: 7, bases: [
            ("食品生产许可", "L"), ("特种设备使用登记", "L"), ("食品小作坊登记", "L"),
        ]),
        .init(code: "zjj", name: "珠晖区住房和城乡建设局", items: 5, bases: [
            ("商品房预售许可", "L"), ("燃气经营许可", "L"), ("城市建设配套费减免审批", "N"),
        ]),
        .init(code: "wjj", name: "珠晖区卫生健康局", items: 5, bases: [
            ("医疗机构执业登记", "L"), ("医师执业注册", "L"), ("放射诊疗许可", "L"),
        ]),
        .init(code: "jyj", name: "珠晖区教育局", items: 4, bases: [
            ("民办学校设立审批", "L"), ("教师资格认定", "L"), ("校外培训机构办学许可", "L"),
        ]),
        .init(code: "mzj", name: "珠晖区民政局", items: 4, bases: [
            ("社会团体成立登记", "L"), ("民办非企业单位成立登记", "L"), ("地名命名更名审批", "N"),
        ]),
        .init(code: "rsj", name: "珠晖区人力资源和社会保障局", items: 4, bases: [
            ("劳务派遣经营许可", "L"), ("人力资源服务许可", "L"), ("企业实行不定时工作制和综合计算工时工作制审批", "N"),
        ]),
        .init(code: "nyj", name: "珠晖区农业农村局", items: 4, bases: [("农药经营许可", "L"), ("兽药经营许可证核发", "L")]),
        .init(code: "jtj", name: "珠晖区交通运输局", items: 3, bases: [("公路超限运输许可", "L"), ("涉路施工许可", "L")]),
        .init(code: "wlj", name: "珠晖区文化旅游广电体育局", items: 3, bases: [
            ("娱乐场所经营活动审批", "L"), ("互联网上网服务营业场所经营单位设立审批", "L"),
        ]),
        .init(code: "yjj", name: "珠晖区应急管理局", items: 3, bases: [("危险化学品经营许可", "L"), ("烟花爆竹经营（零售）许可", "L")]),
        .init(code: "cgj", name: "珠晖区城市管理和综合执法局", items: 3, bases: [("城市道路占用挖掘审批", "L"), ("设置大型户外广告审批", "L")]),
        .init(code: "slj", name: "珠晖区水利局", items: 2, bases: [("取水许可", "L"), ("河道管理范围内建设项目工程建设方案审批", "L")]),
        .init(code: "fgj", name: "珠晖区发展和改革局", items: 2, bases: [("企业投资项目核准", "N"), ("固定资产投资项目节能审查", "N")]),
        .init(code: "czj", name: "珠晖区财政局", items: 1, bases: [("政府采购进口产品审核", "N")]),
        .init(code: "sthj", name: "衡阳市生态环境局珠晖分局", items: 1, bases: [("建设项目环境影响评价文件审批", "L")]),
        .init(code: "zfb", name: "珠晖区人民政府办公室", items: 0, bases: []),
        .init(code: "kgj", name: "珠晖区科学技术和工业信息化局", items: 0, bases: []),
        .init(code: "gafj", name: "衡阳市公安局珠晖分局", items: 0, bases: []),
        .init(code: "sfj", name: "珠晖区司法局", items: 0, bases: []),
        .init(code: "zrzy", name: "衡阳市自然资源和规划局珠晖分局", items: 0, bases: []),
        .init(code: "swj", name: "珠晖区商务局", items: 0, bases: []),
        .init(code: "tyj", name: "珠晖区退役军人事务局", items: 0, bases: []),
        .init(code: "sjj", name: "珠晖区审计局", items: 0, bases: []),
        .init(code: "tjj", name: "珠晖区统计局", items: 0, bases: []),
        .init(code: "ybj", name: "珠晖区医疗保障局", items: 0, bases: []),
        .init(code: "xfj", name: "珠晖区信访局", items: 0, bases: []),
        .init(code: "mzzj", name: "珠晖区民族宗教事务局", items: 0, bases: []),
        .init(code: "jgsw", name: "珠晖区机关事务服务中心", items: 0, bases: []),
    ]

    // MARK: Hengdong county 衡东县 (430424)

    /// The 40 approval units (审批单位) and their 313 items.
    static let hengdongDepartments: [Department] = [
        .init(code: "xzsp", name: "衡东县行政审批服务局", items: 40, bases: [
            ("公共场所卫生许可", "L"), ("食品经营许可", "L"), ("建设工程规划许可证核发", "L"), ("建筑工程施工许可证核发", "L"),
            ("道路货物运输经营许可", "L"), ("药品零售企业许可", "L"), ("排水许可证核发", "L"), ("城市建筑垃圾处置核准", "L"),
        ]),
        .init(code: "scjg", name: "衡东县市场监督管理局", items: 24, bases: [
            ("食品生产许可", "L"), ("特种设备使用登记", "L"), ("计量器具型式批准", "L"), ("工业产品生产许可", "L"),
            ("检验检测机构资质认定", "L"),
        ]),
        .init(code: "zjj", name: "衡东县住房和城乡建设局", items: 18, bases: [
            ("商品房预售许可", "L"), ("燃气经营许可", "L"), ("建筑业企业资质核准", "L"), ("房地产开发企业资质核定", "L"),
        ]),
        .init(code: "zrzy", name: "衡东县自然资源局", items: 14, bases: [
            ("建设项目用地预审与选址意见书核发", "L"), ("乡村建设规划许可证核发", "L"), ("采矿权新立登记", "L"),
            ("建设用地改变用途审核", "N"),
        ]),
        .init(code: "jtys", name: "衡东县交通运输局", items: 13, bases: [
            ("公路超限运输许可", "L"), ("涉路施工许可", "L"), ("出租汽车经营许可", "L"), ("港口经营许可", "L"),
        ]),
        .init(code: "wjj", name: "衡东县卫生健康局", items: 12, bases: [
            ("医疗机构执业登记", "L"), ("医师执业注册", "L"), ("母婴保健技术服务执业许可", "L"), ("放射诊疗许可", "L"),
        ]),
        .init(code: "jyj", name: "衡东县教育局", items: 9, bases: [
            ("民办学校设立审批", "L"), ("教师资格认定", "L"), ("校外培训机构办学许可", "L"),
        ]),
        .init(code: "nyncj", name: "衡东县农业农村局", items: 14, bases: [
            ("农药经营许可", "L"), ("兽药经营许可证核发", "L"), ("动物防疫条件合格证核发", "L"), ("种子生产经营许可证核发", "L"),
        ]),
        .init(code: "slj", name: "衡东县水利局", items: 10, bases: [
            ("取水许可", "L"), ("河道管理范围内建设项目工程建设方案审批", "L"), ("生产建设项目水土保持方案审批", "L"),
        ]),
        .init(code: "lyj", name: "衡东县林业局", items: 9, bases: [
            ("林木采伐许可证核发", "L"), ("使用林地审核", "L"), ("林草种子生产经营许可证核发", "L"),
        ]),
        .init(code: "rsj", name: "衡东县人力资源和社会保障局", items: 10, bases: [
            ("劳务派遣经营许可", "L"), ("人力资源服务许可", "L"), ("企业实行不定时工作制和综合计算工时工作制审批", "N"),
        ]),
        .init(code: "mzj", name: "衡东县民政局", items: 8, bases: [
            ("社会团体成立登记", "L"), ("民办非企业单位成立登记", "L"), ("养老机构备案", "O"),
        ]),
        .init(code: "gaj", name: "衡东县公安局", items: 16, bases: [
            ("户口迁移审批", "L"), ("典当业特种行业许可证核发", "L"), ("旅馆业特种行业许可证核发", "L"),
            ("剧毒化学品购买许可", "L"), ("烟花爆竹道路运输许可", "L"),
        ]),
        .init(code: "sthj", name: "衡阳市生态环境局衡东分局", items: 8, bases: [
            ("建设项目环境影响评价文件审批", "L"), ("排污许可", "L"), ("危险废物经营许可", "L"),
        ]),
        .init(code: "swj", name: "衡东县商务局", items: 5, bases: [("成品油零售经营资格审批", "L"), ("再生资源回收经营者备案", "O")]),
        .init(code: "wlgt", name: "衡东县文化旅游广电体育局", items: 9, bases: [
            ("娱乐场所经营活动审批", "L"), ("互联网上网服务营业场所经营单位设立审批", "L"), ("高危险性体育项目经营许可", "L"),
        ]),
        .init(code: "yjj", name: "衡东县应急管理局", items: 8, bases: [
            ("危险化学品经营许可", "L"), ("烟花爆竹经营（零售）许可", "L"), ("非煤矿山安全生产许可", "L"),
        ]),
        .init(code: "cgj", name: "衡东县城市管理和综合执法局", items: 7, bases: [
            ("城市道路占用挖掘审批", "L"), ("临时占用城市绿地审批", "L"), ("设置大型户外广告审批", "L"),
        ]),
        .init(code: "fgj", name: "衡东县发展和改革局", items: 6, bases: [("企业投资项目核准", "N"), ("固定资产投资项目节能审查", "N")]),
        .init(code: "gxj", name: "衡东县科学技术和工业信息化局", items: 6, bases: [("无线电台（站）设置审批", "L"), ("企业技术改造项目备案", "O")]),
        .init(code: "czj", name: "衡东县财政局", items: 4, bases: [("代理记账机构设立审批", "L"), ("政府采购进口产品审核", "N")]),
        .init(code: "sfj", name: "衡东县司法局", items: 5, bases: [("基层法律服务工作者执业核准", "L"), ("公证员执业审核", "L")]),
        .init(code: "tyjr", name: "衡东县退役军人事务局", items: 3, bases: [("退役士兵自主就业一次性经济补助金给付", "P")]),
        .init(code: "ybj", name: "衡东县医疗保障局", items: 4, bases: [("定点医药机构确定", "O"), ("异地就医备案", "P")]),
        .init(code: "qxj", name: "衡东县气象局", items: 3, bases: [
            ("升放无人驾驶自由气球或者系留气球活动审批", "L"), ("雷电防护装置设计审核和竣工验收", "L"),
        ]),
        .init(code: "xfjy", name: "衡东县消防救援大队", items: 4, bases: [
            ("公众聚集场所投入使用、营业前消防安全检查", "L"), ("建设工程消防设计审查", "L"),
        ]),
        .init(code: "swju", name: "国家税务总局衡东县税务局", items: 6, bases: [
            ("增值税专用发票最高开票限额审批", "L"), ("对纳税人延期缴纳税款的核准", "L"), ("对纳税人变更纳税定额的核准", "L"),
        ]),
        .init(code: "ycj", name: "衡东县烟草专卖局", items: 3, bases: [("烟草专卖零售许可证核发", "L")]),
        .init(code: "rfb", name: "衡东县人民防空办公室", items: 3, bases: [("人民防空工程建设审批", "L"), ("拆除人民防空工程审批", "L")]),
        .init(code: "dag", name: "衡东县档案馆", items: 2, bases: [("档案查阅利用", "P")]),
        .init(code: "mzzj", name: "衡东县民族宗教事务局", items: 3, bases: [("宗教活动场所筹备设立审批", "L"), ("宗教临时活动地点审批", "L")]),
        .init(code: "clj", name: "衡东县残疾人联合会", items: 2, bases: [("残疾人证核发", "P")]),
        .init(code: "lscb", name: "衡东县粮食和物资储备中心", items: 3, bases: [("粮食收购资格认定", "O")]),
        .init(code: "bdc", name: "衡东县不动产登记中心", items: 5, bases: [
            ("国有建设用地使用权及房屋所有权首次登记", "O"), ("不动产抵押权登记", "O"),
        ]),
        .init(code: "gjj", name: "衡阳市住房公积金管理中心衡东办事处", items: 3, bases: [("住房公积金提取", "P"), ("住房公积金贷款", "P")]),
        .init(code: "ymj", name: "衡东县移民事务中心", items: 2, bases: [("大中型水库移民后期扶持人口核定", "P")]),
        .init(code: "xmsc", name: "衡东县畜牧水产事务中心", items: 4, bases: [("水域滩涂养殖证核发", "L"), ("渔业捕捞许可", "L")]),
        .init(code: "gljy", name: "衡东县公路建设养护中心", items: 3, bases: [("非公路标志设置审批", "L"), ("公路用地范围内设置非公路标志许可", "L")]),
        .init(code: "dzj", name: "衡东县地震局", items: 3, bases: [("建设工程地震安全性评价结果审定", "N")]),
        .init(code: "ggzy", name: "衡东县公共资源交易中心", items: 2, bases: [("政府采购项目进场交易登记", "P")]),
    ]

    static func kindCode(_ c: Character) -> String {
        switch c {
        case "L": "licensing"
        case "N": "non-licensing-approval"
        case "P": "public-service"
        default: "other-power"
        }
    }

    static func kindPrefix(_ c: Character) -> String {
        switch c {
        case "L": "XK"
        case "N": "SP"
        case "P": "GG"
        default: "QT"
        }
    }

    // MARK: Names

    /// Common surnames, most frequent first (weights roughly follow the national frequency, Hunan-leaning).
    static let surnames: [String] = Array(
        "刘李王陈张周罗谭彭唐黄曾邓杨胡肖谢欧阳赵吴廖蒋许贺龙段文易颜朱何宋雷蔡尹邹郭毛袁夏左向汤石旷阳康戴丁田梁"
    ).map(String.init).filter { $0 != "欧" && $0 != "阳" } + ["欧阳", "阳"]

    static let givenChars: [String] = Array(
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌辉鹏飞慧颖婷雪琳晨宇浩然子轩梓涵欣怡思雨佳俊泽宏波海峰亮春梅"
    ).map(String.init)

    static let companyWords: [String] = Array("鑫华盛宏兴隆达顺恒泰福源康佳瑞丰湘衡岳诚信和润新旺德博远通").map(String.init)
    static let industries = ["商贸", "建材", "农业开发", "餐饮管理", "物流", "建筑工程", "电子科技", "食品", "医药连锁", "文化传媒", "养殖", "汽车服务"]
    static let companyForms = ["有限公司", "有限责任公司", "专业合作社"]

    static let supplementMaterials = [
        "营业执照副本复印件", "法定代表人身份证明", "经营场所平面布局图", "授权委托书原件", "场地使用证明（租赁合同）",
        "从业人员健康证明", "设计图纸（加盖出图章）", "专家评审意见", "消防验收意见书", "环境影响登记表",
    ]

    static let refusalReasons = [
        "申请事项不属于本机关职权范围，已告知向有关行政机关申请",
        "申请事项依法不需要取得行政许可",
        "申请人不具备申请资格",
        "申请材料存在虚假内容",
        "申请人逾期未补正申请材料，视为放弃申请",
    ]

    static let approvalOpinions = ["材料齐全，符合法定形式，同意受理并转审核", "经审查符合条件，同意", "同意办理", "符合法定条件，拟予批准"]
    static let disapprovalReasons = [
        "经现场核查，经营场所不符合卫生要求，依法作出不予许可决定",
        "经审查不符合法定条件，依法作出不予许可决定",
        "申请项目不符合国土空间规划，不予批准",
    ]
}
