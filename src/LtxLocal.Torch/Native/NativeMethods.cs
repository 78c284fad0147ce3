using System.Runtime.InteropServices;

namespace LtxLocal.Torch.Native;

/// <summary>The C ABI of native/include/ltxnative.h. Handle results are invalid on failure (see TorchException).</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Lib = "ltxnative";

    static NativeMethods() => NativeLibraryLoader.Register();

    [LibraryImport(Lib)] internal static partial IntPtr ltx_last_error();
    [LibraryImport(Lib)] internal static partial IntPtr ltx_torch_version();
    [LibraryImport(Lib)] internal static partial int ltx_float8_is_native();
    [LibraryImport(Lib)] internal static partial int ltx_has_fused_sdpa();
    [LibraryImport(Lib)] internal static partial int ltx_cuda_compiled();
    [LibraryImport(Lib)] internal static partial int ltx_cpu_onednn_conv_ok();

    [LibraryImport(Lib)] internal static partial void ltx_tensor_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ltx_tensor_ndim(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ltx_tensor_shape(TensorHandle t, long* shape, int capacity);
    [LibraryImport(Lib)] internal static partial int ltx_tensor_strides(TensorHandle t, long* strides, int capacity);
    [LibraryImport(Lib)] internal static partial int ltx_tensor_dtype(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ltx_tensor_device(TensorHandle t, out int type, out int index);
    [LibraryImport(Lib)] internal static partial long ltx_tensor_numel(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int ltx_tensor_is_contiguous(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr ltx_tensor_data_ptr(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr ltx_tensor_repr(TensorHandle t);
    [LibraryImport(Lib)] internal static partial void ltx_string_free(IntPtr s);

    [LibraryImport(Lib)] internal static partial TensorHandle ltx_empty(long* shape, int ndim, int dtype, int dev, int idx);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_full(long* shape, int ndim, double value, int dtype, int dev, int idx);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_arange(double start, double end, double step, int dtype, int dev, int idx);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_linspace(double start, double end, long steps, int dtype, int dev, int idx);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_randn(long* shape, int ndim, int dtype, int dev, int idx, GeneratorHandle gen);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_rand(long* shape, int ndim, int dtype, int dev, int idx, GeneratorHandle gen);
    [LibraryImport(Lib, EntryPoint = "ltx_randn")] internal static partial TensorHandle ltx_randn_default(long* shape, int ndim, int dtype, int dev, int idx, IntPtr gen);
    [LibraryImport(Lib, EntryPoint = "ltx_rand")] internal static partial TensorHandle ltx_rand_default(long* shape, int ndim, int dtype, int dev, int idx, IntPtr gen);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_from_data(void* data, long* shape, int ndim, int dtype);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_from_blob(void* data, long* shape, int ndim, int dtype);
    [LibraryImport(Lib)] internal static partial int ltx_copy_to_host(TensorHandle t, void* output, long nbytes);
    [LibraryImport(Lib)] internal static partial int ltx_item(TensorHandle t, out double value);
    [LibraryImport(Lib)] internal static partial int ltx_item_int64(TensorHandle t, out long value);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_to(TensorHandle t, int dtype, int dev, int idx, int nonBlocking, int copy);
    [LibraryImport(Lib)] internal static partial int ltx_copy_(TensorHandle dst, TensorHandle src);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_clone(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_alias(TensorHandle t);

    [LibraryImport(Lib)] internal static partial GeneratorHandle ltx_generator_new(int dev, int idx, ulong seed);
    [LibraryImport(Lib)] internal static partial void ltx_generator_free(IntPtr g);
    [LibraryImport(Lib)] internal static partial void ltx_manual_seed(ulong seed);
    [LibraryImport(Lib)] internal static partial void ltx_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int ltx_get_num_threads();
    [LibraryImport(Lib)] internal static partial int ltx_set_allow_tf32(int allow);
    [LibraryImport(Lib)] internal static partial int ltx_get_allow_tf32();
    [LibraryImport(Lib)] internal static partial int ltx_cuda_is_available();
    [LibraryImport(Lib)] internal static partial int ltx_cuda_device_count();
    [LibraryImport(Lib)] internal static partial int ltx_cuda_runtime_version();
    [LibraryImport(Lib)] internal static partial int ltx_cuda_mem_info(int idx, out long free, out long total);
    [LibraryImport(Lib)] internal static partial int ltx_cuda_synchronize(int idx);
    [LibraryImport(Lib)] internal static partial int ltx_cuda_empty_cache();
    [LibraryImport(Lib)] internal static partial int ltx_cuda_memory_stats(int idx, out long allocated, out long reserved, out long peak);
    [LibraryImport(Lib)] internal static partial int ltx_cuda_reset_peak(int idx);
    [LibraryImport(Lib)] internal static partial int ltx_cuda_device_name(int idx, byte* output, int capacity);
    [LibraryImport(Lib)] internal static partial int ltx_cuda_compute_capability(int idx, out int major, out int minor);

    [LibraryImport(Lib)] internal static partial TensorHandle ltx_reshape(TensorHandle t, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_view(TensorHandle t, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_permute(TensorHandle t, long* dims, int ndim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_transpose(TensorHandle t, long d0, long d1);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_narrow(TensorHandle t, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_slice(TensorHandle t, long dim, long start, long end, long step);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_select(TensorHandle t, long dim, long index);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_index_select(TensorHandle t, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_gather(TensorHandle t, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_cat(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_stack(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial int ltx_split(TensorHandle t, long* sizes, int nsizes, long dim, IntPtr* output, int capacity);
    [LibraryImport(Lib)] internal static partial int ltx_chunk(TensorHandle t, long chunks, long dim, IntPtr* output, int capacity);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_expand(TensorHandle t, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_repeat(TensorHandle t, long* repeats, int ndim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_repeat_interleave(TensorHandle t, long repeats, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_squeeze(TensorHandle t, long dim, int all);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_unsqueeze(TensorHandle t, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_flatten(TensorHandle t, long start, long end);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_contiguous(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_flip(TensorHandle t, long* dims, int ndim);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_roll(TensorHandle t, long* shifts, long* dims, int n);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_tril(TensorHandle t, long diagonal, int upper);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_scatter(TensorHandle t, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_nonzero(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_sort(TensorHandle t, long dim, int descending, int stable, out TensorHandle indices);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_topk(TensorHandle t, long k, long dim, int largest, out TensorHandle indices);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_multinomial(TensorHandle probs, long n, int replacement, GeneratorHandle gen);
    [LibraryImport(Lib, EntryPoint = "ltx_multinomial")] internal static partial TensorHandle ltx_multinomial_default(TensorHandle probs, long n, int replacement, IntPtr gen);

    [LibraryImport(Lib)] internal static partial TensorHandle ltx_unary(int op, TensorHandle t, int inplace);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_binary(int op, TensorHandle a, TensorHandle b, int inplace);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_binary_scalar(int op, TensorHandle a, double b, int inplace);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_leaky_relu(TensorHandle t, double slope);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_softplus(TensorHandle t, double beta, double threshold);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_clamp(TensorHandle t, int hasMin, double min, int hasMax, double max, int inplace);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_where(TensorHandle cond, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_masked_fill(TensorHandle t, TensorHandle mask, double value, int inplace);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_addcmul(TensorHandle a, TensorHandle b, TensorHandle c, double value);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_lerp(TensorHandle a, TensorHandle b, double weight);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_reduce(int op, TensorHandle t, long* dims, int ndims, int keepdim, double correction);

    [LibraryImport(Lib)] internal static partial TensorHandle ltx_matmul(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_bmm(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_baddbmm(TensorHandle self, TensorHandle a, TensorHandle b, double beta, double alpha);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_linear(TensorHandle x, TensorHandle w, IntPtr bias);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_scaled_linear(TensorHandle x, TensorHandle w, IntPtr scaleX, IntPtr scaleW, IntPtr bias, int outDtype);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_conv(TensorHandle x, TensorHandle w, IntPtr bias, long* stride, long* padding,
        long* dilation, long* outputPadding, int spatial, int transposed, long groups);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_group_norm(TensorHandle x, long groups, IntPtr w, IntPtr b, double eps);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_layer_norm(TensorHandle x, long* shape, int ndim, IntPtr w, IntPtr b, double eps);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_rms_norm(TensorHandle x, IntPtr w, double eps);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_pad(TensorHandle x, long* pad, int npad, int mode, double value);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_interpolate(TensorHandle x, long* size, int nsize, int mode, int alignCorners);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_pixel_shuffle(TensorHandle x, long factor, int inverse);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_softmax(TensorHandle x, long dim, int log);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_embedding(TensorHandle weight, TensorHandle ids);
    [LibraryImport(Lib)] internal static partial TensorHandle ltx_sdpa(TensorHandle q, TensorHandle k, TensorHandle v, IntPtr mask, int isCausal, double scale);

    [LibraryImport(Lib)] internal static partial float ltx_fp8_to_float(byte bits, int dtype);
    [LibraryImport(Lib)] internal static partial byte ltx_float_to_fp8(float value, int dtype);
}
