// Random generators, seeds, CPU threads and CUDA device queries.
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>

#include <cstring>
#include <mutex>

#include "common.h"

#ifdef LTX_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

using namespace ltx;

namespace {
void require_cuda(int32_t idx) {
  if (!at::hasCUDA()) throw std::runtime_error("CUDA is not available (this libltxnative or libtorch is CPU-only)");
  auto n = at::detail::getCUDAHooks().getNumGPUs();
  if (idx < 0 || idx >= n)
    throw std::invalid_argument("cuda:" + std::to_string(idx) + " does not exist (" + std::to_string(n) + " devices)");
}

// The device's default generator. Asked through the Context, which every libtorch from 1.13 on answers the same
// way (CUDAHooksInterface::getDefaultCUDAGenerator was renamed in 2.x).
at::Generator cuda_default_generator(int32_t idx) {
  return at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(idx)));
}

#ifdef LTX_WITH_CUDA
void check(cudaError_t status) {
  if (status != cudaSuccess) throw std::runtime_error(std::string("CUDA: ") + cudaGetErrorString(status));
}
#endif
}  // namespace

extern "C" {

ltx_generator ltx_generator_new(int32_t dev, int32_t idx, uint64_t seed) {
  LTX_GUARD(nullptr, {
    if (dev == LTX_DEV_CPU) return new LtxGenerator{at::make_generator<at::CPUGeneratorImpl>(seed)};
    require_cuda(idx);
    auto gen = cuda_default_generator(idx).clone();
    {
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
    return new LtxGenerator{gen};
  })
}

void ltx_generator_free(ltx_generator g) { delete g; }

void ltx_manual_seed(uint64_t seed) {
  try {
    auto cpu = at::detail::getDefaultCPUGenerator();
    {
      std::lock_guard<std::mutex> lock(cpu.mutex());
      cpu.set_current_seed(seed);
    }
    if (at::hasCUDA()) {
      auto n = at::detail::getCUDAHooks().getNumGPUs();
      for (int i = 0; i < n; i++) {
        auto gen = cuda_default_generator(i);
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_current_seed(seed);
      }
    }
  } catch (const std::exception& e) {
    set_error(e.what());
  }
}

void ltx_set_num_threads(int32_t n) {
  try {
    at::set_num_threads(n);
  } catch (const std::exception& e) {
    set_error(e.what());
  }
}

int32_t ltx_get_num_threads(void) { return at::get_num_threads(); }

int32_t ltx_set_allow_tf32(int32_t allow) {
  LTX_STATUS({
    at::globalContext().setAllowTF32CuBLAS(allow != 0);
    at::globalContext().setAllowTF32CuDNN(allow != 0);
  })
}

int32_t ltx_get_allow_tf32(void) {
  LTX_GUARD(-1, { return at::globalContext().allowTF32CuBLAS() || at::globalContext().allowTF32CuDNN() ? 1 : 0; })
}

int32_t ltx_cuda_is_available(void) { LTX_GUARD(0, { return at::hasCUDA() ? 1 : 0; }) }

int32_t ltx_cuda_device_count(void) {
  LTX_GUARD(0, { return at::hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0; })
}

int32_t ltx_cuda_runtime_version(void) {
  LTX_GUARD(0, { return at::hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().versionCUDART()) : 0; })
}

#ifdef LTX_WITH_CUDA
int32_t ltx_cuda_mem_info(int32_t idx, int64_t* free_bytes, int64_t* total_bytes) {
  LTX_STATUS({
    require_cuda(idx);
    c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(idx));
    size_t f = 0, t = 0;
    check(cudaMemGetInfo(&f, &t));
    *free_bytes = static_cast<int64_t>(f);
    *total_bytes = static_cast<int64_t>(t);
  })
}

int32_t ltx_cuda_synchronize(int32_t idx) {
  LTX_STATUS({
    require_cuda(idx);
    c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(idx));
    check(cudaDeviceSynchronize());
  })
}

int32_t ltx_cuda_empty_cache(void) { LTX_STATUS({ c10::cuda::CUDACachingAllocator::emptyCache(); }) }

int32_t ltx_cuda_memory_stats(int32_t idx, int64_t* allocated, int64_t* reserved, int64_t* peak_allocated) {
  LTX_STATUS({
    require_cuda(idx);
    auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(idx));
    // index 0 is the aggregate over pool types
    *allocated = stats.allocated_bytes[0].current;
    *reserved = stats.reserved_bytes[0].current;
    *peak_allocated = stats.allocated_bytes[0].peak;
  })
}

int32_t ltx_cuda_reset_peak(int32_t idx) {
  LTX_STATUS({
    require_cuda(idx);
    c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(idx));
  })
}

int32_t ltx_cuda_compute_capability(int32_t idx, int32_t* major, int32_t* minor) {
  LTX_STATUS({
    require_cuda(idx);
    cudaDeviceProp prop;
    check(cudaGetDeviceProperties(&prop, idx));
    *major = prop.major;
    *minor = prop.minor;
  })
}

int32_t ltx_cuda_device_name(int32_t idx, char* out, int32_t capacity) {
  LTX_STATUS({
    require_cuda(idx);
    cudaDeviceProp prop;
    check(cudaGetDeviceProperties(&prop, idx));
    std::strncpy(out, prop.name, capacity > 0 ? capacity - 1 : 0);
    if (capacity > 0) out[capacity - 1] = 0;
  })
}
#else
static int32_t no_cuda() {
  set_error("CUDA is not available: libltxnative was built against a CPU-only libtorch (native/build.sh --python/--libtorch)");
  return -1;
}
int32_t ltx_cuda_mem_info(int32_t, int64_t*, int64_t*) { return no_cuda(); }
int32_t ltx_cuda_synchronize(int32_t) { return no_cuda(); }
int32_t ltx_cuda_empty_cache(void) { return 0; }
int32_t ltx_cuda_memory_stats(int32_t, int64_t*, int64_t*, int64_t*) { return no_cuda(); }
int32_t ltx_cuda_reset_peak(int32_t) { return no_cuda(); }
int32_t ltx_cuda_device_name(int32_t, char*, int32_t) { return no_cuda(); }
int32_t ltx_cuda_compute_capability(int32_t, int32_t*, int32_t*) { return no_cuda(); }
#endif

}  // extern "C"
