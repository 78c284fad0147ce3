// Host-to-device copies off the compute stream, for the streamed plan's transformer blocks: host tensors page-locked
// (pinned) so the DMA engine can read them while kernels run, a stream of libtorch's pool for the copies, and events
// that let the compute stream wait for one block's copies (on the GPU, without blocking the host).
// Only APIs present in libtorch 1.13 and 2.6: c10::cuda::getStreamFromPool, CUDAStreamGuard, c10::Event,
// Tensor::record_stream, Tensor::pin_memory.
#include "common.h"

#ifdef LTX_WITH_CUDA
#include <c10/core/Event.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

using namespace ltx;

struct LtxCopyStream {
#ifdef LTX_WITH_CUDA
  c10::cuda::CUDAStream stream;
#endif
  int32_t device = 0;
};

struct LtxCopyEvent {
#ifdef LTX_WITH_CUDA
  c10::Event event{c10::DeviceType::CUDA};
#endif
  int32_t device = 0;
};

ltx_tensor ltx_pin_memory(ltx_tensor t, int32_t* pinned) {
  LTX_GUARD(nullptr, {
    const auto& src = V(t);
    // Page-locked memory is a CUDA host allocation: with no CUDA device it cannot exist, and nothing would gain from it.
    bool can = at::hasCUDA() && src.device().is_cpu();
    if (pinned) *pinned = can ? 1 : 0;
    return wrap_like(can ? (src.is_pinned() ? src : src.pin_memory()) : src, t);
  })
}

int32_t ltx_is_pinned(ltx_tensor t) {
  LTX_GUARD(-1, { return at::hasCUDA() && V(t).device().is_cpu() && V(t).is_pinned() ? 1 : 0; })
}

#ifdef LTX_WITH_CUDA
ltx_copy_stream ltx_copy_stream_new(int32_t idx) {
  LTX_GUARD(nullptr, {
    if (!at::hasCUDA()) throw std::runtime_error("a copy stream needs a CUDA device; none is available");
    auto stream = c10::cuda::getStreamFromPool(false, static_cast<c10::DeviceIndex>(idx));
    return new LtxCopyStream{stream, idx};
  })
}

ltx_tensor ltx_copy_stream_to(ltx_copy_stream s, ltx_tensor t, int32_t dtype) {
  LTX_GUARD(nullptr, {
    if (!s) throw std::invalid_argument("copy stream is null (disposed?)");
    const auto& src = V(t);
    at::ScalarType type;
    if (!LTX_NATIVE_FP8 && (t->fp8 >= 0 || is_fp8_code(dtype))) {
      if (t->fp8 != dtype) throw std::invalid_argument("a copy stream moves float8 bytes as they are; convert with To(dtype) first");
      type = at::kByte;
    } else {
      type = scalar_type(dtype);
    }
    auto target = at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(s->device));
    // The stream that will compute with the copy: current on the device before the guard switches it.
    auto compute = c10::cuda::getCurrentCUDAStream(static_cast<c10::DeviceIndex>(s->device));
    at::Tensor copy;
    {
      c10::cuda::CUDAStreamGuard guard(s->stream);
      copy = src.to(target, type, /*non_blocking=*/true, /*copy=*/true);
    }
    // Allocated on the copy stream, used on the compute stream: the caching allocator must not hand the memory back to
    // the copy stream before the compute that reads it has run.
    copy.record_stream(compute);
    return wrap_like(copy, t);
  })
}

ltx_copy_event ltx_copy_stream_record(ltx_copy_stream s) {
  LTX_GUARD(nullptr, {
    if (!s) throw std::invalid_argument("copy stream is null (disposed?)");
    auto* e = new LtxCopyEvent();
    e->device = s->device;
    e->event.record(s->stream.unwrap());
    return e;
  })
}

int32_t ltx_copy_event_wait(ltx_copy_event e) {
  LTX_STATUS({
    if (!e) throw std::invalid_argument("copy event is null (disposed?)");
    e->event.block(c10::cuda::getCurrentCUDAStream(static_cast<c10::DeviceIndex>(e->device)).unwrap());
  })
}
#else
static void no_copy_stream() {
  throw std::runtime_error("a copy stream needs CUDA: libltxnative was built against a CPU-only libtorch (native/build.sh --python/--libtorch)");
}
ltx_copy_stream ltx_copy_stream_new(int32_t) { LTX_GUARD(nullptr, { no_copy_stream(); }) }
ltx_tensor ltx_copy_stream_to(ltx_copy_stream, ltx_tensor, int32_t) { LTX_GUARD(nullptr, { no_copy_stream(); }) }
ltx_copy_event ltx_copy_stream_record(ltx_copy_stream) { LTX_GUARD(nullptr, { no_copy_stream(); }) }
int32_t ltx_copy_event_wait(ltx_copy_event) { LTX_GUARD(-1, { no_copy_stream(); }) }
#endif

void ltx_copy_stream_free(ltx_copy_stream s) { delete s; }
void ltx_copy_event_free(ltx_copy_event e) { delete e; }
