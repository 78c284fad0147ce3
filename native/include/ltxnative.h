/*
 * libltxnative: a flat C ABI over libtorch's ATen for LtxLocal.Torch (C#, P/Invoke).
 *
 * Conventions
 *  - Tensors are opaque handles (ltx_tensor). Every function that creates one returns a new handle
 *    the caller owns and frees with ltx_tensor_free. Input handles are borrowed.
 *  - No C++ exception crosses this boundary. A function that fails returns NULL (handle results)
 *    or a non-zero status (int results) and leaves a thread-local message in ltx_last_error().
 *  - Shapes and dimension lists are (const int64_t* values, int32_t count).
 *  - dtype codes are LTX_DT_*, devices are (type LTX_DEV_*, index).
 *  - Optional tensors are NULL; optional scalars come with a has_* flag.
 */
#ifndef LTXNATIVE_H
#define LTXNATIVE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LTX_API __attribute__((visibility("default")))

typedef struct LtxTensor* ltx_tensor;
typedef struct LtxGenerator* ltx_generator;

enum {
  LTX_DT_FLOAT32 = 0, LTX_DT_FLOAT16 = 1, LTX_DT_BFLOAT16 = 2, LTX_DT_FLOAT8_E4M3FN = 3,
  LTX_DT_FLOAT8_E5M2 = 4, LTX_DT_INT64 = 5, LTX_DT_INT32 = 6, LTX_DT_UINT8 = 7, LTX_DT_BOOL = 8,
  LTX_DT_FLOAT64 = 9, LTX_DT_INT16 = 10, LTX_DT_INT8 = 11
};
enum { LTX_DEV_CPU = 0, LTX_DEV_CUDA = 1, LTX_DEV_META = 2 };

/* ---- errors, version ---- */
LTX_API const char* ltx_last_error(void);
LTX_API const char* ltx_torch_version(void);
LTX_API int32_t ltx_float8_is_native(void);
LTX_API int32_t ltx_has_fused_sdpa(void);
/* 1 when this library was built against a CUDA libtorch (whether or not a GPU is present now). */
LTX_API int32_t ltx_cuda_compiled(void);
/* 1 when this libtorch's oneDNN computes CPU convolutions right; 0 when a one-time check found it wrong and the shim
   switched oneDNN off (ATen's own kernels run instead: Debian 13's libtorch 2.6); -1 on error. */
LTX_API int32_t ltx_cpu_onednn_conv_ok(void);

/* ---- lifetime and properties ---- */
LTX_API void ltx_tensor_free(ltx_tensor t);
LTX_API int32_t ltx_tensor_ndim(ltx_tensor t);
LTX_API int32_t ltx_tensor_shape(ltx_tensor t, int64_t* out, int32_t capacity);
LTX_API int32_t ltx_tensor_strides(ltx_tensor t, int64_t* out, int32_t capacity);
LTX_API int32_t ltx_tensor_dtype(ltx_tensor t);
LTX_API int32_t ltx_tensor_device(ltx_tensor t, int32_t* type, int32_t* index);
LTX_API int64_t ltx_tensor_numel(ltx_tensor t);
LTX_API int32_t ltx_tensor_is_contiguous(ltx_tensor t);
LTX_API void* ltx_tensor_data_ptr(ltx_tensor t);
/* Printable summary incl. values (for debugging); caller frees with ltx_string_free. */
LTX_API char* ltx_tensor_repr(ltx_tensor t);
LTX_API void ltx_string_free(char* s);

/* ---- creation ---- */
LTX_API ltx_tensor ltx_empty(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx);
LTX_API ltx_tensor ltx_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype, int32_t dev, int32_t idx);
LTX_API ltx_tensor ltx_arange(double start, double end, double step, int32_t dtype, int32_t dev, int32_t idx);
LTX_API ltx_tensor ltx_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t dev, int32_t idx);
LTX_API ltx_tensor ltx_randn(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx, ltx_generator gen);
LTX_API ltx_tensor ltx_rand(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx, ltx_generator gen);
/* Copies nbytes of host memory into a new CPU tensor. */
LTX_API ltx_tensor ltx_from_data(const void* data, const int64_t* shape, int32_t ndim, int32_t dtype);
/* A CPU tensor viewing host memory without copying; the memory must outlive every view of it. */
LTX_API ltx_tensor ltx_from_blob(void* data, const int64_t* shape, int32_t ndim, int32_t dtype);
/* Copies a CPU tensor's bytes (contiguous order) into out (nbytes = numel * element size). */
LTX_API int32_t ltx_copy_to_host(ltx_tensor t, void* out, int64_t nbytes);
LTX_API int32_t ltx_item(ltx_tensor t, double* out);
LTX_API int32_t ltx_item_int64(ltx_tensor t, int64_t* out); /* exact for integer tensors */
LTX_API ltx_tensor ltx_to(ltx_tensor t, int32_t dtype, int32_t dev, int32_t idx, int32_t non_blocking, int32_t copy);
LTX_API int32_t ltx_copy_(ltx_tensor dst, ltx_tensor src);
LTX_API ltx_tensor ltx_clone(ltx_tensor t);
LTX_API ltx_tensor ltx_alias(ltx_tensor t); /* a new handle to the same tensor */

