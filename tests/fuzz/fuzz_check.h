// FUZZ_CHECK: a property every input must keep. A violation prints the condition and
// aborts, which libFuzzer reports as a crash with the input saved (crash-<sha1>).
#ifndef GONGKAI_TESTS_FUZZ_FUZZ_CHECK_H_
#define GONGKAI_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                 \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)

#endif  // GONGKAI_TESTS_FUZZ_FUZZ_CHECK_H_
