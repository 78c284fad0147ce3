using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

// Seeded streams are compared with values recorded from PyTorch's CPU generator, so these tests are CPU only.
// PyTorch's CPU randn takes a vectorised path for 16 or more elements, so shapes on both sides are covered.
[Collection("global RNG")]
public class RandomTests
{
    // torch 1.13: g = torch.Generator().manual_seed(seed); torch.randn(shape, generator=g).flatten()[positions]
    // (identical to torch.manual_seed(seed); torch.randn(shape)).
    public static TheoryData<ulong, long[], int[], float[]> RandnStreams => new()
    {
        { 0, new long[] { 5 }, new[] { 0, 1, 2, 3, 4 }, new[] { 1.54099607f, -0.293428898f, -2.17878938f, 0.568431258f, -1.08452237f } },
        { 0, new long[] { 4, 8 }, new[] { 0, 1, 2, 16, 30, 31 }, new[] { -1.12583983f, -1.1523602f, -0.250578582f, -1.35265374f, 0.946298361f, -0.843676746f } },
        { 0, new long[] { 3, 7, 11 }, new[] { 0, 1, 2, 115, 229, 230 }, new[] { -1.12583983f, -1.1523602f, -0.250578582f, -0.0339864083f, 0.0580984838f, -0.63024646f } },
        { 0, new long[] { 16 }, new[] { 0, 1, 2, 8, 14, 15 }, new[] { -1.12583983f, -1.1523602f, -0.250578582f, 0.322274923f, 1.11677718f, -0.247278154f } },
        { 0, new long[] { 17 }, new[] { 0, 1, 2, 8, 15, 16 }, new[] { -1.12583983f, -1.6959312f, 0.566650629f, 0.468096405f, -0.843676746f, 0.931826591f } },
        { 42, new long[] { 5 }, new[] { 0, 1, 2, 3, 4 }, new[] { 0.336690366f, 0.128809407f, 0.234462366f, 0.23033303f, -1.12285638f } },
        { 42, new long[] { 4, 8 }, new[] { 0, 1, 2, 16, 30, 31 }, new[] { 1.92691529f, 1.48728406f, 0.900717199f, 1.64231694f, -0.251575291f, 0.859858513f } },
        { 42, new long[] { 3, 7, 11 }, new[] { 0, 1, 2, 115, 229, 230 }, new[] { 1.92691529f, 1.48728406f, 0.900717199f, 0.477056414f, 0.405000895f, 0.341590941f } },
        { 42, new long[] { 17 }, new[] { 0, 1, 2, 8, 15, 16 }, new[] { 1.92691529f, -0.159597471f, -0.497397542f, 0.355859905f, 0.859858513f, -0.309726775f } },
        { 1234, new long[] { 5 }, new[] { 0, 1, 2, 3, 4 }, new[] { 0.0461304635f, 0.402402818f, -1.01152909f, 0.216738239f, -0.612273097f } },
        { 1234, new long[] { 3, 7, 11 }, new[] { 0, 1, 2, 115, 229, 230 }, new[] { -0.111718565f, -0.496590108f, 0.163073704f, 2.14791226f, 1.01534235f, 1.35199368f } },
    };

