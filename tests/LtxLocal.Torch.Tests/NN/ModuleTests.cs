using LtxLocal.Torch.NN;

namespace LtxLocal.Torch.Tests.NN;

/// <summary>Each module's forward equals the functional op (or hand-computed values) with its own weights.</summary>
public class ModuleTests
{
    private static Dictionary<string, Tensor> Fill(Module m, ulong seed)
    {
        using var g = new Generator(seed);
        var state = m.StateDict().ToDictionary(p => p.Key, p => Tensor.Randn(p.Value.Shape, g));
        m.LoadStateDict(state);
        return state;
    }

    private static void Close(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<float>();
        var a = actual.ToArray<float>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"index {i}: expected {e[i]}, actual {a[i]}");
    }

    [Fact]
    public void Linear_computes_x_times_w_transposed_plus_b()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var linear = new Linear(2, 3);
        linear.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2),
            ["bias"] = Tensor.From(new float[] { 0.5f, -1, 0 }, 3),
        });
        var y = linear.Forward(Tensor.From(new float[] { 1, -1 }, 1, 2));
        Assert.Equal(new[] { -0.5f, -2f, -1f }, y.ToArray<float>());
    }

    [Fact]
    public void Linear_with_float8_weight_matches_the_decoded_weight()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var linear = new Linear(8, 4, options: new ModuleOptions(DType.Float8E4M3FN));
        using var g = new Generator(1);
        var w = Tensor.Randn(new long[] { 4, 8 }, g);
        linear.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = Tensor.Zeros(new long[] { 4 }) });
        Assert.Equal(DType.Float8E4M3FN, linear.Weight.DType);
        var x = Tensor.Randn(new long[] { 2, 8 }, g);
        var decoded = w.To(DType.Float8E4M3FN).To(DType.Float32);
        Close(F.Linear(x, decoded), linear.Forward(x));
    }

    [Fact]
    public void Conv_with_reflect_padding_mode_equals_explicit_reflect_pad()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var conv = new Conv2d(2, 3, 3, padding: 1, paddingMode: ConvPaddingMode.Reflect);
        var state = Fill(conv, 5);
        var x = Tensor.Randn(new long[] { 1, 2, 5, 6 }, new Generator(6));
        var expected = F.Conv2d(F.Pad(x, new long[] { 1, 1, 1, 1 }, PadMode.Reflect), state["weight"], state["bias"]);
        Close(expected, conv.Forward(x));
        Assert.Equal(new long[] { 1, 3, 5, 6 }, conv.Forward(x).Shape);
    }

    [Fact]
    public void Conv3d_and_conv_transpose_have_pytorch_weight_layouts()
    {
        using var conv = new Conv3d(4, 8, 3, groups: 2);
        Assert.Equal(new long[] { 8, 2, 3, 3, 3 }, conv.Weight.Shape);
        using var up = ConvTranspose.Create(2, 4, 6, kernelSize: 4, stride: 2, padding: 1);
        Assert.Equal(new long[] { 4, 6, 4, 4 }, up.Weight.Shape);
        using var scope = TorchRuntime.NewDisposeScope();
        Fill(up, 2);
        Assert.Equal(new long[] { 1, 6, 10, 14 }, up.Forward(Tensor.Zeros(new long[] { 1, 4, 5, 7 })).Shape);
    }

    [Fact]
    public void Norm_modules_match_their_definitions()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Randn(new long[] { 2, 4, 6 }, new Generator(3));
        using var rms = new RMSNorm(6, eps: 1e-6);
        var w = Fill(rms, 4)["weight"];
        Close(x / (x.Square().Mean(-1, keepDim: true) + 1e-6).Sqrt() * w, rms.Forward(x));

        using var ln = new LayerNorm(6, eps: 1e-5, elementwiseAffine: false);
        var mean = x.Mean(-1, keepDim: true);
        var variance = x.Var(-1, unbiased: false, keepDim: true);
        Close((x - mean) / (variance + 1e-5).Sqrt(), ln.Forward(x));

        using var gn = new GroupNorm(2, 4, affine: false);
        var grouped = x.Reshape(2, 2, 12);
        var gm = grouped.Mean(-1, keepDim: true);
        var gv = grouped.Var(-1, unbiased: false, keepDim: true);
        Close(((grouped - gm) / (gv + 1e-5).Sqrt()).Reshape(2, 4, 6), gn.Forward(x));
    }

    [Fact]
    public void Sequential_chains_and_embedding_looks_up_rows()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var embedding = new Embedding(5, 3);
        var table = Fill(embedding, 9)["weight"];
        var ids = Tensor.From(new long[] { 4, 0, 4 }, 3);
        Assert.Equal(table.Select(0, 4).ToArray<float>(), embedding.Forward(ids).Select(0, 0).ToArray<float>());
        using var seq = new Sequential(new Linear(3, 3), new SiLU(), new GELU(tanhApproximation: true), new Identity());
        var state = Fill(seq, 10);
        var x = Tensor.Randn(new long[] { 2, 3 }, new Generator(11));
        var expected = F.Linear(x, state["0.weight"], state["0.bias"]).Silu().Gelu(true);
        Close(expected, seq.Forward(x));
    }
}
