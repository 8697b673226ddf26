#include "services/catalog/demo/demo_data.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai::catalog::demo {
namespace {

using v1::IssuingAuthority;
using v1::KeyArea;

constexpr auto kCity = v1::UNIT_LEVEL_CITY;
constexpr auto kCounty = v1::UNIT_LEVEL_COUNTY;
constexpr auto kDepartment = v1::UNIT_LEVEL_DEPARTMENT;
constexpr auto kTownship = v1::UNIT_LEVEL_TOWNSHIP;

constexpr auto kCityGovernment = v1::CITY_GOVERNMENT;
constexpr auto kCityOffice = v1::CITY_GOVERNMENT_OFFICE;
constexpr auto kOwnName = v1::DEPARTMENT;

constexpr auto kProactive = v1::PROACTIVE;
constexpr auto kOnRequest = v1::ON_REQUEST;
constexpr auto kNotDisclosed = v1::NOT_DISCLOSED;
constexpr auto kUnset = v1::DISCLOSURE_ATTRIBUTE_UNSPECIFIED;

// The articles of the Regulations on the Disclosure of Government Information cited
// for ON_REQUEST and NOT_DISCLOSED documents (CAT-2).
constexpr char kArticle14[] = "《中华人民共和国政府信息公开条例》第十四条";
constexpr char kArticle15[] = "《中华人民共和国政府信息公开条例》第十五条";
constexpr char kArticle16[] = "《中华人民共和国政府信息公开条例》第十六条";

const UnitSpec kUnits[] = {
    {"NN-GOV", "南宁市人民政府", kCity, "", "wei.jun", "qin.hai"},
    {"NN-GOV-OFFICE", "南宁市人民政府办公厅", kDepartment, "NN-GOV", "huang.min", "lu.yan"},
    {"NN-DRC", "南宁市发展和改革委员会", kDepartment, "NN-GOV", "chen.gang", "mo.li"},
    {"NN-EDU", "南宁市教育局", kDepartment, "NN-GOV", "zhang.wei", "liu.fang"},
    {"NN-PSB", "南宁市公安局", kDepartment, "NN-GOV", "li.qiang", "tan.hui"},
    {"NN-CA", "南宁市民政局", kDepartment, "NN-GOV", "wang.xiuying", "lan.ping"},
    {"NN-FIN", "南宁市财政局", kDepartment, "NN-GOV", "zhou.jie", "pan.jing"},
    {"NN-HRSS", "南宁市人力资源和社会保障局", kDepartment, "NN-GOV", "wu.tao", "lin.xia"},
    {"NN-NR", "南宁市自然资源局", kDepartment, "NN-GOV", "huang.hao", "nong.yu"},
    {"NN-EE", "南宁市生态环境局", kDepartment, "NN-GOV", "zhao.lei", "wei.na"},
    {"NN-HURD", "南宁市住房和城乡建设局", kDepartment, "NN-GOV", "yang.fan", "qin.li"},
    {"NN-HC", "南宁市卫生健康委员会", kDepartment, "NN-GOV", "xu.min", "liang.yu"},
    {"NN-AUDIT", "南宁市审计局", kDepartment, "NN-GOV", "sun.hong", "he.jing"},
    {"NN-AMR", "南宁市市场监督管理局", kDepartment, "NN-GOV", "ma.chao", "lu.ting"},
    {"NN-ARA", "南宁市农业农村局", kDepartment, "NN-GOV", "zhu.feng", "meng.xue"},
    {"NN-SASAC", "南宁市人民政府国有资产监督管理委员会", kDepartment, "NN-GOV", "gao.yuan",
     "deng.hua"},
    {"NN-RR", "南宁市乡村振兴局", kDepartment, "NN-GOV", "luo.bin", "lao.xin"},
    {"NN-EMA", "南宁市应急管理局", kDepartment, "NN-GOV", "xie.wen", "feng.juan"},
    {"NN-CULT", "南宁市文化广电和旅游局", kDepartment, "NN-GOV", "tang.yi", "cen.mei"},
    {"NN-HS", "南宁市医疗保障局", kDepartment, "NN-GOV", "liao.kai", "shi.lan"},
    {"NN-XN", "南宁市兴宁区人民政府", kCounty, "NN-GOV", "huang.jian", "li.mei"},
    {"NN-QX", "南宁市青秀区人民政府", kCounty, "NN-GOV", "liang.bo", "wei.hong"},
    {"NN-JN", "南宁市江南区人民政府", kCounty, "NN-GOV", "lu.wei", "nong.jing"},
    {"NN-XXT", "南宁市西乡塘区人民政府", kCounty, "NN-GOV", "chen.long", "huang.yan"},
    {"NN-LQ", "南宁市良庆区人民政府", kCounty, "NN-GOV", "mo.jun", "zhang.li"},
    {"NN-YN", "南宁市邕宁区人民政府", kCounty, "NN-GOV", "wei.dong", "lan.fang"},
    {"NN-WM", "南宁市武鸣区人民政府", kCounty, "NN-GOV", "qin.tao", "lu.xia"},
    {"NN-HZ", "横州市人民政府", kCounty, "NN-GOV", "li.jun", "teng.yun"},
    {"NN-BY", "宾阳县人民政府", kCounty, "NN-GOV", "xie.ming", "he.li"},
    {"NN-SL", "上林县人民政府", kCounty, "NN-GOV", "meng.gang", "huang.li"},
    {"NN-MS", "马山县人民政府", kCounty, "NN-GOV", "lan.yong", "wei.qin"},
    {"NN-LA", "隆安县人民政府", kCounty, "NN-GOV", "nong.bin", "liang.fang"},
    {"NN-QX-NY", "青秀区南阳镇人民政府", kTownship, "NN-QX", "lu.qiang", "huang.mei"},
    {"NN-QX-LL", "青秀区伶俐镇人民政府", kTownship, "NN-QX", "wei.bin", "li.na"},
    {"NN-QX-CT", "青秀区长塘镇人民政府", kTownship, "NN-QX", "pan.tao", "mo.yan"},
    {"NN-WM-CX", "武鸣区城厢镇人民政府", kTownship, "NN-WM", "qin.jun", "lu.fang"},
    {"NN-WM-SQ", "武鸣区双桥镇人民政府", kTownship, "NN-WM", "huang.bo", "wei.li"},
    {"NN-WM-TP", "武鸣区太平镇人民政府", kTownship, "NN-WM", "li.tao", "nong.mei"},
};

const AreaSpec kAreas[] = {
    {v1::PRODUCT_QUALITY,
     "NN-AMR",
     "",
     "加强产品质量安全监管，保障人民群众生命财产安全",
     "《中华人民共和国产品质量法》",
     {"组织开展重点工业产品质量安全监督抽查，抽查结果及不合格产品处理情况在抽查结束后及时向社"
      "会公布",
      "督促生产企业落实质量安全主体责任，建立健全产品质量追溯和缺陷产品召回制度",
      "畅通12315投诉举报渠道，依法查处生产、销售假冒伪劣产品等违法行为"},
     {"产品质量监督抽查计划及抽查结果", "缺陷产品召回信息及不合格产品后处理情况"}},
    {v1::MAJOR_CONSTRUCTION_PROJECTS,
     "NN-DRC",
     "",
     "推进重大建设项目批准和实施领域政府信息公开，提升项目建设透明度",
     "《国务院办公厅关于推进重大建设项目批准和实施领域政府信息公开的意见》",
     {"及时公开项目审批、核准、备案结果及批准服务信息",
      "公开项目招标投标、征收土地、重大设计变更、施工等有关信息",
      "公开项目质量安全监督、竣工验收等信息，自觉接受社会监督"},
     {"重大建设项目审批、核准、备案结果", "重大建设项目招标投标、施工及竣工验收信息"}},
    {v1::STATE_OWNED_ENTERPRISE_REFORM,
     "NN-SASAC",
     "",
     "深化市属国有企业改革，推动国有资本和国有企业做强做优做大",
     "《中华人民共和国企业国有资产法》",
     {"稳妥推进市属国有企业混合所有制改革，完善中国特色现代企业制度",
      "公开市属国有企业年度主要财务指标、重大变动事项和负责人薪酬信息",
      "加强国有资产监管，健全国有资本运营监督体系，严防国有资产流失"},
     {"市属国有企业改革重组及国有产权转让信息", "市属国有企业年度财务及经营业绩考核信息"}},
    {v1::AUDIT,
     "NN-AUDIT",
     "",
     "依法履行审计监督职责，推进审计结果公开",
     "《中华人民共和国审计法》",
     {"按规定公开年度审计项目计划和市本级预算执行审计工作报告",
      "公开审计查出问题的整改情况，督促被审计单位落实整改主体责任",
      "加强审计成果运用，推动有关部门完善制度、堵塞漏洞"},
     {"市本级预算执行和其他财政收支审计工作报告", "审计查出问题整改情况报告"}},
    {v1::POVERTY_ALLEVIATION,
     "NN-RR",
     "",
     "巩固拓展脱贫攻坚成果，推进同乡村振兴有效衔接",
     "《中华人民共和国乡村振兴促进法》",
     {"健全防止返贫动态监测和帮扶机制，做到早发现、早干预、早帮扶",
      "公开衔接推进乡村振兴补助资金分配结果和项目安排情况",
      "加强帮扶项目资产管理，确保项目持续发挥效益"},
     {"衔接推进乡村振兴补助资金分配及使用情况", "防止返贫监测帮扶政策及项目库建设情况"}},
    {v1::SOCIAL_ASSISTANCE,
     "NN-CA",
     "",
     "织密扎牢社会救助兜底保障网，保障困难群众基本生活",
     "《社会救助暂行办法》",
     {"规范最低生活保障、特困人员救助供养和临时救助的审核确认程序",
      "按规定公示救助对象有关信息，依法保护救助对象个人隐私",
      "加强社会救助资金监管，确保救助资金及时足额发放"},
     {"最低生活保障、特困人员救助供养标准及申办流程", "临时救助政策及救助资金使用情况"}},
    {v1::REAL_ESTATE,
     "NN-HURD",
     "",
     "促进房地产市场平稳健康发展，满足群众刚性和改善性住房需求",
     "《中华人民共和国城市房地产管理法》",
     {"公开商品房预售许可、新建商品房网签备案等信息",
      "规范房地产开发经营行为，加强商品房预售资金监管",
      "加大保障性住房建设和供给力度，公开保障性住房分配结果"},
     {"商品房预售许可及房地产开发企业资质信息", "保障性住房申请条件、分配过程及分配结果"}},
    {v1::ENVIRONMENTAL_PROTECTION,
     "NN-EE",
     "",
     "持续深入打好污染防治攻坚战，改善生态环境质量",
     "《中华人民共和国环境保护法》",
     {"按月公开城市环境空气质量和地表水水质状况", "公开建设项目环境影响评价文件受理情况和审批结果",
      "公开重点排污单位名录和环境行政处罚信息"},
     {"环境空气质量及地表水水质监测信息", "建设项目环境影响评价审批信息"}},
    {v1::EDUCATION,
     "NN-EDU",
     "",
     "促进义务教育优质均衡发展，保障适龄儿童少年依法接受义务教育",
     "《中华人民共和国义务教育法》",
     {"严格落实免试就近入学，科学划定并向社会公布学校服务区范围",
      "规范民办义务教育学校招生，实行公办民办学校同步招生",
      "健全学生资助体系，确保家庭经济困难学生应助尽助"},
     {"义务教育招生入学政策、学校服务区划分及招生计划", "学生资助政策及资助资金分配情况"}},
    {v1::HEALTH,
     "NN-HC",
     "",
     "推进健康南宁建设，提升公共卫生服务能力",
     "《中华人民共和国基本医疗卫生与健康促进法》",
     {"公开基本公共卫生服务项目内容和服务标准", "及时发布传染病疫情信息和健康风险提示",
      "公开医疗机构执业登记、医疗卫生行政处罚等信息"},
     {"基本公共卫生服务项目及服务标准", "法定传染病疫情信息及健康风险提示"}},
    {v1::PUBLIC_PRIVATE_PARTNERSHIP,
     "NN-FIN",
     "",
     "规范推进政府和社会资本合作，提高公共服务供给质量和效率",
     "《基础设施和公用事业特许经营管理办法》",
     {"公开政府和社会资本合作项目实施方案、物有所值评价和财政承受能力论证报告",
      "公开社会资本方采购结果和项目合同", "定期公开项目建设运营绩效评价结果"},
     {"政府和社会资本合作项目识别、准备及采购信息", "政府和社会资本合作项目合同及运营绩效信息"}},
    {v1::LAND_USE_PLANNING,
     "NN-NR",
     "NN-QX",
     "强化国土空间规划管控，节约集约利用土地资源",
     "《中华人民共和国土地管理法》",
     {"公开国土空间总体规划、详细规划及规划调整情况",
      "公开建设用地规划许可和建设工程规划许可批后信息", "公开年度土地供应计划和供地结果"},
     {"国土空间总体规划、详细规划及村庄规划", "建设用地规划许可及土地供应结果"}},
    {v1::TAXES_AND_FEES,
     "NN-FIN",
     "NN-BY",
     "落实减税降费政策，规范涉企收费行为",
     "《行政事业性收费标准管理办法》",
     {"公开行政事业性收费和政府性基金目录清单", "落实各项减税降费政策，确保政策红利直达市场主体",
      "加强涉企收费监督检查，坚决查处乱收费、乱罚款、乱摊派行为"},
     {"行政事业性收费和政府性基金目录清单", "减税降费政策及涉企收费监督检查结果"}},
    {v1::LAND_REQUISITION_COMPENSATION,
     "NN-NR",
     "NN-WM",
     "规范土地征收工作，维护被征地农民合法权益",
     "《中华人民共和国土地管理法实施条例》",
     {"征收土地预公告、征地补偿安置方案在拟征收土地所在的乡镇和村、村民小组范围内公告",
      "公开区片综合地价标准和征地补偿费用支付情况", "依法做好社会稳定风险评估和听证工作"},
     {"征收土地预公告及征地补偿安置方案", "区片综合地价标准及征地补偿费用发放情况"}},
    {v1::DEMOLITION_AND_RESETTLEMENT,
     "NN-XXT",
     "NN-LQ",
     "依法实施国有土地上房屋征收与补偿，保障被征收人合法权益",
     "《国有土地上房屋征收与补偿条例》",
     {"公开房屋征收决定、征收补偿方案和征求意见情况",
      "公开房屋调查登记、分户补偿结果及评估机构选定情况",
      "做好安置房源建设和分配，保障被征收人居住条件"},
     {"房屋征收决定及征收补偿方案", "分户补偿情况及安置房源信息"}},
    {v1::ENVIRONMENTAL_GOVERNANCE,
     "NN-JN",
     "NN-YN",
     "加强城乡环境综合治理，改善农村人居环境",
     "《中华人民共和国水污染防治法》",
     {"公开黑臭水体整治、农村生活污水治理项目及进展情况", "公开环境污染问题投诉举报受理和查处情况",
      "公开环境治理项目资金使用情况"},
     {"黑臭水体及农村生活污水治理项目信息", "环境污染投诉举报受理及查处情况"}},
    {v1::PUBLIC_SERVICE_SPENDING,
     "NN-FIN",
     "NN-SL",
     "提高公共服务支出透明度，保障财政资金安全有效使用",
     "《中华人民共和国预算法》",
     {"公开一般公共预算、政府性基金预算及部门预算决算", "公开民生领域重点支出项目和资金分配结果",
      "公开财政资金绩效评价结果"},
     {"部门预算、决算及“三公”经费", "民生领域重点支出项目及资金分配结果"}},
    {v1::PUBLIC_CULTURE,
     "NN-CULT",
     "NN-MS",
     "完善现代公共文化服务体系，丰富群众精神文化生活",
     "《中华人民共和国公共文化服务保障法》",
     {"公开公共文化设施名录、开放时间和免费服务项目", "公开公共文化活动计划和文化惠民项目实施情况",
      "推进基层综合性文化服务中心建设，提升服务效能"},
     {"公共文化设施名录、开放时间及免费服务项目", "文化惠民活动计划及实施情况"}},
    {v1::DISASTER_RELIEF,
     "NN-EMA",
     "NN-HZ",
     "提升自然灾害防治和救助能力，保障受灾群众基本生活",
     "《自然灾害救助条例》",
     {"公开自然灾害救助应急预案和救灾物资储备情况", "及时发布灾情信息和救助工作进展",
      "公开救灾资金、物资的分配和使用情况"},
     {"自然灾害救助应急预案及应急避难场所信息", "救灾资金、物资分配及使用情况"}},
    {v1::EMPLOYMENT,
     "NN-HRSS",
     "NN-XN",
     "落实就业优先政策，促进高质量充分就业",
     "《中华人民共和国就业促进法》",
     {"公开就业创业扶持政策、补贴申领条件和办理流程",
      "公开职业技能培训项目、定点培训机构和补贴发放情况", "定期发布公共就业服务招聘信息"},
     {"就业创业补贴政策及申领流程", "职业技能培训补贴发放情况"}},
    {v1::SOCIAL_INSURANCE,
     "NN-HRSS",
     "NN-LA",
     "健全多层次社会保障体系，提高社会保险经办服务水平",
     "《中华人民共和国社会保险法》",
     {"公开社会保险参保缴费政策、缴费基数和待遇标准", "公开社会保险经办服务事项和办理流程",
      "公开社会保险基金收支和监督检查情况"},
     {"社会保险参保缴费政策及待遇标准", "社会保险基金收支及监督检查情况"}},
    {v1::SOCIAL_WELFARE,
     "NN-CA",
     "NN-QX-LL",
     "发展普惠型社会福利事业，加强老年人、残疾人和困境儿童关爱服务",
     "《中华人民共和国老年人权益保障法》",
     {"公开高龄津贴、残疾人两项补贴、孤儿基本生活费等发放标准",
      "公开养老服务机构名录和养老服务补贴政策", "公开福利彩票公益金使用情况"},
     {"高龄津贴、残疾人两项补贴等福利政策及发放标准", "养老服务机构名录及福利彩票公益金使用情况"}},
    {v1::HOUSEHOLD_REGISTRATION,
     "NN-PSB",
     "",
     "深化户籍制度改革，便利群众办理户籍业务",
     "《中华人民共和国户口登记条例》",
     {"公开落户条件、申请材料和办理时限", "推行户籍业务“跨省通办”“一网通办”",
      "公开户籍业务办理窗口和咨询电话"},
     {"落户政策、办理条件及办事指南", "户籍业务办理窗口、时限及咨询电话"}},
    {v1::RURAL_HOMESTEAD_APPROVAL,
     "NN-ARA",
     "NN-QX-CT",
     "规范农村宅基地审批管理，保障农村村民合理建房需求",
     "《中华人民共和国土地管理法》",
     {"公开宅基地申请条件、审批程序和办理时限", "在村务公开栏公示宅基地申请及审批结果",
      "严格落实“一户一宅”规定，坚决遏制违法违规占地建房"},
     {"农村宅基地申请条件、审批程序及办理时限", "农村宅基地审批结果"}},
    {v1::AGRICULTURAL_SUBSIDIES,
     "NN-ARA",
     "NN-WM-TP",
     "落实强农惠农富农政策，调动农民种粮积极性",
     "《中华人民共和国农业法》",
     {"公开耕地地力保护补贴、农机购置与应用补贴政策及补贴标准",
      "按规定公示补贴对象、补贴面积和补贴金额", "加强补贴资金监管，严禁截留、挤占、挪用"},
     {"耕地地力保护补贴、农机购置与应用补贴政策及标准", "农业补贴对象、面积及金额公示"}},
    {v1::MEDICAL_CARE,
     "NN-HS",
     "NN-QX-NY",
     "深化医疗保障制度改革，减轻群众就医负担",
     "《医疗保障基金使用监督管理条例》",
     {"公开基本医疗保险待遇标准、门诊慢特病和异地就医政策", "公开定点医药机构名单和医保药品目录",
      "公开医疗保障基金监督检查结果"},
     {"基本医疗保险待遇政策及异地就医办理流程", "定点医药机构名单及医疗保障基金监督检查结果"}},
};

using T = Target;

const DocumentSpec kDocuments[] = {
    // ---- 1 产品质量
    {"NN-AMR", v1::PRODUCT_QUALITY, kOwnName,
     "南宁市市场监督管理局关于开展2026年重点工业产品质量安全监督抽查的通知", "南市监发〔2026〕8号",
     false, kProactive, T::kPublished},
    {"NN-AMR", v1::PRODUCT_QUALITY, kOwnName,
     "南宁市市场监督管理局关于2026年第一批产品质量监督抽查结果的公告", "南市监发〔2026〕21号",
     false, kProactive, T::kPublished},
    // ---- 2 重大建设项目
    {"NN-DRC", v1::MAJOR_CONSTRUCTION_PROJECTS, kCityGovernment,
     "南宁市人民政府关于印发南宁市2026年重大项目建设计划的通知", "南府发〔2026〕5号", true,
     kProactive, T::kPublished},
    {"NN-DRC", v1::MAJOR_CONSTRUCTION_PROJECTS, kOwnName,
     "南宁市发展和改革委员会关于五象新区综合管廊二期工程可行性研究报告的批复",
     "南发改审批〔2026〕47号", false, kProactive, T::kPublished},
    {"NN-DRC", v1::MAJOR_CONSTRUCTION_PROJECTS, kOwnName,
     "南宁市发展和改革委员会关于轨道交通6号线一期工程前期工作进展情况的报告", "南发改报〔2026〕9号",
     false, kNotDisclosed, T::kApproved,
     "属于项目前期研究论证过程中形成的请示报告类过程性信息，可以不予公开。", kArticle16},
    {"NN-GOV-OFFICE", v1::MAJOR_CONSTRUCTION_PROJECTS, kCityOffice,
     "南宁市人民政府办公厅关于加快推进重大项目前期工作的通知", "", true, kUnset, T::kDraft},
    // ---- 3 国有企业改革
    {"NN-SASAC", v1::STATE_OWNED_ENTERPRISE_REFORM, kCityOffice,
     "南宁市人民政府办公厅关于印发南宁市深化市属国有企业改革提升行动实施方案（2026—2027年）的"
     "通知",
     "南府办发〔2026〕11号", true, kProactive, T::kPublished},
    {"NN-SASAC", v1::STATE_OWNED_ENTERPRISE_REFORM, kOwnName,
     "南宁市人民政府国有资产监督管理委员会关于市属国有企业2025年度经营业绩考核结果的通报",
     "南国资发〔2026〕15号", false, kProactive, T::kPublished},
    {"NN-SASAC", v1::STATE_OWNED_ENTERPRISE_REFORM, kOwnName,
     "南宁市人民政府国有资产监督管理委员会关于市属国有企业专业化整合方案的请示",
     "南国资报〔2026〕4号", false, kNotDisclosed, T::kApproved,
     "方案涉及相关企业的商业秘密，公开会对第三方合法权益造成损害。", kArticle15},
    // ---- 4 审计
    {"NN-AUDIT", v1::AUDIT, kOwnName,
     "南宁市审计局关于南宁市2025年度市本级预算执行和其他财政收支的审计工作报告",
     "南审发〔2026〕10号", false, kProactive, T::kPublished},
    {"NN-AUDIT", v1::AUDIT, kOwnName, "南宁市审计局关于2025年度审计查出问题整改情况的报告",
     "南审报〔2026〕6号", false, kProactive, T::kPendingReview},
    {"NN-AUDIT", v1::AUDIT, kOwnName,
     "南宁市审计局关于市属某国有企业主要领导人员任中经济责任审计的审计报告", "南审经责〔2026〕3号",
     false, kNotDisclosed, T::kApproved,
     "属于行政执法案卷信息，且涉及被审计单位的商业秘密和个人信息。", kArticle16},
    // ---- 5 扶贫
    {"NN-RR", v1::POVERTY_ALLEVIATION, kCityOffice,
     "南宁市人民政府办公厅关于健全防止返贫动态监测和帮扶机制的实施意见", "南府办发〔2026〕19号",
     true, kProactive, T::kPublished},
    {"NN-RR", v1::POVERTY_ALLEVIATION, kOwnName,
     "南宁市乡村振兴局关于2026年衔接推进乡村振兴补助资金分配方案的公示", "南乡振发〔2026〕7号",
     false, kProactive, T::kPublished},
    {"NN-LA", v1::POVERTY_ALLEVIATION, kOwnName,
     "隆安县人民政府关于2026年度巩固拓展脱贫攻坚成果项目库建设情况的公告", "隆政告〔2026〕3号",
     false, kProactive, T::kPublished},
    // ---- 6 社会救助
    {"NN-CA", v1::SOCIAL_ASSISTANCE, kCityGovernment,
     "南宁市人民政府关于印发南宁市最低生活保障审核确认办法的通知", "南府规〔2026〕2号", true,
     kProactive, T::kPublished},
    {"NN-CA", v1::SOCIAL_ASSISTANCE, kOwnName,
     "南宁市民政局关于提高2026年城乡最低生活保障标准的通知", "南民发〔2026〕4号", true, kProactive,
     T::kPublished},
    {"NN-CA", v1::SOCIAL_ASSISTANCE, kOwnName,
     "南宁市民政局关于2026年第一季度城乡低保对象家庭经济状况核对结果的报告", "南民报〔2026〕5号",
     false, kNotDisclosed, T::kApproved,
     "报告附有低保对象的姓名、身份证号码和家庭收入等个人隐私，公开会损害第三方合法权益。",
     kArticle15},
    // ---- 7 房地产
    {"NN-HURD", v1::REAL_ESTATE, kOwnName,
     "南宁市住房和城乡建设局关于进一步促进房地产市场平稳健康发展的通知", "南住建发〔2026〕14号",
     true, kProactive, T::kPublished},
    {"NN-HURD", v1::REAL_ESTATE, kOwnName,
     "南宁市住房和城乡建设局关于2026年第一批公共租赁住房分配结果的公告", "南住建发〔2026〕22号",
     false, kProactive, T::kPublished},
    {"NN-HURD", v1::REAL_ESTATE, kOwnName,
     "南宁市住房和城乡建设局关于加强商品房预售资金监管的实施细则（征求意见稿）", "", true,
     kProactive, T::kDraft},
    // ---- 8 环境保护
    {"NN-EE", v1::ENVIRONMENTAL_PROTECTION, kOwnName,
     "南宁市生态环境局关于2026年10月南宁市环境空气质量状况的通报", "南环发〔2026〕58号", false,
     kProactive, T::kPublished},
    {"NN-EE", v1::ENVIRONMENTAL_PROTECTION, kOwnName,
     "南宁市生态环境局关于南宁市2026年重点排污单位名录的公告", "南环发〔2026〕9号", false,
     kProactive, T::kPublished},
    {"NN-EE", v1::ENVIRONMENTAL_PROTECTION, kOwnName,
     "南宁市生态环境局关于某化工企业环境违法案件调查处理情况的报告", "南环报〔2026〕17号", false,
     kOnRequest, T::kApproved, "涉及企业生产工艺等商业秘密，须征求第三方意见后依申请提供。",
     kArticle15},
    // ---- 9 教育
    {"NN-EDU", v1::EDUCATION, kOwnName, "南宁市教育局关于做好2026年义务教育招生入学工作的通知",
     "南教发〔2026〕12号", true, kProactive, T::kPublished},
    {"NN-EDU", v1::EDUCATION, kCityGovernment,
     "南宁市人民政府关于印发南宁市推进义务教育优质均衡发展实施方案的通知", "南府发〔2026〕9号",
     true, kProactive, T::kPublished},
    {"NN-EDU", v1::EDUCATION, kOwnName,
     "南宁市教育局关于2026年秋季学期家庭经济困难学生资助资金分配的通知", "南教发〔2026〕37号",
     false, kProactive, T::kApproved},
    {"NN-EDU", v1::EDUCATION, kOwnName, "南宁市教育局关于规范校外培训机构收费管理的通知",
     "南教发〔2026〕41号", true, kProactive, T::kReturnedByReview, "", "",
     "附件2《投诉举报情况汇总表》含有学生姓名和家长联系电话，须删除个人信息后重新报审。"},
    // ---- 10 卫生
    {"NN-HC", v1::HEALTH, kOwnName,
     "南宁市卫生健康委员会关于印发南宁市2026年基本公共卫生服务项目实施方案的通知",
     "南卫健发〔2026〕6号", true, kProactive, T::kPublished},
    {"NN-HC", v1::HEALTH, kOwnName,
     "南宁市卫生健康委员会关于2026年10月全市法定传染病疫情概况的通报", "南卫健发〔2026〕63号",
     false, kProactive, T::kPublished},
    {"NN-HC", v1::HEALTH, kOwnName, "南宁市卫生健康委员会关于加强秋冬季呼吸道传染病防控工作的通知",
     "南卫健发〔2026〕70号", false, kProactive, T::kPendingReview},
    // ---- 11 政府和社会资本合作
    {"NN-FIN", v1::PUBLIC_PRIVATE_PARTNERSHIP, kOwnName,
     "南宁市财政局关于城市污水处理厂提标改造政府和社会资本合作项目实施方案的批复",
     "南财发〔2026〕18号", false, kProactive, T::kPublished},
    {"NN-FIN", v1::PUBLIC_PRIVATE_PARTNERSHIP, kOwnName,
     "南宁市财政局关于2025年度政府和社会资本合作项目绩效评价结果的报告", "南财报〔2026〕12号",
     false, kProactive, T::kReturnedByOffice, "", "",
     "请补充各项目运营期绩效指标完成情况及整改措施后重新报送。"},
    // ---- 12 土地利用规划
    {"NN-NR", v1::LAND_USE_PLANNING, kCityGovernment,
     "南宁市人民政府关于南宁市国土空间总体规划（2021—2035年）实施有关事项的通知",
     "南府发〔2026〕3号", true, kProactive, T::kPublished},
    {"NN-NR", v1::LAND_USE_PLANNING, kOwnName,
     "南宁市自然资源局关于2026年度国有建设用地供应计划的公告", "南自然资发〔2026〕11号", false,
     kProactive, T::kPublished},
    {"NN-QX", v1::LAND_USE_PLANNING, kOwnName,
     "南宁市青秀区人民政府关于长塘镇村庄规划（2026—2035年）的批复", "青政函〔2026〕12号", false,
     kProactive, T::kPublished},
    // ---- 13 税费
    {"NN-FIN", v1::TAXES_AND_FEES, kOwnName,
     "南宁市财政局关于公布2026年南宁市行政事业性收费和政府性基金目录清单的通知",
     "南财发〔2026〕3号", true, kProactive, T::kPublished},
    {"NN-GOV-OFFICE", v1::TAXES_AND_FEES, kCityOffice,
     "南宁市人民政府办公厅关于进一步落实减税降费政策优化营商环境的通知", "南府办发〔2026〕27号",
     true, kProactive, T::kPublished},
    // ---- 14 征地补偿
    {"NN-NR", v1::LAND_REQUISITION_COMPENSATION, kCityGovernment,
     "南宁市人民政府关于公布实施南宁市征收农用地区片综合地价标准的通知", "南府规〔2026〕5号", true,
     kProactive, T::kPublished},
    {"NN-WM", v1::LAND_REQUISITION_COMPENSATION, kOwnName,
     "南宁市武鸣区人民政府关于双桥镇2026年第一批次城镇建设用地征收土地的预公告",
     "武政告〔2026〕2号", false, kProactive, T::kPublished},
    // ---- 15 拆迁安置
    {"NN-XXT", v1::DEMOLITION_AND_RESETTLEMENT, kOwnName,
     "南宁市西乡塘区人民政府关于安吉大道片区棚户区改造项目房屋征收决定的公告", "西府告〔2026〕4号",
     false, kProactive, T::kPublished},
    {"NN-XXT", v1::DEMOLITION_AND_RESETTLEMENT, kOwnName,
     "南宁市西乡塘区人民政府关于安吉大道片区棚户区改造项目分户补偿情况的公示", "西府示〔2026〕1号",
     false, kProactive, T::kPublished},
    {"NN-XXT", v1::DEMOLITION_AND_RESETTLEMENT, kOwnName,
     "南宁市西乡塘区人民政府关于安吉大道片区房屋征收补偿款拨付情况的报告", "西府报〔2026〕6号",
     false, kOnRequest, T::kReturnedAtSubmission},
    // ---- 16 环境治理
    {"NN-JN", v1::ENVIRONMENTAL_GOVERNANCE, kOwnName,
     "南宁市江南区人民政府关于印发江南区2026年农村生活污水治理工作方案的通知", "江政发〔2026〕7号",
     true, kProactive, T::kPublished},
    {"NN-JN", v1::ENVIRONMENTAL_GOVERNANCE, kOwnName,
     "南宁市江南区人民政府关于良凤江流域水环境综合整治进展情况的通报", "江政发〔2026〕15号", false,
     kProactive, T::kApproved},
    // ---- 17 公共服务支出
    {"NN-FIN", v1::PUBLIC_SERVICE_SPENDING, kOwnName,
     "南宁市财政局关于2026年市本级民生领域重点支出项目资金安排情况的公告", "南财发〔2026〕26号",
     false, kProactive, T::kPublished},
    {"NN-GOV", v1::PUBLIC_SERVICE_SPENDING, kCityGovernment,
     "南宁市人民政府关于南宁市2025年市本级决算草案的报告", "南府报〔2026〕31号", false, kProactive,
     T::kPublished},
    // ---- 18 公共文化
    {"NN-CULT", v1::PUBLIC_CULTURE, kOwnName,
     "南宁市文化广电和旅游局关于公布2026年南宁市公共文化设施免费开放名录的通知",
     "南文旅发〔2026〕13号", false, kProactive, T::kPublished},
    {"NN-CULT", v1::PUBLIC_CULTURE, kOwnName,
     "南宁市文化广电和旅游局关于举办2027年“壮族三月三”群众文化活动的通知", "", false, kProactive,
     T::kDraft},
    // ---- 19 救灾
    {"NN-EMA", v1::DISASTER_RELIEF, kCityOffice,
     "南宁市人民政府办公厅关于印发南宁市自然灾害救助应急预案的通知", "南府办发〔2026〕8号", true,
     kProactive, T::kPublished},
    {"NN-EMA", v1::DISASTER_RELIEF, kOwnName,
     "南宁市应急管理局关于启动自然灾害救助Ⅳ级应急响应的通知", "南应急发〔2026〕33号", false,
     kProactive, T::kApproved, "", "", "", /*limit_working_days=*/5},
    {"NN-BY", v1::DISASTER_RELIEF, kOwnName,
     "宾阳县人民政府关于做好2026年汛期地质灾害防治工作的通知", "宾政发〔2026〕6号", false,
     kProactive, T::kPublished},
    // ---- 20 就业
    {"NN-HRSS", v1::EMPLOYMENT, kOwnName,
     "南宁市人力资源和社会保障局关于做好2026年高校毕业生等青年就业创业工作的通知",
     "南人社发〔2026〕17号", true, kProactive, T::kPublished},
    {"NN-HRSS", v1::EMPLOYMENT, kOwnName,
     "南宁市人力资源和社会保障局关于2026年第三季度职业技能培训补贴发放情况的公示",
     "南人社发〔2026〕52号", false, kProactive, T::kPublished},
    // ---- 21 社会保险
    {"NN-HRSS", v1::SOCIAL_INSURANCE, kOwnName,
     "南宁市人力资源和社会保障局关于公布2026年度社会保险缴费基数上下限的通知",
     "南人社发〔2026〕29号", true, kProactive, T::kPublished},
    {"NN-HRSS", v1::SOCIAL_INSURANCE, kOwnName,
     "南宁市人力资源和社会保障局关于社会保险基金专项检查发现问题的处理意见", "南人社函〔2026〕44号",
     false, kUnset, T::kReturnedAtSubmission},
    // ---- 22 社会福利
    {"NN-CA", v1::SOCIAL_WELFARE, kCityGovernment,
     "南宁市人民政府关于调整南宁市高龄津贴发放标准的通知", "南府规〔2026〕7号", true, kProactive,
     T::kPublished},
    {"NN-CA", v1::SOCIAL_WELFARE, kOwnName,
     "南宁市民政局关于养老服务设施布局专项规划（2026—2035年）编制情况的说明", "南民函〔2026〕22号",
     false, kOnRequest, T::kApproved, "规划尚在论证修改中，属于过程性信息，依申请审核后提供。",
     kArticle16},
    // ---- 23 户籍管理
    {"NN-PSB", v1::HOUSEHOLD_REGISTRATION, kOwnName, "南宁市公安局关于进一步放宽城镇落户条件的通知",
     "南公发〔2026〕5号", true, kProactive, T::kPublished},
    {"NN-PSB", v1::HOUSEHOLD_REGISTRATION, kOwnName,
     "南宁市公安局关于户籍业务“跨省通办”办理指南的公告", "南公发〔2026〕19号", false, kProactive,
     T::kPublished},
    {"NN-PSB", v1::HOUSEHOLD_REGISTRATION, kOwnName,
     "南宁市公安局关于2026年户口登记管理专项检查情况的报告", "南公报〔2026〕8号", false,
     kNotDisclosed, T::kApproved, "涉及公安工作秘密和户籍信息系统安全，公开后可能危及公共安全。",
     kArticle14},
    // ---- 24 农村宅基地审批
    {"NN-QX-NY", v1::RURAL_HOMESTEAD_APPROVAL, kOwnName,
     "青秀区南阳镇人民政府关于2026年第二批农村宅基地审批结果的公示", "南阳发〔2026〕9号", false,
     kProactive, T::kPublished},
    {"NN-WM-SQ", v1::RURAL_HOMESTEAD_APPROVAL, kOwnName,
     "武鸣区双桥镇人民政府关于规范农村村民建房审批管理的通知", "双桥发〔2026〕3号", true,
     kProactive, T::kPendingReview},
    // ---- 25 农业补贴
    {"NN-ARA", v1::AGRICULTURAL_SUBSIDIES, kOwnName,
     "南宁市农业农村局关于做好2026年耕地地力保护补贴发放工作的通知", "南农发〔2026〕10号", true,
     kProactive, T::kPublished},
    {"NN-ARA", v1::AGRICULTURAL_SUBSIDIES, kOwnName,
     "南宁市农业农村局关于2026年农机购置与应用补贴资金使用情况的公示", "南农发〔2026〕46号", false,
     kProactive, T::kPendingReview},
    {"NN-HZ", v1::AGRICULTURAL_SUBSIDIES, kOwnName,
     "横州市人民政府关于2026年茉莉花产业发展扶持资金分配方案的通知", "横政发〔2026〕21号", false,
     kUnset, T::kReturnedAtSubmission},
    // ---- 26 医疗卫生
    {"NN-HS", v1::MEDICAL_CARE, kOwnName, "南宁市医疗保障局关于调整门诊慢特病病种范围的通知",
     "南医保发〔2026〕8号", true, kProactive, T::kPublished},
    {"NN-HS", v1::MEDICAL_CARE, kOwnName,
     "南宁市医疗保障局关于2026年定点医药机构医保基金专项检查结果的通报", "南医保发〔2026〕39号",
     false, kProactive, T::kApproved},
    // ---- 基本目录 (no key area)
    {"NN-GOV-OFFICE", v1::KEY_AREA_UNSPECIFIED, kCityOffice,
     "南宁市人民政府办公厅关于印发南宁市2026年政务公开工作要点的通知", "南府办发〔2026〕2号", true,
     kProactive, T::kPublished},
};

const CatalogItemRevisionSpec kItemRevision = {
    109, "义务教育招生入学政策、学校服务区划分及招生计划",
    "信息形成或变更之日起20个工作日内；招生政策于每年5月31日前公开",
    "南宁市人民政府门户网站、南宁市教育局网站、“南宁教育”政务新媒体",
    "2026年目录年度调整：补充招生政策的公开时点和政务新媒体发布渠道"};

const SelfReviewSpec kSelfReview = {
    "NN-CA",
    2026,
    "南宁市民政局关于2026年第一季度城乡低保对象家庭经济状况核对结果的报告",
    "报告仍含有低保对象的个人隐私，不公开的理由依然成立，继续不予公开。",
    "南宁市民政局关于养老服务设施布局专项规划（2026—2035年）编制情况的说明",
    "专项规划已经市人民政府批准实施，说明不再属于过程性信息，转为主动公开。"};

const UnitSpec& FindUnit(absl::string_view code) {
  for (const UnitSpec& unit : kUnits) {
    if (code == unit.code) return unit;
  }
  // The tables are fixed data; a dangling code is a bug in this file (the test catches it).
  std::cerr << "demo data: unknown unit code " << code << "\n";
  std::abort();
}

const AreaSpec* FindArea(KeyArea area) {
  for (const AreaSpec& spec : kAreas) {
    if (spec.area == area) return &spec;
  }
  return nullptr;
}

// The parts of a title "<issuer>关于<subject>的<kind>".
struct TitleParts {
  std::string subject;
  std::string kind;
};

TitleParts SplitTitle(absl::string_view title) {
  constexpr absl::string_view kAbout = "关于";
  constexpr absl::string_view kOf = "的";
  const size_t about = title.find(kAbout);
  const size_t of = title.rfind(kOf);
  if (about == absl::string_view::npos || of == absl::string_view::npos || of < about) {
    return {std::string(title), "通知"};
  }
  const size_t start = about + kAbout.size();
  return {std::string(title.substr(start, of - start)), std::string(title.substr(of + kOf.size()))};
}

// What the addressee line of a document reads, by issuer level.
std::string Addressee(const DocumentSpec& document, const UnitSpec& drafter) {
  if (document.authority != kOwnName) {
    return "各县（市、区）人民政府，市人民政府各组成部门、各直属机构：";
  }
  switch (drafter.level) {
    case kCounty:
      return "各乡镇人民政府、街道办事处，县（市、区）直各有关单位：";
    case kTownship:
      return "各村（居）民委员会，镇直各有关单位：";
    default:
      return "各县（市、区）有关部门，市直各有关单位：";
  }
}

// The body a superior reads in reports and requests.
std::string Superior(const UnitSpec& drafter) {
  if (drafter.level == kTownship) return absl::StrCat(FindUnit(drafter.parent_code).name, "：");
  if (drafter.level == kCity) return "南宁市人民代表大会常务委员会：";
  return "南宁市人民政府：";
}

std::string Paragraph(absl::string_view text) { return absl::StrCat("　　", text, "\n"); }

std::string Date(int index) {
  const int month = 1 + (index * 7) % 10;
  const int day = 2 + (index * 13) % 26;
  return absl::StrCat("2026年", month, "月", day, "日");
}

}  // namespace