/* ---- generators, seeds, threads, devices ---- */
LTX_API ltx_generator ltx_generator_new(int32_t dev, int32_t idx, uint64_t seed);
LTX_API void ltx_generator_free(ltx_generator g);
LTX_API void ltx_manual_seed(uint64_t seed);
LTX_API void ltx_set_num_threads(int32_t n);
LTX_API int32_t ltx_get_num_threads(void);
/* TF32 for float32 matmuls and convolutions on CUDA (cuBLAS and cuDNN); parity checks turn it off. */
LTX_API int32_t ltx_set_allow_tf32(int32_t allow);
LTX_API int32_t ltx_get_allow_tf32(void);
LTX_API int32_t ltx_cuda_is_available(void);
LTX_API int32_t ltx_cuda_device_count(void);
/* The CUDA runtime version libtorch was built with (12040 = 12.4); 0 when this libtorch has no CUDA. */
LTX_API int32_t ltx_cuda_runtime_version(void);
LTX_API int32_t ltx_cuda_mem_info(int32_t idx, int64_t* free_bytes, int64_t* total_bytes);
LTX_API int32_t ltx_cuda_synchronize(int32_t idx);
LTX_API int32_t ltx_cuda_empty_cache(void);
LTX_API int32_t ltx_cuda_memory_stats(int32_t idx, int64_t* allocated, int64_t* reserved, int64_t* peak_allocated);
LTX_API int32_t ltx_cuda_reset_peak(int32_t idx);
LTX_API int32_t ltx_cuda_device_name(int32_t idx, char* out, int32_t capacity);
LTX_API int32_t ltx_cuda_compute_capability(int32_t idx, int32_t* major, int32_t* minor);

/* ---- views and shape ops ---- */
LTX_API ltx_tensor ltx_reshape(ltx_tensor t, const int64_t* shape, int32_t ndim);
LTX_API ltx_tensor ltx_view(ltx_tensor t, const int64_t* shape, int32_t ndim);
LTX_API ltx_tensor ltx_permute(ltx_tensor t, const int64_t* dims, int32_t ndim);
LTX_API ltx_tensor ltx_transpose(ltx_tensor t, int64_t d0, int64_t d1);
LTX_API ltx_tensor ltx_narrow(ltx_tensor t, int64_t dim, int64_t start, int64_t length);
LTX_API ltx_tensor ltx_slice(ltx_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step);
LTX_API ltx_tensor ltx_select(ltx_tensor t, int64_t dim, int64_t index);
LTX_API ltx_tensor ltx_index_select(ltx_tensor t, int64_t dim, ltx_tensor index);
LTX_API ltx_tensor ltx_gather(ltx_tensor t, int64_t dim, ltx_tensor index);
LTX_API ltx_tensor ltx_cat(const ltx_tensor* ts, int32_t n, int64_t dim);
LTX_API ltx_tensor ltx_stack(const ltx_tensor* ts, int32_t n, int64_t dim);
/* split_with_sizes / chunk: writes up to capacity handles to out, returns the count (or -1). */
LTX_API int32_t ltx_split(ltx_tensor t, const int64_t* sizes, int32_t nsizes, int64_t dim, ltx_tensor* out, int32_t capacity);
LTX_API int32_t ltx_chunk(ltx_tensor t, int64_t chunks, int64_t dim, ltx_tensor* out, int32_t capacity);
LTX_API ltx_tensor ltx_expand(ltx_tensor t, const int64_t* shape, int32_t ndim);
LTX_API ltx_tensor ltx_repeat(ltx_tensor t, const int64_t* repeats, int32_t ndim);
LTX_API ltx_tensor ltx_repeat_interleave(ltx_tensor t, int64_t repeats, int64_t dim);
LTX_API ltx_tensor ltx_squeeze(ltx_tensor t, int64_t dim, int32_t all);
LTX_API ltx_tensor ltx_unsqueeze(ltx_tensor t, int64_t dim);
LTX_API ltx_tensor ltx_flatten(ltx_tensor t, int64_t start, int64_t end);
LTX_API ltx_tensor ltx_contiguous(ltx_tensor t);
LTX_API ltx_tensor ltx_flip(ltx_tensor t, const int64_t* dims, int32_t ndim);
LTX_API ltx_tensor ltx_roll(ltx_tensor t, const int64_t* shifts, const int64_t* dims, int32_t n);
LTX_API ltx_tensor ltx_tril(ltx_tensor t, int64_t diagonal, int32_t upper);
LTX_API ltx_tensor ltx_scatter(ltx_tensor t, int64_t dim, ltx_tensor index, ltx_tensor src);
LTX_API ltx_tensor ltx_nonzero(ltx_tensor t);
LTX_API ltx_tensor ltx_sort(ltx_tensor t, int64_t dim, int32_t descending, int32_t stable, ltx_tensor* indices);
LTX_API ltx_tensor ltx_topk(ltx_tensor t, int64_t k, int64_t dim, int32_t largest, ltx_tensor* indices);
LTX_API ltx_tensor ltx_multinomial(ltx_tensor probs, int64_t n, int32_t replacement, ltx_generator gen);