    [CpuOnlyTheory] // CUDA streams differ from the recorded CPU values
    [MemberData(nameof(RandnStreams))]
    public void Randn_with_a_generator_reproduces_the_PyTorch_CPU_stream(ulong seed, long[] shape, int[] positions, float[] expected)
    {
        using var gen = new Generator(seed);
        Assert.Equal(seed, gen.Seed);
        Assert.Equal(Device.Cpu, gen.Device);
        using var t = Tensor.Randn(shape, gen);
        Assert.Equal(shape, t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        var values = t.ToArray<float>();
        Close(expected, positions.Select(p => values[p]).ToArray(), 1e-6);
    }

    [CpuOnlyFact]
    public void ManualSeed_seeds_the_default_generator_like_torch_manual_seed()
    {
        // torch 1.13: torch.manual_seed(0); torch.randn(5)
        TorchRuntime.ManualSeed(0);
        using var a = Tensor.Randn(new long[] { 5 });
        Close(new[] { 1.54099607f, -0.293428898f, -2.17878938f, 0.568431258f, -1.08452237f }, a.ToArray<float>(), 1e-6);
        // torch 1.13: torch.manual_seed(5); torch.randn(3); torch.randn(3) -- the stream continues across calls
        TorchRuntime.ManualSeed(5);
        using var b = Tensor.Randn(new long[] { 3 });
        using var c = Tensor.Randn(new long[] { 3 });
        Close(new[] { -0.486780763f, -0.603821576f, -0.55809623f }, b.ToArray<float>(), 1e-6);
        Close(new[] { 0.667524278f, -0.197415099f, 1.94278347f }, c.ToArray<float>(), 1e-6);
    }

    [CpuOnlyFact]
    public void Rand_reproduces_the_PyTorch_CPU_uniform_stream()
    {
        // torch 1.13: torch.manual_seed(7); torch.rand(5)
        using var gen = new Generator(7);
        using var t = Tensor.Rand(new long[] { 5 }, gen);
        Close(new[] { 0.53492254f, 0.198803186f, 0.659211695f, 0.656890273f, 0.232761562f }, t.ToArray<float>(), 1e-6);
        // torch 1.13: torch.manual_seed(7); torch.rand(40)[[0, 1, 20, 39]]
        TorchRuntime.ManualSeed(7);
        var big = Tensor.Rand(new long[] { 40 }).ToArray<float>();
        Close(new[] { 0.53492254f, 0.198803186f, 0.882877588f, 0.195258141f }, new[] { big[0], big[1], big[20], big[39] }, 1e-6);
    }

    [Fact]
    public void Same_seed_gives_the_same_stream_on_any_device_and_different_seeds_differ()
    {
        using var g1 = new Generator(99, Current);
        using var g2 = new Generator(99, Current);
        using var g3 = new Generator(100, Current);
        using var a = Tensor.Randn(new long[] { 64 }, g1);
        using var b = Tensor.Randn(new long[] { 64 }, g2);
        using var c = Tensor.Randn(new long[] { 64 }, g3);
        using var next = Tensor.Randn(new long[] { 64 }, g1);
        Assert.Equal(Current, a.Device);
        Assert.Equal(F32(a), F32(b));
        Assert.NotEqual(F32(a), F32(c));
        Assert.NotEqual(F32(a), F32(next)); // the generator advances
    }

    [Fact]
    public void Randn_statistics_are_standard_normal()
    {
        using var g = new Generator(3, Current);
        using var t = Tensor.Randn(new long[] { 200, 100 }, g);
        using var mean = t.Mean();
        using var std = t.Std();
        Assert.InRange(mean.Item(), -0.02, 0.02); // 20000 samples: standard error 0.007
        Assert.InRange(std.Item(), 0.98, 1.02);
    }

    [Fact]
    public void Rand_is_in_the_unit_interval_with_mean_one_half()
    {
        using var g = new Generator(4, Current);
        using var t = Tensor.Rand(new long[] { 20000 }, g, DType.Float64);
        Assert.Equal(DType.Float64, t.DType);
        var v = t.ToArray<double>();
        Assert.All(v, x => Assert.InRange(x, 0.0, 0.9999999999));
        Assert.InRange(v.Average(), 0.49, 0.51);
    }

    [Fact]
    public void Randn_in_bfloat16_has_that_dtype()
    {
        using var g = new Generator(1, Current);
        using var t = Tensor.Randn(new long[] { 8 }, g, DType.BFloat16);
        Assert.Equal(DType.BFloat16, t.DType);
        Assert.All(F32(t), x => Assert.True(float.IsFinite(x)));
    }

    [CpuOnlyFact]
    public void Multinomial_with_a_generator_reproduces_PyTorch()
    {
        // torch 1.13: g = torch.Generator().manual_seed(3);
        //   torch.multinomial(torch.tensor([[.1, .2, .3, .4], [.4, .3, .2, .1]]), 3, False, generator=g)
        using var probs = T(new[] { 0.1f, 0.2f, 0.3f, 0.4f, 0.4f, 0.3f, 0.2f, 0.1f }, 2, 4);
        using var g = new Generator(3);
        using var idx = Tensor.Multinomial(probs, 3, false, g);
        Assert.Equal(new long[] { 2, 3 }, idx.Shape);
        Assert.Equal(new long[] { 0, 3, 1, 2, 1, 0 }, I64(idx));
        // torch 1.13: g = torch.Generator().manual_seed(3); torch.multinomial(torch.tensor([.1, .2, .3, .4]), 8, True, generator=g)
        using var p1 = T(new[] { 0.1f, 0.2f, 0.3f, 0.4f }, 4);
        using var g2 = new Generator(3);
        using var r = Tensor.Multinomial(p1, 8, true, g2);
        Assert.Equal(new long[] { 0, 1, 3, 1, 3, 3, 1, 2 }, I64(r));
    }

    [Fact]
    public void Multinomial_is_deterministic_per_seed_and_follows_the_distribution()
    {
        using var probs = T(new[] { 0.1f, 0.0f, 0.6f, 0.3f }, 4);
        using var g1 = new Generator(11, Current);
        using var g2 = new Generator(11, Current);
        using var a = Tensor.Multinomial(probs, 20000, true, g1);
        using var b = Tensor.Multinomial(probs, 20000, true, g2);
        var ia = I64(a);
        Assert.Equal(ia, I64(b));
        var counts = new int[4];
        foreach (var i in ia) counts[i]++;
        Assert.Equal(0, counts[1]); // zero probability is never drawn
        Assert.InRange(counts[0] / 20000.0, 0.09, 0.11);
        Assert.InRange(counts[2] / 20000.0, 0.585, 0.615);
        Assert.InRange(counts[3] / 20000.0, 0.285, 0.315);
    }

    [Fact]
    public void Multinomial_without_replacement_draws_distinct_indices()
    {
        using var probs = T(new[] { 1f, 1, 1, 1, 1 }, 5);
        using var g = new Generator(5, Current);
        using var idx = Tensor.Multinomial(probs, 5, false, g);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, I64(idx).OrderBy(x => x));
    }
}