const std::vector<UnitSpec>& Units() {
  static const auto* units = new std::vector<UnitSpec>(std::begin(kUnits), std::end(kUnits));
  return *units;
}

const std::vector<AreaSpec>& Areas() {
  static const auto* areas = new std::vector<AreaSpec>(std::begin(kAreas), std::end(kAreas));
  return *areas;
}

const std::vector<DocumentSpec>& Documents() {
  static const auto* documents =
      new std::vector<DocumentSpec>(std::begin(kDocuments), std::end(kDocuments));
  return *documents;
}

std::vector<CatalogItemSpec> CatalogItems() {
  std::vector<CatalogItemSpec> items;
  for (const AreaSpec& area : kAreas) {
    for (int i = 0; i < 2; ++i) {
      const char* unit_code =
          (i == 1 && area.grassroots_unit[0] != '\0') ? area.grassroots_unit : area.lead_unit;
      const UnitSpec& unit = FindUnit(unit_code);
      std::string method = kCityPortal;
      if (unit.level == kCounty) {
        method = absl::StrCat(unit.name, "门户网站、村（居）务公开栏");
      } else if (unit.level == kTownship) {
        method = absl::StrCat(unit.name, "政务公开栏、村（居）务公开栏");
      }
      items.push_back(
          {CategoryFor(area.area), unit_code, area.items[i], kDefaultTimeLimit, std::move(method)});
    }
  }
  return items;
}

