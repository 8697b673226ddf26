#include "libs/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gongkai::metrics {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Fields of /proc/self/stat after the command name (which may contain spaces).
std::vector<std::string> StatFields() {
  const std::string stat = ReadFile("/proc/self/stat");
  const size_t close = stat.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  while (rest >> field) fields.push_back(field);
  return fields;  // fields[0] is field 3 (state) of proc(5).
}

double BootTimeSeconds() {
  std::istringstream in(ReadFile("/proc/stat"));
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
  }
  return 0;
}

double OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  double n = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // Not counting the descriptor opendir itself holds.
}

CollectedFamily Single(const char* name, const char* help, MetricType type, double value) {
  return CollectedFamily{name, help, type, {}, {CollectedSample{{}, value}}};
}

}  // namespace

void RegisterProcessMetrics(Registry& registry) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double boot = BootTimeSeconds();
  registry.AddCollector([=] {
    std::vector<CollectedFamily> out;
    const std::vector<std::string> f = StatFields();
    // proc(5): utime 14, stime 15, starttime 22, vsize 23, rss 24 → index field-3.
    if (f.size() > 21) {
      out.push_back(Single("process_cpu_seconds_total",
                           "Total user and system CPU time spent in seconds.", MetricType::kCounter,
                           (std::stod(f[11]) + std::stod(f[12])) / ticks));
      out.push_back(Single("process_start_time_seconds",
                           "Start time of the process since unix epoch in seconds.",
                           MetricType::kGauge, boot + std::stod(f[19]) / ticks));
      out.push_back(Single("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                           MetricType::kGauge, std::stod(f[20])));
      out.push_back(Single("process_resident_memory_bytes", "Resident memory size in bytes.",
                           MetricType::kGauge, std::stod(f[21]) * page));
    }
    out.push_back(Single("process_open_fds", "Number of open file descriptors.", MetricType::kGauge,
                         OpenFds()));
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
      out.push_back(Single("process_max_fds", "Maximum number of open file descriptors.",
                           MetricType::kGauge, static_cast<double>(limit.rlim_cur)));
    }
    return out;
  });
}

}  // namespace gongkai::metrics
