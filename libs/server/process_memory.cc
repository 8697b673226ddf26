#include "libs/server/process_memory.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace gongkai::server {

void LimitMallocArenas() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

void ReleaseFreeMemory() { malloc_trim(0); }

}  // namespace gongkai::server
