#include "libs/db/sql_splitter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gongkai::db {
namespace {

bool IsSpace(char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }

class Splitter {
 public:
  explicit Splitter(absl::string_view script) : s_(script) {}

  absl::StatusOr<std::vector<SqlStatement>> Run() {
    bool has_code = false;  // The current piece has something besides comments/space.
    size_t code_start = 0;  // Offset and line of its first code character.
    int code_line = 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\'' || c == '"' || c == '`') {
        if (!has_code) MarkCode(&has_code, &code_start, &code_line);
        absl::Status status = SkipQuoted(c);
        if (!status.ok()) return status;
      } else if (c == '#' ||
                 (c == '-' && Peek(1) == '-' && (pos_ + 2 >= s_.size() || IsSpace(s_[pos_ + 2])))) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '/' && Peek(1) == '*') {
        const bool executable = Peek(2) == '!';  // /*! ... */ is code to MySQL.
        if (executable && !has_code) MarkCode(&has_code, &code_start, &code_line);
        absl::Status status = SkipBlockComment();
        if (!status.ok()) return status;
      } else if (c == ';') {
        if (has_code) Emit(code_start, pos_, code_line);
        ++pos_;
        has_code = false;
      } else {
        if (!IsSpace(c) && !has_code) MarkCode(&has_code, &code_start, &code_line);
        if (c == '\n') ++line_;
        ++pos_;
      }
    }
    if (has_code) Emit(code_start, s_.size(), code_line);
    return std::move(out_);
  }

 private:
  char Peek(size_t ahead) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }

  void MarkCode(bool* has_code, size_t* code_start, int* code_line) const {
    *has_code = true;
    *code_start = pos_;
    *code_line = line_;
  }

  // At an opening quote; moves past the closing one.
  absl::Status SkipQuoted(char quote) {
    const int opened_at = line_;
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') ++line_;
      if (c == '\\' && quote != '`') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++line_;
        pos_ += 2;
        continue;
      }
      if (c == quote) {
        if (Peek(1) == quote) {  // Doubled quote: a literal quote character.
          pos_ += 2;
          continue;
        }
        ++pos_;
        return absl::OkStatus();
      }
      ++pos_;
    }
    const char* what = quote == '`' ? "quoted identifier" : "string literal";
    return absl::InvalidArgumentError(absl::StrCat(
        "unterminated ", what, " (", std::string(1, quote), ") opened on line ", opened_at));
  }

  absl::Status SkipBlockComment() {
    const int opened_at = line_;
    pos_ += 2;
    while (pos_ < s_.size()) {
      if (s_[pos_] == '*' && Peek(1) == '/') {
        pos_ += 2;
        return absl::OkStatus();
      }
      if (s_[pos_] == '\n') ++line_;
      ++pos_;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("unterminated /* comment opened on line ", opened_at));
  }

  void Emit(size_t begin, size_t end, int code_line) {
    absl::string_view text = absl::StripAsciiWhitespace(s_.substr(begin, end - begin));
    out_.push_back(SqlStatement{std::string(text), code_line});
  }

  absl::string_view s_;
  size_t pos_ = 0;
  int line_ = 1;
  std::vector<SqlStatement> out_;
};

}  // namespace

absl::StatusOr<std::vector<SqlStatement>> SplitSqlStatements(absl::string_view script) {
  return Splitter(script).Run();
}

}  // namespace gongkai::db
