#include "services/catalog/demo/request_demo_data.h"

#include "absl/strings/str_cat.h"

namespace gongkai::catalog::demo {
namespace {

// The published demo document (demo_data.cc) two requests are answered with: asked for
// twice, it is "most requested" information of the education bureau (CAT-7).
constexpr char kEnrolmentNotice[] = "南宁市教育局关于做好2026年义务教育招生入学工作的通知";
constexpr char kEnrolmentSubject[] = "2026年南宁市义务教育招生入学政策及学校服务区划分";

const DisclosureRequestSpec kRequests[] = {
    // ---- Open: just received ------------------------------------------------------------
    {
        .key = "hurd-elevator-subsidy",
        .unit = "NN-HURD",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_NATURAL_PERSON, "陆建华", "450103196803152417",
                      "手机 13907710358；南宁市青秀区凤岭北路6号凤岭小区3栋"},
        .subject = "凤岭小区既有住宅加装电梯财政补贴审批及拨付情况",
        .description =
            "本人系青秀区凤岭北路6号凤岭小区3栋业主。该栋楼于2026年4月完成加装电梯，据了解可申"
            "请市级财政补贴。现申请公开：\n1. 该项目加装电梯财政补贴的审批意见；\n2. 补贴资金的"
            "核定金额、拨付时间及收款账户名称。",
    },
    {
        .key = "nr-futang-requisition",
        .unit = "NN-NR",
        .filer = Filer::kStaffRegisteredMail,
        .mail_days_before_filing = 3,
        .applicant = {v1::APPLICANT_OTHER_ORGANIZATION, "南宁市武鸣区双桥镇伏唐村民委员会",
                      "N2450122MF0361258X",
                      "南宁市武鸣区双桥镇伏唐村民委员会，联系人：韦秀兰，电话 0771-6201358"},
        .subject = "双桥镇伏唐村2026年第一批次城镇建设用地征收批复文件及勘测定界图",
        .description =
            "我村部分集体土地被列入武鸣区双桥镇2026年第一批次城镇建设用地征收范围。为向村民说"
            "明情况，现申请公开：\n1. 自治区人民政府关于该批次建设用地的征收批复文件；\n2. 涉及"
            "伏唐村地块的勘测定界图及界址点坐标。\n请以纸质形式邮寄至本村委会。",
    },
    // ---- Open: correction notice issued, not yet corrected (NAT-6) ------------------------
    {
        .key = "ee-factory-unclear",
        .unit = "NN-EE",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_NATURAL_PERSON, "梁志强", "450105197911083016",
                      "电子邮箱 liangzq1979@163.com"},
        .subject = "江南区沙井街道某工厂排污情况",
        .description = "我家附近有一家工厂经常在夜间排放刺鼻气体，请公开这家工厂的排污情况。",
        .correction_notice =
            "您的申请对所需政府信息的描述不明确，请于收到本告知之日起15个工作日内一次性补正以下"
            "内容：\n1. 所指企业的名称或详细地址；\n2. 所需政府信息的具体内容（如建设项目环境影"
            "响评价批复、排污许可证、执法监测报告等）；\n3. 所需信息的形成时间段。\n无正当理由"
            "逾期不补正的，视为放弃申请，本机关不再处理。",
    },
    // ---- Open: corrected, the reply period restarted (NAT-6) ----------------------------
    {
        .key = "hrss-training-subsidy",
        .unit = "NN-HRSS",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_BUSINESS, "广西八桂英才人力资源服务有限公司",
                      "91450100MA5KXY2Q3C",
                      "联系人：罗女士，电话 0771-5582306，电子邮箱 hr@bgyc-hr.com"},
        .subject = "2026年南宁市职业技能培训补贴发放情况",
        .description = "请提供贵局关于就业补贴的全部文件。",
        .correction_notice =
            "您申请的“就业补贴的全部文件”范围不明确，请补正：\n1. 具体补贴项目（如职业技能培训"
            "补贴、一次性创业补贴、社会保险补贴等）；\n2. 所需信息的具体内容和时间范围。",
        .corrected_description =
            "申请公开2026年1月至10月南宁市职业技能培训补贴发放情况，包括各定点培训机构名称、培训"
            "工种、补贴人次及补贴金额。",
    },
    // ---- Open: assigned to the unit that holds the information -----------------------
    {
        .key = "gov-metro-line6",
        .unit = "NN-GOV-OFFICE",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_RESEARCH_INSTITUTION, "广西社会科学院城市发展研究所",
                      "12450000498500123K", "联系人：周研究员，电话 0771-5869211"},
        .subject = "南宁市轨道交通6号线一期工程项目建议书批复及前期工作进展",
        .description =
            "为开展南宁都市圈轨道交通规划研究，申请公开：\n1. 南宁市轨道交通6号线一期工程项目建"
            "议书的批复文件；\n2. 该工程可行性研究、用地预审等前期工作的进展情况。",
        .assign_to = "NN-DRC",
        .assign_note = "经查，相关信息由市发展改革委制作并保存，转由其办理并答复申请人。",
    },
    // ---- Open: third-party consultation running (Art. 32) ------------------------------
    {
        .key = "ee-chemical-case",
        .unit = "NN-EE",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_LEGAL_SERVICE, "广西邕江律师事务所", "31450000MD0123456A",
                      "承办律师：黄律师，电话 0771-2856630，南宁市良庆区五象大道401号"},
        .subject = "南宁市生态环境局关于某化工企业环境违法案件调查处理情况的报告",
        .description =
            "本所受江南区某村村民委托，就化工企业污染损害赔偿事宜提供法律服务。现申请公开贵局关"
            "于该化工企业环境违法案件调查处理情况的报告，包括调查认定的违法事实、监测数据及处理"
            "结果。",
        .assign_to = "NN-EE",
        .assign_note = "由本局生态环境保护综合行政执法支队承办。",
        .third_party = "南宁市某化工有限公司",
    },
    // ---- Open: reply period extended (NAT-7) --------------------------------------------
    {
        .key = "nr-land-supply",
        .unit = "NN-NR",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_RESEARCH_INSTITUTION,
                      "南宁师范大学北部湾环境演变与资源利用教育部重点实验室", "12450000498009876M",
                      "联系人：农老师，电子邮箱 landuse-lab@nnnu.edu.cn"},
        .subject = "2016—2025年南宁市市本级国有建设用地供应结果",
        .description =
            "为开展城市土地利用效率研究，申请公开2016年至2025年南宁市市本级国有建设用地供应结"
            "果，包括每宗地的位置、面积、用途、供地方式、成交价款和受让单位。",
        .assign_to = "NN-NR",
        .assign_note = "交由本局土地利用科会同市不动产登记中心办理。",
        .extension_working_days = 15,
        .extension_approver = "覃志明（南宁市自然资源局政务公开办公室主任）",
        .extension_reason =
            "申请内容涉及2016年至2025年间逾千宗国有建设用地供应数据，需从多个业务系统调取并逐宗"
            "核对，在规定期限内难以答复。",
    },
    // ---- Answered: already public (counted as 予以公开), asked twice (CAT-7) ----------
    {
        .key = "edu-enrolment-online",
        .unit = "NN-EDU",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_NATURAL_PERSON, "莫丽娟", "450102198504201527",
                      "手机 13878812046"},
        .subject = kEnrolmentSubject,
        .description =
            "孩子明年上小学，想了解2026年南宁市义务教育招生入学的具体政策，以及兴宁区各公办小学"
            "的服务区划分范围。",
        .answer = {.outcome = v1::OUTCOME_ALREADY_PUBLIC,
                   .reason = "您申请的信息已主动公开，可在南宁市人民政府门户网站“政府信息公开—重"
                             "点领域信息公开—教育”栏目查阅《南宁市教育局关于做好2026年义务教育招"
                             "生入学工作的通知》（南教发〔2026〕12号），各学校服务区范围见该通知"
                             "附件。",
                   .already_public_title = kEnrolmentNotice},
    },
    {
        .key = "edu-enrolment-counter",
        .unit = "NN-EDU",
        .filer = Filer::kStaffInPerson,
        .applicant = {v1::APPLICANT_NATURAL_PERSON, "覃国强", "450103198108141732",
                      "手机 15977106629；南宁市兴宁区民主路12号"},
        .subject = kEnrolmentSubject,
        .description =
            "在市民中心政务公开窗口当面申请：了解随迁子女在南宁市接受义务教育的入学条件和需提交"
            "的材料。",
        .answer = {.outcome = v1::OUTCOME_ALREADY_PUBLIC,
                   .reason = "已当场告知：该信息已主动公开，见《南宁市教育局关于做好2026年义务教"
                             "育招生入学工作的通知》（南教发〔2026〕12号）“随迁子女入学”部分，并当"
                             "场提供打印件。",
                   .already_public_title = kEnrolmentNotice,
                   .on_the_spot = true},
    },
    // ---- Answered: disclosed ------------------------------------------------------------
    {
        .key = "amr-inspection-report",
        .unit = "NN-AMR",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_BUSINESS, "南宁市邕江食品有限公司", "91450103MA5P7R2W6E",
                      "联系人：苏先生，电话 0771-3219086"},
        .subject = "2026年第一批产品质量监督抽查中本公司产品的检验报告",
        .description =
            "本公司生产的“邕江”牌干米粉被列入2026年第一批产品质量监督抽查，抽查结果为合格。因参"
            "加招投标活动需要，申请公开该批次抽查中本公司产品的检验报告及抽样单。",
        .answer = {.outcome = v1::OUTCOME_DISCLOSED, .fee_method = v1::FEE_BY_COUNT},
    },
    {
        .key = "hurd-escrow-review",
        .unit = "NN-HURD",
        .filer = Filer::kStaffInPerson,
        .applicant = {v1::APPLICANT_BUSINESS, "广西鼎盛房地产开发有限公司", "91450100MA5N3C8F1D",
                      "联系人：滕经理，电话 0771-5776512"},
        .subject = "五象新区鼎盛·江南府项目商品房预售资金监管账户及拨付审核情况",
        .description =
            "本公司为该项目开发企业，申请公开市住房城乡建设局对本项目预售资金监管账户开立的备案"
            "意见，以及2026年各次预售资金拨付申请的审核意见。",
        .assign_to = "NN-HURD",
        .assign_note = "由本局房地产市场监管科承办。",
        .answer = {.outcome = v1::OUTCOME_DISCLOSED},
    },
    // ---- Answered: partly disclosed, with a fee by pages (NAT-9) ----------------------
    {
        .key = "xxt-anji-compensation",
        .unit = "NN-XXT",
        .filer = Filer::kStaffRegisteredMail,
        .mail_days_before_filing = 2,
        .applicant = {v1::APPLICANT_LEGAL_SERVICE, "广西桂和律师事务所", "31450000MD0654321B",
                      "承办律师：李律师，电话 0771-5301288，南宁市青秀区民族大道136号"},
        .subject = "安吉大道片区棚户区改造项目房屋征收补偿方案、社会稳定风险评估报告及分户补偿明细",
        .description =
            "本所受安吉大道片区被征收人梁某某委托，申请公开：\n1. 安吉大道片区棚户区改造项目房"
            "屋征收补偿方案；\n2. 该项目社会稳定风险评估报告；\n3. 项目分户补偿明细表。",
        .assign_to = "NN-XXT",
        .assign_note = "由区房屋征收办公室承办。",
        .answer = {.outcome = v1::OUTCOME_PARTLY_DISCLOSED,
                   .reason = "征收补偿方案和社会稳定风险评估报告予以公开；分户补偿明细表中其他被征"
                             "收人的姓名、身份证号码、房屋面积和补偿金额属于个人隐私，公开会对第三"
                             "方合法权益造成损害，依据《中华人民共和国政府信息公开条例》第十五条、"
                             "第三十七条作区分处理，仅提供委托人本户的补偿明细。",
                   .fee_method = v1::FEE_BY_PAGES,
                   .fee_pages = 126},
    },
    // ---- Answered: not disclosed, under administrative review --------------------------
    {
        .key = "psb-hukou-inspection",
        .unit = "NN-PSB",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_NATURAL_PERSON, "何文斌", "450107199002174516",
                      "手机 18677123580"},
        .subject = "南宁市公安局2026年户口登记管理专项检查情况的报告",
        .description =
            "申请公开南宁市公安局2026年户口登记管理专项检查情况的报告全文，包括检查发现的问题及"
            "各分局的整改情况。",
        .answer = {.outcome = v1::OUTCOME_NOT_DISCLOSED_SECURITY_STABILITY,
                   .reason = "您申请的报告涉及户籍信息系统安全防护措施和公安工作秘密，公开后可能危"
                             "及公共安全和社会稳定，依据《中华人民共和国政府信息公开条例》第十四"
                             "条，决定不予公开。"},
        .challenge = {v1::CHALLENGE_ADMINISTRATIVE_REVIEW, "南府复〔2026〕218号",
                      "申请人不服不予公开决定，向南宁市人民政府申请行政复议，复议机关已受理。"},
    },
    // ---- Answered: not held, naming the holder -----------------------------------------
    {
        .key = "fin-housing-fund",
        .unit = "NN-FIN",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_NATURAL_PERSON, "黄海燕", "450104198712305528",
                      "电子邮箱 hhy_nn@qq.com"},
        .subject = "2025年度南宁市住房公积金缴存和提取使用情况",
        .description =
            "申请公开2025年度南宁市住房公积金归集、提取、个人住房贷款发放的总体情况及增值收益分"
            "配方案。",
        .answer = {.outcome = v1::OUTCOME_CANNOT_PROVIDE_NOT_HELD,
                   .reason = "经检索，本机关未制作、未获取您申请的信息。根据《住房公积金管理条例》"
                             "，住房公积金的归集、提取和贷款发放由南宁住房公积金管理中心负责，建议"
                             "向该中心咨询或提出申请。",
                   .holder_name = "南宁住房公积金管理中心"},
    },
    // ---- Answered: not processed (repeat), in court ------------------------------------
    {
        .key = "wm-repeat-requisition",
        .unit = "NN-WM",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_NATURAL_PERSON, "陈永福", "450122196507232219",
                      "手机 13737118802；南宁市武鸣区双桥镇伏唐村那汉屯"},
        .subject = "双桥镇2026年第一批次城镇建设用地征收土地预公告及征地补偿安置方案",
        .description =
            "申请公开双桥镇2026年第一批次城镇建设用地征收土地的预公告、征地补偿安置方案，以及本"
            "人承包地的补偿标准。",
        .answer = {.outcome = v1::OUTCOME_NOT_PROCESSED_REPEAT,
                   .reason = "您于2026年9月8日就同一内容向本机关提出申请，本机关已于2026年9月29日"
                             "依法作出答复（武政信复〔2026〕41号），并提供了征收土地预公告和征地补"
                             "偿安置方案。本次申请属于重复申请，依据《中华人民共和国政府信息公开条"
                             "例》第三十六条第（六）项，不予重复处理。"},
        .challenge = {v1::CHALLENGE_LITIGATION_DIRECT, "（2026）桂01行初486号",
                      "申请人以答复不当为由向南宁市中级人民法院提起行政诉讼，法院已立案，尚未开庭"
                      "审理。"},
    },
    // ---- Answered: cannot provide, would need creating ---------------------------------
    {
        .key = "ca-elderly-statistics",
        .unit = "NN-CA",
        .filer = Filer::kPublicOnline,
        .applicant = {v1::APPLICANT_SOCIAL_WELFARE, "南宁市益心社会工作服务中心",
                      "52450100MJ0987654T", "联系人：蓝女士，电话 0771-2619935"},
        .subject = "南宁市各城区独居老年人数量按街道统计表",
        .description =
            "为开展独居老人关爱服务项目，申请公开南宁市各城区独居老年人数量（按街道、乡镇分列）"
            "。",
        .answer = {.outcome = v1::OUTCOME_CANNOT_PROVIDE_NEEDS_CREATION,
                   .reason = "本机关未按街道、乡镇对独居老年人数量进行统计，您申请的信息需要对现有"
                             "数据进行加工、分析后另行制作，依据《中华人民共和国政府信息公开条例》"
                             "第三十八条，本机关不予提供。全市老年人口基本情况可查阅每年发布的南宁"
                             "市老龄事业发展统计公报。"},
    },
};

