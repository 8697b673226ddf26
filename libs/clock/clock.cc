#include "libs/clock/clock.h"

namespace gongkai {

absl::TimeZone ShanghaiTimeZone() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone tz;
    if (absl::LoadTimeZone("Asia/Shanghai", &tz)) return tz;
    return absl::FixedTimeZone(8 * 60 * 60);
  }();
  return zone;
}

}  // namespace gongkai
