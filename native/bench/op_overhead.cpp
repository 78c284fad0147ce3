// Baseline for the binding's per-op overhead: the same small ops as `ltx-local bench torch`,
// called from C++ directly. Prints one line per measurement: name, nanoseconds per op.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

template <typename F>
static double ns_per_op(int iterations, F&& body) {
  for (int i = 0; i < iterations / 10; i++) body();  // warm up
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; i++) body();
  auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(end - start).count() / iterations;
}

int main(int argc, char** argv) {
  int iterations = argc > 1 ? std::atoi(argv[1]) : 200000;
  int gemm = argc > 2 ? std::atoi(argv[2]) : 4096;
  auto a = at::ones({4, 4});
  auto b = at::ones({4, 4});
  std::printf("add_4x4 %.1f\n", ns_per_op(iterations, [&] { auto c = a.add(b); }));
  std::printf("mul_scalar_4x4 %.1f\n", ns_per_op(iterations, [&] { auto c = a.mul(2.0); }));
  auto x = at::randn({gemm, gemm});
  auto y = at::randn({gemm, gemm});
  auto c = at::matmul(x, y);
  int reps = 3;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; i++) c = at::matmul(x, y);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / reps;
  std::printf("gemm_%d_gflops %.1f\n", gemm, 2.0 * gemm * gemm * (double)gemm / seconds / 1e9);
  std::printf("threads %d\n", at::get_num_threads());
  return 0;
}