const AnnualReportDraftSpec kAnnualReportDraft = {
    "NN-HURD",
    2026,
    /*licensing_decisions=*/1386,
    /*penalty_decisions=*/57,
    /*enforcement_decisions=*/4,
    /*fee_income_fen=*/0,
    "2026年，南宁市住房和城乡建设局坚持以公开为常态、不公开为例外，围绕房地产市场平稳健康发展"
    "、保障性住房分配、既有住宅加装电梯等群众关注事项，持续做好政府信息主动公开和依申请公开工作"
    "。（年度报告草稿，年度结束后据实补充完善。）",
    "依申请公开答复文书的规范性有待进一步提高；下一步将加强业务培训，严格执行答复期限，规范答复"
    "文书格式。",
};

}  // namespace

const std::vector<DisclosureRequestSpec>& DisclosureRequests() {
  static const auto* requests =
      new std::vector<DisclosureRequestSpec>(std::begin(kRequests), std::end(kRequests));
  return *requests;
}

const AnnualReportDraftSpec& AnnualReportDraft() { return kAnnualReportDraft; }

v1::DisclosureRequestState PlannedState(const DisclosureRequestSpec& spec) {
  if (spec.answer.outcome != v1::REQUEST_OUTCOME_UNSPECIFIED) return v1::REQUEST_ANSWERED;
  if (spec.third_party[0] != '\0' && spec.consultation_result[0] == '\0') {
    return v1::REQUEST_IN_CONSULTATION;
  }
  if (spec.assign_to[0] != '\0') return v1::REQUEST_ASSIGNED;
  if (spec.corrected_description[0] != '\0') return v1::REQUEST_CORRECTED;
  if (spec.correction_notice[0] != '\0') return v1::REQUEST_AWAITING_CORRECTION;
  return v1::REQUEST_RECEIVED;
}

v1::RequestChannel ChannelOf(Filer filer) {
  switch (filer) {
    case Filer::kPublicOnline:
      return v1::CHANNEL_ONLINE;
    case Filer::kStaffInPerson:
      return v1::CHANNEL_IN_PERSON;
    case Filer::kStaffRegisteredMail:
      return v1::CHANNEL_REGISTERED_MAIL;
  }
  return v1::REQUEST_CHANNEL_UNSPECIFIED;
}

std::string RequestIdOf(const DisclosureRequestSpec& spec) {
  return absl::StrCat("demo-request-", spec.key);
}

}  // namespace gongkai::catalog::demo
