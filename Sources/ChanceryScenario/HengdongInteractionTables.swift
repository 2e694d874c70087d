/// Fixed phrases of Hengdong's letters, consultations and complaints. `※` in a letter stands for a township.
extension HengdongInteractionGenerator {
    /// A mailbox letter's topic: kind (`letterKind`), the responsible unit's code, title, content and reply.
    struct LetterTopic {
        var kind: String
        var department: String
        var title: String
        var content: String
        var reply: String
    }

    /// Townships of Hengdong county (乡镇).
    static let towns = ["城关镇", "新塘镇", "大浦镇", "吴集镇", "甘溪镇", "杨林镇", "石湾镇", "荣桓镇", "高湖镇", "霞流镇", "草市镇", "杨桥镇", "白莲镇", "洣水镇", "南湾乡"]

    static let letterTopics: [LetterTopic] = [
        .init(kind: "complaint", department: "cgj", title: "反映※某小区附近夜间施工噪音扰民",
              content: "※某小区旁工地连续多日夜间施工至凌晨，噪音严重影响居民休息，恳请有关部门查处。",
              reply: "经县城管执法局现场核查，该工地未办理夜间施工许可，已责令停止夜间施工并依法立案处理，后续将加强巡查。"),
        .init(kind: "consultation", department: "jyj", title: "咨询※子女就近入学政策",
              content: "本人在※购房但户籍在外地，想咨询孩子秋季能否在※就近入学，需要准备哪些材料。",
              reply: "根据县教育局2025年义务教育招生方案，持房产证明和居住证的随迁子女可按片区申请入学，具体材料详见招生公告。"),
        .init(kind: "suggestion", department: "gaj", title: "建议在※中心路口增设交通信号灯",
              content: "※中心路口车流量大，早晚高峰经常拥堵，且多次发生剐蹭事故，建议增设信号灯和斑马线。",
              reply: "县公安局交警大队已会同交通运输部门现场勘查，计划年内在该路口增设信号灯并施划人行横道线。"),
        .init(kind: "complaint", department: "zjj", title: "反映※农村危房改造补助资金未到位",
              content: "本人家住※，去年列入农村危房改造对象，房屋已改造完成，但补助资金至今未发放。",
              reply: "经县住建局核实，该户已通过竣工验收，补助资金已于近期通过“一卡通”发放到位，请注意查收。"),
        .init(kind: "consultation", department: "rsj", title: "咨询城乡居民养老保险补缴事宜",
              content: "本人户籍在※，今年满60周岁，之前缴费年限不足15年，想咨询能否一次性补缴。",
              reply: "根据现行政策，距领取年龄缴费年限不足的可按规定补缴，请携带身份证到县人社局社保窗口或※人社服务站办理。"),
        .init(kind: "complaint", department: "bdc", title: "反映※某小区业主不动产权证迟迟未办理",
              content: "※某小区交房已三年，开发商一直未给业主办理不动产权证，多次协商无果。",
              reply: "县不动产登记中心已约谈开发企业，督促其补齐首次登记材料，目前首批业主转移登记已受理，将分批办结。"),
        .init(kind: "report", department: "slj", title: "举报※河段夜间非法采砂",
              content: "※附近河段近期有船只夜间非法采砂，破坏河床和堤岸，请有关部门尽快查处。",
              reply: "县水利局会同公安、乡镇开展联合执法，查扣非法采砂船只两艘，已依法立案查处，并将加强夜间巡查。"),
        .init(kind: "complaint", department: "jtys", title: "反映※通村公路路面破损严重",
              content: "※通往村里的公路多处坑洼破损，雨天积水，群众出行和农产品运输很不方便。",
              reply: "县交通运输局已将该路段纳入今年农村公路养护计划，破损路面修补工程已于近期完工。"),
        .init(kind: "consultation", department: "ybj", title: "咨询异地就医备案及报销问题",
              content: "本人参加※城乡居民医保，需要到长沙住院治疗，想咨询如何办理异地就医备案和报销。",
              reply: "可通过“湘医保”小程序或国家医保服务平台办理异地就医备案，备案后在长沙定点医院住院可直接结算。"),
        .init(kind: "consultation", department: "scjg", title: "咨询个体工商户营业执照办理流程",
              content: "本人准备在※开一家小餐馆，想咨询营业执照和食品经营许可证如何办理。",
              reply: "营业执照和食品经营许可可在湖南省政务服务网“一件事一次办”专区一并申报，也可到县政务服务中心综合窗口办理。"),
        .init(kind: "complaint", department: "sthj", title: "反映※某养殖场粪污直排污染水塘",
              content: "※某生猪养殖场将粪污直接排入附近水塘，臭味严重，影响周边村民生活和农田灌溉。",
              reply: "衡阳市生态环境局衡东分局已现场检查，责令该养殖场限期整改粪污处理设施，并依法处以罚款。"),
        .init(kind: "report", department: "lyj", title: "举报※山林被非法占用修建道路",
              content: "※村集体山林被人私自开挖修路，未见任何审批手续，砍伐了不少林木。",
              reply: "县林业局调查核实后，已对违法占用林地行为立案查处，责令恢复植被，并追究相关人员责任。"),
    ]

    /// Consultation questions about an item: text before and after the item's name.
    static let questions: [(String, String)] = [
        ("请问办理", "需要准备哪些申请材料？"), ("请问", "的承诺办结时限是多少个工作日？"), ("请问", "可以全程网上办理吗？"),
        ("已申报", "，请问如何查询办理进度？"), ("请问", "是否收费？收费标准是什么？"),
    ]

    /// A complaint about a case and the answers when it is found substantiated or not.
    static let complaintTopics: [(content: String, substantiated: String, unsubstantiated: String)] = [
        ("窗口工作人员态度生硬，解释不清楚", "经调查投诉属实，已对窗口工作人员进行批评教育，并向投诉人致歉", "经调阅窗口监控和录音，工作人员按规范解释了办理要求，已向投诉人说明情况"),
        ("多次被要求补交材料，跑了好几趟", "经调查投诉属实，已实行一次性告知制度，并对相关责任人进行约谈", "经核实，补正材料为法定必需材料且已一次性告知，已向投诉人作出解释"),
        ("网上申报后长时间无人受理", "经调查投诉属实，系网上受理岗人员调整所致，已落实专人每日受理", "经核实，申报材料提交于节假日期间，已在上班首日受理，已向投诉人解释"),
        ("办理进度查询不到，电话无人接听", "经调查投诉属实，已公布值班电话并落实专人接听", "经核实，办理进度可在政务服务网实时查询，已指导投诉人查询"),
    ]
}
