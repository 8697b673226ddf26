#include "services/consultation/statement_delivery.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gongkai::consultation {
namespace {

constexpr char kKeyPrefix[] = "feedback-statement/";

std::string DecisionText(v1::FeedbackDecision decision) {
  switch (decision) {
    case v1::ADOPTED:
      return "采纳";
    case v1::PARTLY_ADOPTED:
      return "部分采纳";
    case v1::NOT_ADOPTED:
      return "未采纳";
    default:
      return "未决定";
  }
}

std::string DateText(const common::v1::Date& date) {
  return absl::StrCat(date.year(), "年", date.month(), "月", date.day(), "日");
}

}  // namespace

std::string StatementEventKey(int64_t meeting_id, int64_t consultation_id) {
  return absl::StrCat(kKeyPrefix, meeting_id, "/", consultation_id);
}

std::optional<StatementEventIds> ParseStatementEventKey(absl::string_view key) {
  if (!absl::ConsumePrefix(&key, kKeyPrefix)) return std::nullopt;
  std::vector<absl::string_view> parts = absl::StrSplit(key, '/');
  StatementEventIds ids;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &ids.meeting_id) ||
      !absl::SimpleAtoi(parts[1], &ids.consultation_id) || ids.meeting_id <= 0 ||
      ids.consultation_id <= 0) {
    return std::nullopt;
  }
  return ids;
}

catalog::v1::CreateDocumentRequest StatementDocumentRequest(const v1::MeetingPlan& meeting,
                                                            const v1::FeedbackStatement& statement,
                                                            const std::string& request_id,
                                                            size_t max_body_bytes) {
  std::string body = absl::StrCat(
      statement.title(), "\n\n本说明附于会议方案《", meeting.title(), "》（",
      DateText(meeting.meeting_on()), "，会议方案编号 ", meeting.id(),
      "），供会议决定该事项时参阅。\n\n征求意见期间共收到意见 ", statement.comment_count(),
      " 条，其中采纳 ", statement.adopted_count(), " 条，部分采纳 ",
      statement.partly_adopted_count(), " 条，未采纳 ", statement.not_adopted_count(),
      " 条（内容相同或相近的意见合并答复，每条均计入）。\n");
  int listed = 0;
  for (const v1::FeedbackEntry& entry : statement.entries()) {
    std::string line = absl::StrCat(
        "\n", listed + 1, ". 意见人：", entry.commenters(),
        entry.member_count() > 1 ? absl::StrCat("（同类意见 ", entry.member_count(), " 条）") : "",
        "\n意见：", entry.comment(), "\n处理：", DecisionText(entry.decision()));
    if (!entry.reason().empty()) absl::StrAppend(&line, "。理由：", entry.reason());
    line += "\n";
    if (body.size() + line.size() > max_body_bytes) {
      absl::StrAppend(&body, "\n另有 ", statement.entries_size() - listed,
                      " 项意见及其处理情况见征求意见平台公布的采纳情况说明。\n");
      break;
    }
    body += line;
    ++listed;
  }
  catalog::v1::CreateDocumentRequest request;
  request.set_request_id(request_id);
  catalog::v1::Document* document = request.mutable_document();
  document->set_title(statement.title());
  document->set_body(std::move(body));
  document->set_drafting_unit_id(meeting.unit_id());
  document->set_issuing_authority(catalog::v1::DEPARTMENT);
  document->set_disclosure_attribute(catalog::v1::PROACTIVE);
  return request;
}

}  // namespace gongkai::consultation