/* ---- elementwise ---- */
enum {
  LTX_U_NEG = 0, LTX_U_ABS, LTX_U_SIGN, LTX_U_SQRT, LTX_U_RSQRT, LTX_U_EXP, LTX_U_LOG, LTX_U_SIN, LTX_U_COS,
  LTX_U_TANH, LTX_U_SIGMOID, LTX_U_SILU, LTX_U_GELU, LTX_U_GELU_TANH, LTX_U_RELU, LTX_U_SOFTPLUS,
  LTX_U_FLOOR, LTX_U_CEIL, LTX_U_ROUND, LTX_U_RECIPROCAL, LTX_U_SQUARE, LTX_U_LOG1P, LTX_U_EXPM1,
  LTX_U_ERF, LTX_U_LOGICAL_NOT, LTX_U_ISNAN, LTX_U_ISFINITE, LTX_U_TRUNC, LTX_U_LOG2, LTX_U_MISH
};
enum {
  LTX_B_ADD = 0, LTX_B_SUB, LTX_B_MUL, LTX_B_DIV, LTX_B_POW, LTX_B_MAXIMUM, LTX_B_MINIMUM, LTX_B_EQ, LTX_B_NE,
  LTX_B_LT, LTX_B_LE, LTX_B_GT, LTX_B_GE, LTX_B_LOGICAL_AND, LTX_B_LOGICAL_OR, LTX_B_REMAINDER,
  LTX_B_ATAN2, LTX_B_FLOOR_DIVIDE, LTX_B_RSUB
};
/* inplace != 0 writes into t (and returns a new handle to it). */
LTX_API ltx_tensor ltx_unary(int32_t op, ltx_tensor t, int32_t inplace);
LTX_API ltx_tensor ltx_binary(int32_t op, ltx_tensor a, ltx_tensor b, int32_t inplace);
LTX_API ltx_tensor ltx_binary_scalar(int32_t op, ltx_tensor a, double b, int32_t inplace);
LTX_API ltx_tensor ltx_leaky_relu(ltx_tensor t, double slope);
LTX_API ltx_tensor ltx_softplus(ltx_tensor t, double beta, double threshold);
LTX_API ltx_tensor ltx_clamp(ltx_tensor t, int32_t has_min, double min, int32_t has_max, double max, int32_t inplace);
LTX_API ltx_tensor ltx_where(ltx_tensor cond, ltx_tensor a, ltx_tensor b);
LTX_API ltx_tensor ltx_masked_fill(ltx_tensor t, ltx_tensor mask, double value, int32_t inplace);
/* a + alpha * b * c (addcmul) and lerp; used by schedulers and guiders */
LTX_API ltx_tensor ltx_addcmul(ltx_tensor a, ltx_tensor b, ltx_tensor c, double value);
LTX_API ltx_tensor ltx_lerp(ltx_tensor a, ltx_tensor b, double weight);

/* ---- reductions ---- */
enum {
  LTX_R_SUM = 0, LTX_R_MEAN, LTX_R_AMAX, LTX_R_AMIN, LTX_R_PROD, LTX_R_VAR, LTX_R_STD, LTX_R_ARGMAX,
  LTX_R_ARGMIN, LTX_R_CUMSUM, LTX_R_ALL, LTX_R_ANY, LTX_R_LOGSUMEXP, LTX_R_NORM
};
/* ndims == 0 reduces over everything (argmax/argmin/cumsum need exactly one dim).
   correction applies to var/std (1 = unbiased, 0 = population); norm uses it as p. */
LTX_API ltx_tensor ltx_reduce(int32_t op, ltx_tensor t, const int64_t* dims, int32_t ndims, int32_t keepdim, double correction);

