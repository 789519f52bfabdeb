// Checks lapack::queriedSize (native/lapack.hpp) on its own: every integer
// size that LAPACK could report through a float32 or float64 work[0] must
// come back at least as large, and ssyevd's own query at n = 8194 (the size
// that failed) must cover its documented minimum 1 + 6n + 2n².
// Built and run by workspace-size.test.ts; prints one JSON line.
#include <cstdio>
#include <cstdint>
#include <random>

#include "../../../native/lapack.hpp"

int main() {
  using effrank::lapack::queriedSize;
  std::mt19937_64 rng(11);
  long checked = 0, belowFloat = 0, short32 = 0, short64 = 0;
  // Integers up to 2^31 − 2^8 (larger ones would not fit lapack_int after rounding up).
  const std::int64_t top = (std::int64_t{1} << 31) - 256;
  for (int i = 0; i < 2000000; ++i) {
    const int bits = 1 + static_cast<int>(rng() % 31);
    std::int64_t x = static_cast<std::int64_t>(rng() % (std::uint64_t{1} << bits)) + 1;
    if (x > top) x = top;
    const float f = static_cast<float>(x);
    if (static_cast<double>(f) < static_cast<double>(x)) ++belowFloat;
    if (queriedSize(f) < x) ++short32;
    if (queriedSize(static_cast<double>(x)) < x) ++short64;
    ++checked;
  }
  bool refused = false;
  try {
    queriedSize(3e9f);
  } catch (const effrank::Error& e) {
    refused = e.code() == effrank::Code::OutOfMemory;
  }
  const lapack_int n = 8194;
  float query = 0;
  lapack_int iquery = 0;
  const int info = LAPACKE_ssyevd_work(LAPACK_COL_MAJOR, 'V', 'U', n, nullptr, n, nullptr, &query, -1, &iquery, -1);
  const long long minimum = 1 + 6LL * n + 2LL * n * n;
  std::printf("{\"checked\":%ld,\"belowFloat\":%ld,\"short32\":%ld,\"short64\":%ld,\"refused\":%s,\"info\":%d,"
              "\"syevdRaw\":%.0f,\"syevdRounded\":%d,\"syevdMinimum\":%lld}\n",
              checked, belowFloat, short32, short64, refused ? "true" : "false", info, static_cast<double>(query),
              static_cast<int>(queriedSize(query)), minimum);
  return 0;
}
