using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

// Failures surface as managed exceptions with ATen's message, never as a crash.
public class ErrorTests
{
    [Fact]
    public void Matmul_shape_mismatch_names_both_shapes()
    {
        using var a = Tensor.Zeros(new long[] { 2, 3 }, device: Current);
        using var b = Tensor.Zeros(new long[] { 4, 5 }, device: Current);
        var e = Assert.Throws<TorchException>(() => a.MatMul(b));
        Assert.StartsWith("MatMul: ", e.Message);
        Assert.Contains("2x3", e.Message);
        Assert.Contains("4x5", e.Message);
        Assert.DoesNotContain("Exception raised from", e.Message); // no C++ backtrace
    }

    [Fact]
    public void Linear_with_the_wrong_input_size_is_a_TorchException()
    {
        using var x = Tensor.Zeros(new long[] { 2, 3 }, device: Current);
        using var w = Tensor.Zeros(new long[] { 4, 5 }, device: Current);
        var e = Assert.Throws<TorchException>(() => F.Linear(x, w));
        Assert.StartsWith("Linear: ", e.Message);
        Assert.Contains("2x3", e.Message);
    }

    [Fact]
    public void Each_failure_reports_its_own_message()
    {
        using var a = Tensor.Zeros(new long[] { 2, 3 }, device: Current);
        var first = Assert.Throws<TorchException>(() => a.Reshape(7));
        var second = Assert.Throws<TorchException>(() => a.Permute(0));
        Assert.StartsWith("Reshape: ", first.Message);
        Assert.Contains("[7]", first.Message);
        Assert.StartsWith("Permute: ", second.Message);
        Assert.NotEqual(first.Message.Substring(9), second.Message.Substring(9));
        // and the library keeps working afterwards
        using var ok = a.Reshape(3, 2);
        Assert.Equal(new long[] { 3, 2 }, ok.Shape);
    }

    [Fact]
    public void Error_messages_are_per_thread()
    {
        // two threads fail with different errors at the same time; each must see its own message
        using var a = Tensor.Zeros(new long[] { 2, 3 }, device: Current);
        using var b = Tensor.Zeros(new long[] { 4, 5 }, device: Current);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        void Loop(Func<Tensor> op, string mustContain)
        {
            for (int i = 0; i < 200; i++)
            {
                try { op().Dispose(); failures.Add("no exception"); }
                catch (TorchException e) { if (!e.Message.Contains(mustContain)) failures.Add(e.Message); }
            }
        }
        var t1 = Task.Run(() => Loop(() => a.MatMul(b), "2x3 and 4x5"));
        var t2 = Task.Run(() => Loop(() => a.Narrow(0, 1, 5), "exceeds dimension size"));
        Task.WaitAll(t1, t2);
        Assert.Empty(failures);
    }

    [Fact]
    public void Use_after_Dispose_throws_instead_of_crashing()
    {
        var t = Tensor.Ones(new long[] { 3 }, device: Current);
        using var other = Tensor.Ones(new long[] { 3 }, device: Current);
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Equal("Tensor(disposed)", t.ToString());
        void Rejected(Action action)
        {
            var e = Record.Exception(action);
            Assert.NotNull(e);
            Assert.True(e is ObjectDisposedException or TorchException, $"unexpected {e.GetType().Name}: {e.Message}");
        }
        Rejected(() => t.Add(1));
        Rejected(() => other.Add(t));
        Rejected(() => t.ToArray<float>());
        Rejected(() => t.ToBytes());
        Rejected(() => t.Item());
        Rejected(() => _ = t.Numel);
        Rejected(() => t.Reshape(3));
        Rejected(() => Tensor.Cat(new[] { other, t }));
        Rejected(() => F.Linear(other.Reshape(1, 3), other.Reshape(1, 3), t));
        Rejected(() => t.To(DType.Float16));
        t.Dispose(); // a second Dispose is harmless
    }

    [Fact]
    public void ToArray_with_the_wrong_element_type_says_how_to_convert()
    {
        using var t = Tensor.Ones(new long[] { 2 }, DType.BFloat16, Current);
        var e = Assert.Throws<InvalidOperationException>(() => t.ToArray<float>());
        Assert.Contains("float32", e.Message);
        Assert.Contains("bfloat16", e.Message);
        Assert.Contains("To(DType.Float32)", e.Message);
        using var i = Tensor.Ones(new long[] { 2 }, DType.Int32, Current);
        Assert.Throws<InvalidOperationException>(() => i.ToArray<long>());
        Assert.Throws<NotSupportedException>(() => i.ToArray<ulong>());
        Assert.Throws<NotSupportedException>(() => Tensor.From(new[] { 1UL }));
    }

    [Fact]
    public void Bad_dims_and_indices_are_TorchExceptions()
    {
        using var t = Seq(2, 3);
        Assert.Throws<TorchException>(() => t.Select(2, 0));
        Assert.Throws<TorchException>(() => t.Select(0, 5));
        Assert.Throws<TorchException>(() => t.Transpose(0, 4));
        Assert.Throws<TorchException>(() => t.Unsqueeze(4));
        Assert.Throws<TorchException>(() => t.IndexSelect(0, L(new long[] { 9 }, 1)));
        Assert.Throws<TorchException>(() => t.IndexSelect(0, T(new[] { 0f }, 1))); // float index
        Assert.Throws<TorchException>(() => t.Gather(1, L(new long[] { 0, 7, 0, 0, 0, 0 }, 2, 3)));
        Assert.Throws<TorchException>(() => t.Softmax(3));
        Assert.Throws<TorchException>(() => t.Chunk(0));
        Assert.Throws<TorchException>(() => Tensor.Empty(new long[] { -1 }, device: Current));
        Assert.Throws<TorchException>(() => Tensor.Arange(0, 1, 0, device: Current));
    }

    [Fact]
    public void Ops_across_dtypes_that_ATen_rejects()
    {
        using var f = Tensor.Ones(new long[] { 2, 2 }, device: Current);
        using var d = Tensor.Ones(new long[] { 2, 2 }, DType.Float64, Current);
        var e = Assert.Throws<TorchException>(() => f.MatMul(d));
        // The operation's name is ours; what follows is ATen's own message, whose wording changes between
        // libtorch versions (1.13 and 2.6 name the dtypes differently), so only its presence is checked.
        Assert.StartsWith("MatMul: ", e.Message);
        Assert.True(e.Message.Length > "MatMul: ".Length, "ATen's reason is carried in the message");
        using var i = Tensor.Ones(new long[] { 2 }, DType.Int64, Current);
        Assert.Throws<TorchException>(() => i.Add_(0.5)); // result float can't be cast to the int64 output
    }

    [CpuBuildOnlyFact]
    public void Cuda_tensors_on_a_build_without_CUDA_fail_clearly()
    {
        var e = Assert.Throws<TorchException>(() => Tensor.Zeros(new long[] { 2 }, device: Device.Cuda()));
        Assert.StartsWith("Full: ", e.Message);
        using var t = Tensor.Zeros(new long[] { 2 });
        Assert.Throws<TorchException>(() => t.To(Device.Cuda()));
        var g = Assert.Throws<TorchException>(() => new Generator(1, Device.Cuda()));
        Assert.Contains("CUDA is not available", g.Message);
    }
}