/* ---- linear algebra and nn ---- */
LTX_API ltx_tensor ltx_matmul(ltx_tensor a, ltx_tensor b);
LTX_API ltx_tensor ltx_bmm(ltx_tensor a, ltx_tensor b);
LTX_API ltx_tensor ltx_baddbmm(ltx_tensor self, ltx_tensor a, ltx_tensor b, double beta, double alpha);
LTX_API ltx_tensor ltx_linear(ltx_tensor x, ltx_tensor w, ltx_tensor bias);
/* Linear with float8-stored weights: x @ w^T * scale_x * scale_w (+ bias), result in out_dtype.
   The weight (and bias) are upcast to out_dtype for this call; no fused float8 GEMM is used. */
LTX_API ltx_tensor ltx_scaled_linear(ltx_tensor x, ltx_tensor w, ltx_tensor scale_x, ltx_tensor scale_w, ltx_tensor bias, int32_t out_dtype);
LTX_API ltx_tensor ltx_conv(ltx_tensor x, ltx_tensor w, ltx_tensor bias, const int64_t* stride, const int64_t* padding,
                            const int64_t* dilation, const int64_t* output_padding, int32_t spatial, int32_t transposed, int64_t groups);
LTX_API ltx_tensor ltx_group_norm(ltx_tensor x, int64_t groups, ltx_tensor w, ltx_tensor b, double eps);
LTX_API ltx_tensor ltx_layer_norm(ltx_tensor x, const int64_t* shape, int32_t ndim, ltx_tensor w, ltx_tensor b, double eps);
/* x * rsqrt(mean(x^2, last dim) + eps) * w, accumulated in float32 for reduced precision inputs. */
LTX_API ltx_tensor ltx_rms_norm(ltx_tensor x, ltx_tensor w, double eps);
/* mode: 0 constant, 1 reflect, 2 replicate, 3 circular; pad is torch's (last dim first) list. */
LTX_API ltx_tensor ltx_pad(ltx_tensor x, const int64_t* pad, int32_t npad, int32_t mode, double value);
/* mode: 0 nearest, 1 linear (bi/tri by rank), 2 nearest-exact; sizes for the trailing spatial dims. */
LTX_API ltx_tensor ltx_interpolate(ltx_tensor x, const int64_t* size, int32_t nsize, int32_t mode, int32_t align_corners);
LTX_API ltx_tensor ltx_pixel_shuffle(ltx_tensor x, int64_t factor, int32_t inverse);
LTX_API ltx_tensor ltx_softmax(ltx_tensor x, int64_t dim, int32_t log);
LTX_API ltx_tensor ltx_embedding(ltx_tensor weight, ltx_tensor ids);
/* q,k,v [..., L, E]; mask bool (true = attend) or additive float, broadcastable to [..., Lq, Lk]; scale <= 0 = 1/sqrt(E). */
LTX_API ltx_tensor ltx_sdpa(ltx_tensor q, ltx_tensor k, ltx_tensor v, ltx_tensor mask, int32_t is_causal, double scale);

/* ---- float8 helpers (also used by the emulation on libtorch without float8 dtypes) ---- */
LTX_API float ltx_fp8_to_float(uint8_t bits, int32_t dtype);
LTX_API uint8_t ltx_float_to_fp8(float value, int32_t dtype);

/* ---- tokenizer: SentencePiece (libsentencepiece) ---- */
typedef struct LtxSpm* ltx_spm;
/* Loads a SentencePiece model file / serialized proto; NULL on failure. Free with ltx_spm_free. */
LTX_API ltx_spm ltx_spm_load(const char* path);
LTX_API ltx_spm ltx_spm_load_bytes(const char* data, int64_t length);
LTX_API void ltx_spm_free(ltx_spm p);
LTX_API int32_t ltx_spm_vocab_size(ltx_spm p);
/* which: 0 unk, 1 bos, 2 eos, 3 pad; -1 when the model has none, -2 on error. */
LTX_API int32_t ltx_spm_special_id(ltx_spm p, int32_t which);
LTX_API int32_t ltx_spm_piece_to_id(ltx_spm p, const char* piece);
/* 0 normal/user-defined, 1 control, 2 unknown, 3 byte, 4 unused; -1 on error. */
LTX_API int32_t ltx_spm_id_kind(ltx_spm p, int32_t id);
/* Returned strings are malloc'ed UTF-8: free with ltx_string_free. */
LTX_API char* ltx_spm_id_to_piece(ltx_spm p, int32_t id);
/* Encodes `length` bytes of UTF-8; writes at most `capacity` ids and returns how many there are (-1 on error). */
LTX_API int32_t ltx_spm_encode(ltx_spm p, const char* text, int64_t length, int32_t* ids, int32_t capacity);
LTX_API char* ltx_spm_decode(ltx_spm p, const int32_t* ids, int32_t count);

#ifdef __cplusplus
}
#endif
#endif
