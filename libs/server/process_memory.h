// glibc malloc settings for a long-running server process (issue 14, P4: each process
// ≤ 20 MiB resident idle, ≤ 64 MiB under load; docs/performance.md).
#ifndef GONGKAI_LIBS_SERVER_PROCESS_MEMORY_H_
#define GONGKAI_LIBS_SERVER_PROCESS_MEMORY_H_

namespace gongkai::server {

// glibc gives each thread that allocates an arena of its own, up to 8 per core, and
// keeps every arena's freed pages: gRPC's pollers and handler threads (10–20 after a
// burst) end up holding one heap each. One arena per core is what they need. Call first
// in main(), before any thread starts; MALLOC_ARENA_MAX in the environment still wins.
void LimitMallocArenas();

// Returns the free pages of every arena to the kernel (malloc_trim(0)): start-up
// (descriptor pools, migrations, rule sets) and a burst of calls leave free memory
// below the top of the heap, which glibc keeps resident until asked. Frees only memory
// that is free; nothing in use is paged out.
void ReleaseFreeMemory();

}  // namespace gongkai::server

#endif  // GONGKAI_LIBS_SERVER_PROCESS_MEMORY_H_