const CatalogItemRevisionSpec& CatalogItemRevision() { return kItemRevision; }

const SelfReviewSpec& SelfReview() { return kSelfReview; }

int64_t CategoryFor(KeyArea area) {
  return area == v1::KEY_AREA_UNSPECIFIED ? 1 : 100 + static_cast<int64_t>(area);
}

std::string Subject(absl::string_view local, absl::string_view unit_code) {
  return absl::StrCat(local, "@", absl::AsciiStrToLower(unit_code));
}

std::string IssuerName(const DocumentSpec& document) {
  switch (document.authority) {
    case kCityGovernment:
      return "南宁市人民政府";
    case kCityOffice:
      return "南宁市人民政府办公厅";
    default:
      return FindUnit(document.unit).name;
  }
}

std::string DocumentBody(const DocumentSpec& document, int index) {
  static const AreaSpec kBasic = {v1::KEY_AREA_UNSPECIFIED,
                                  "NN-GOV-OFFICE",
                                  "",
                                  "全面推进基层政务公开标准化规范化，提升政务公开质量和实效",
                                  "《中华人民共和国政府信息公开条例》",
                                  {"持续做好政策文件、政策解读和重点领域信息的主动公开",
                                   "规范依申请公开办理，严格执行答复时限和答复文书格式",
                                   "加强政府网站和政务新媒体管理，做好政府信息公开工作年度报告"},
                                  {"", ""}};
  const AreaSpec* found = FindArea(document.area);
  const AreaSpec& area = found != nullptr ? *found : kBasic;
  const UnitSpec& drafter = FindUnit(document.unit);
  const std::string issuer = IssuerName(document);
  const TitleParts parts = SplitTitle(document.title);
  const std::string& subject = parts.subject;
  // "实施细则（征求意见稿）" → "实施细则".
  const absl::string_view kind = absl::string_view(parts.kind).substr(0, parts.kind.find("（"));
  const auto& m = area.measures;

  std::string body;
  if (absl::StartsWith(subject, "印发")) {
    // 印发通知: the covering notice, then the text it issues.
    const std::string issued = subject.substr(std::string("印发").size());
    const char* approved = document.authority == kCityGovernment ? "已经市人民政府常务会议审议通过"
                                                                 : "已经市人民政府同意";
    body = absl::StrCat(
        Addressee(document, drafter), "\n",
        Paragraph(
            absl::StrCat("《", issued, "》", approved, "，现印发给你们，请结合实际认真贯彻执行。")),
        "\n", issued, "\n\n",
        Paragraph(absl::StrCat("为", area.purpose, "，根据", area.basis,
                               "等有关规定，结合我市实际，制定本方案。")),
        Paragraph("一、工作目标。到2027年底，相关制度机制更加健全，工作流程更加规范，群众获得感、"
                  "满意度进一步提升。"),
        Paragraph(
            absl::StrCat("二、主要任务。（一）", m[0], "。（二）", m[1], "。（三）", m[2], "。")),
        Paragraph("三、保障措施。各地各部门要加强组织领导，明确责任分工，强化督促检查，确保各项任务"
                  "落到实处。实施情况按规定纳入年度绩效考评。"));
  } else if (absl::StrContains(kind, "报告") || kind == "说明") {
    body = absl::StrCat(
        Superior(drafter), "\n",
        Paragraph(absl::StrCat("根据", area.basis, "和市人民政府工作部署，", issuer, "对", subject,
                               "进行了认真梳理总结。现将有关情况", kind == "说明" ? "说明" : "报告",
                               "如下。")),
        Paragraph(absl::StrCat("一、基本情况。", m[0], "，各项工作总体进展顺利。")),
        Paragraph(
            "二、存在的问题。部分地区工作推进不够平衡，基层工作力量较为薄弱，信息化支撑能力有待"
            "提升。"),
        Paragraph(absl::StrCat("三、下一步工作打算。（一）", m[1], "。（二）", m[2], "。")),
        Paragraph(kind == "说明" ? "特此说明。" : "特此报告。"));
  } else if (kind == "请示") {
    body =
        absl::StrCat(Superior(drafter), "\n",
                     Paragraph(absl::StrCat("为", area.purpose, "，根据", area.basis, "，", issuer,
                                            "研究提出了", subject, "。现将有关事项请示如下：")),
                     Paragraph(absl::StrCat("一、", m[0], "。")),
                     Paragraph(absl::StrCat("二、", m[2], "。")), Paragraph("妥否，请批示。"));
  } else if (kind == "批复") {
    body = absl::StrCat(Paragraph(absl::StrCat("你单位报来的《关于", subject,
                                               "的请示》收悉。经研究，现批复如下：")),
                        Paragraph(absl::StrCat("一、原则同意", subject, "。")),
                        Paragraph(absl::StrCat("二、请按照", area.basis, "的规定，", m[0], "。")),
                        Paragraph(absl::StrCat("三、", m[2], "。")), Paragraph("此复。"));
  } else if (absl::StrContains(kind, "公告") || kind == "公示" || kind == "通报") {
    body = absl::StrCat(
        kind == "通报" ? Addressee(document, drafter) + "\n" : "",
        Paragraph(absl::StrCat("根据", area.basis, "等有关规定，现将", subject, "有关情况", kind,
                               "如下：")),
        Paragraph(absl::StrCat("一、主要内容。", m[0], "。")),
        Paragraph(absl::StrCat("二、有关要求。", m[1], "；", m[2], "。")),
        Paragraph(kind == "公示"
                      ? absl::StrCat("公示期为5个工作日。如有异议，请在公示期内以书面形式向",
                                     issuer, "反映。")
                      : absl::StrCat("特此", kind, "。")));
  } else {
    // 通知, 意见, 细则, 处理意见: the usual three-part notice.
    const std::string verb = absl::StrContains(kind, "意见")   ? "提出如下意见"
                             : absl::StrContains(kind, "细则") ? "制定本细则"
                                                               : "有关事项通知如下";
    body = absl::StrCat(
        Addressee(document, drafter), "\n",
        Paragraph(absl::StrCat("为", area.purpose, "，根据", area.basis,
                               "等有关规定，结合我市实际，现就", subject, verb, "。")),
        Paragraph(
            "一、统一思想认识。各地各部门要充分认识做好此项工作的重要意义，把思想和行动统一"
            "到党中央、国务院和自治区党委、自治区人民政府的决策部署上来，压实工作责任，确保各项"
            "任务按时保质完成。"),
        Paragraph(absl::StrCat("二、突出工作重点。（一）", m[0], "。（二）", m[1], "。（三）", m[2],
                               "。")),
        Paragraph(
            "三、加强组织保障。各地各部门要明确责任分工，强化协同配合，按照《中华人民共和国政"
            "府信息公开条例》和全面推进政务公开工作的要求，及时准确公开相关政府信息，主动回应社"
            "会关切，自觉接受社会监督。"),
        Paragraph(absl::StrCat("本", kind, "自印发之日起施行。执行中遇到的问题，请及时向", issuer,
                               "反馈。")));
  }
  return absl::StrCat(body, "\n", issuer, "\n", Date(index), "\n");
}

}  // namespace gongkai::catalog::demo
