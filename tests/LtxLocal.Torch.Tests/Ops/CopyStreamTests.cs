namespace LtxLocal.Torch.Tests.Ops;

/// <summary>
/// Pinned host memory and the copy stream of the streamed plan: without CUDA, pinning is a no-op that says so and a
/// copy stream cannot be opened (with the reason); on a GPU, a pinned tensor copied on the copy stream and waited for
/// by the compute stream arrives with the same bytes.
/// </summary>
public class CopyStreamTests
{
    private static Tensor Host() => Tensor.Arange(0, 3 * 257, 1, DType.Float32).Reshape(3, 257).Mul(0.37);

    [CpuBuildOnlyFact]
    public void Without_cuda_pinning_is_an_alias_and_a_copy_stream_says_why_not()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var host = Host();
        var pinned = host.PinMemory(out bool isPinned);
        Assert.False(isPinned);
        Assert.False(pinned.IsPinned);
        Assert.Equal(host.ToBytes(), pinned.ToBytes());

        Assert.Contains("not pinned", CopyStream.WhyNotPinned(Device.Cpu));
        Assert.NotNull(CopyStream.WhyNot(Device.Cuda(0)));
        var e = Assert.Throws<InvalidOperationException>(() => CopyStream.Open(Device.Cuda(0)));
        Assert.Contains("no copy stream", e.Message);
    }

    [CudaOnlyFact]
    public void A_pinned_tensor_copied_on_the_copy_stream_arrives_with_the_same_bytes()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var host = Host();
        var pinned = host.PinMemory(out bool isPinned);
        Assert.True(isPinned);
        Assert.True(pinned.IsPinned);
        Assert.Null(CopyStream.WhyNot(TestDevice.Current));
        using var copies = CopyStream.Open(TestDevice.Current);
        var onDevice = copies.Copy(pinned);
        using (var ready = copies.Record()) ready.Wait();
        var doubled = onDevice.Mul(2.0); // runs on the compute stream after the wait
        Assert.Equal(host.Mul(2.0).ToBytes(), doubled.Cpu().ToBytes());
        Assert.Equal(TestDevice.Current, onDevice.Device);
    }
}
