// Early-return helpers for absl::Status and absl::StatusOr<T>.
//
// Abseil 20220623 (the Debian version) does not ship status macros, so these give the
// same meaning as the ones in newer Abseil and google-cloud-cpp:
//
//   absl::StatusOr<Document> Load(int64_t id) {
//     RETURN_IF_ERROR(CheckId(id));
//     ASSIGN_OR_RETURN(auto row, repo.Find(id));
//     return ToDocument(row);
//   }
#ifndef GONGKAI_LIBS_STATUS_STATUS_MACROS_H_
#define GONGKAI_LIBS_STATUS_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GONGKAI_STATUS_CONCAT_INNER_(a, b) a##b
#define GONGKAI_STATUS_CONCAT_(a, b) GONGKAI_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                                         \
  do {                                                                \
    const ::absl::Status gongkai_status_ = ::gongkai::ToStatus(expr); \
    if (!gongkai_status_.ok()) return gongkai_status_;                \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, otherwise
// moves the value into `lhs`, which may be a declaration (`auto x`) or an lvalue.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  GONGKAI_ASSIGN_OR_RETURN_IMPL_(GONGKAI_STATUS_CONCAT_(gongkai_statusor_, __LINE__), lhs, rexpr)

#define GONGKAI_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = std::move(statusor).value()

namespace gongkai {

inline const absl::Status& ToStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& ToStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace gongkai

#endif  // GONGKAI_LIBS_STATUS_STATUS_MACROS_H_
