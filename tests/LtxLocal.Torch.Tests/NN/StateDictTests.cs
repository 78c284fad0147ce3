using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Torch.Tests.NN;

public sealed class StateDictTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-sd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A small tree with the reference's naming style: attn.to_q, ff.net.0.proj, blocks.N.</summary>
    private sealed class Block : Module
    {
        public Block(ModuleOptions o)
        {
            RegisterModule("to_q", new Linear(4, 4, options: o));
            RegisterModule("norm", new RMSNorm(4, options: o));
            RegisterParameter("scale_shift_table", Tensor.Empty(new long[] { 2, 4 }, o.DType, o.Device));
        }
    }

    private sealed class Net : Module
    {
        public Net(ModuleOptions? options = null)
        {
            var o = options ?? ModuleOptions.Default;
            RegisterModule("proj_in", new Linear(3, 4, bias: false, options: o));
            RegisterModule("blocks", new ModuleList<Block>(new[] { new Block(o), new Block(o) }));
            RegisterModule("conv", new Conv1d(4, 2, 3, padding: 1, options: o));
            RegisterBuffer("stats", Tensor.Zeros(new long[] { 2 }, o.DType, o.Device));
            RegisterBuffer("cache", Tensor.Zeros(new long[] { 1 }, o.DType, o.Device), persistent: false);
        }
    }

    private static Dictionary<string, Tensor> RandomState(Net net, ulong seed)
    {
        using var g = new Generator(seed);
        return net.StateDict().ToDictionary(p => p.Key, p => Tensor.Randn(p.Value.Shape, g));
    }

    [Fact]
    public void State_dict_names_follow_pytorch()
    {
        using var net = new Net();
        var expected = new[]
        {
            "blocks.0.norm.weight", "blocks.0.scale_shift_table", "blocks.0.to_q.bias", "blocks.0.to_q.weight",
            "blocks.1.norm.weight", "blocks.1.scale_shift_table", "blocks.1.to_q.bias", "blocks.1.to_q.weight",
            "conv.bias", "conv.weight", "proj_in.weight", "stats",
        };
        Assert.Equal(expected, net.StateDict().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3 * 4 + 2 * (16 + 4 + 4 + 8) + 4 * 2 * 3 + 2, net.ParameterCount());
    }

    [Fact]
    public void Load_replaces_every_value_and_the_forward_uses_them()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var net = new Net();
        var state = RandomState(net, 7);
        var report = net.LoadStateDict(state);
        Assert.True(report.IsExact);
        foreach (var (name, tensor) in net.StateDict()) Assert.Equal(state[name].ToArray<float>(), tensor.ToArray<float>());
        var proj = (Linear)net.NamedChildren().First(c => c.Name == "proj_in").Module;
        var x = Tensor.From(new float[] { 1, 2, 3 }, 1, 3);
        var expected = x.MatMul(state["proj_in.weight"].MT);
        Assert.Equal(expected.ToArray<float>(), proj.Forward(x).ToArray<float>());
    }

    [Fact]
    public void Every_missing_unexpected_and_mismatched_key_is_reported_together()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var net = new Net();
        var state = RandomState(net, 1);
        state.Remove("blocks.1.to_q.bias");
        state.Remove("stats");
        state["blocks.0.to_k.weight"] = Tensor.Zeros(new long[] { 4, 4 });
        state["conv.weight"] = Tensor.Zeros(new long[] { 2, 4, 5 });
        var error = Assert.Throws<StateDictException>(() => net.LoadStateDict(state));
        Assert.Equal(new[] { "blocks.1.to_q.bias", "stats" }, error.Missing.Order());
        Assert.Equal(new[] { "blocks.0.to_k.weight" }, error.Unexpected);
        Assert.Single(error.Mismatched);
        Assert.Contains("conv.weight: checkpoint [2, 4, 5] vs module [2, 4, 3]", error.Message);
        Assert.Contains("blocks.1.to_q.bias", error.Message);
        Assert.Contains("blocks.0.to_k.weight", error.Message);
    }

    [Fact]
    public void Non_strict_load_reports_but_shape_mismatch_still_throws()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var net = new Net();
        var state = RandomState(net, 2);
        state.Remove("stats");
        state["extra"] = Tensor.Zeros(new long[] { 1 });
        var report = net.LoadStateDict(state, strict: false);
        Assert.Equal(new[] { "stats" }, report.Missing);
        Assert.Equal(new[] { "extra" }, report.Unexpected);
        state["proj_in.weight"] = Tensor.Zeros(new long[] { 4, 4 });
        Assert.Throws<StateDictException>(() => net.LoadStateDict(state, strict: false));
    }

    [Fact]
    public void Meta_module_loads_from_a_prefixed_safetensors_file_converting_dtype()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var reference = new Net();
        var state = RandomState(reference, 3);
        var stored = state.ToDictionary(p => "model.diffusion_model." + p.Key, p => p.Value.To(DType.BFloat16));
        stored["model.diffusion_model.other_component.weight"] = Tensor.Zeros(new long[] { 1 });
        stored["vae.decoder.x"] = Tensor.Zeros(new long[] { 1 });
        var path = Path.Combine(_dir, "bundle.safetensors");
        SafetensorsWriter.Write(path, stored);

        using var net = new Net(new ModuleOptions(DType.Float32, Device.Meta));
        Assert.All(net.StateDict().Values, t => Assert.Equal(Device.Meta, t.Device));
        using var file = SafetensorsFile.Open(path);
        long last = 0;
        var report = net.LoadStateDict(file, "model.diffusion_model.", strict: false, device: Device.Cpu, progress: (done, total) => last = done);
        // Only keys under the prefix count; the other component under it is reported, the VAE is not.
        Assert.Equal(new[] { "model.diffusion_model.other_component.weight" }, report.Unexpected);
        Assert.Equal(report.BytesLoaded, last);
        foreach (var (name, tensor) in net.StateDict())
        {
            Assert.Equal(Device.Cpu, tensor.Device);
            Assert.Equal(DType.Float32, tensor.DType);
            Assert.Equal(state[name].To(DType.BFloat16).To(DType.Float32).ToArray<float>(), tensor.ToArray<float>());
        }
    }

    [Fact]
    public void To_converts_floating_tensors_and_keeps_the_tree()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var net = new Net();
        net.LoadStateDict(RandomState(net, 4));
        net.To(Device.Cpu, DType.BFloat16);
        Assert.All(net.StateDict().Values, t => Assert.Equal(DType.BFloat16, t.DType));
    }

    [Fact]
    public void Module_parameters_survive_the_scope_they_were_created_in()
    {
        Net net;
        using (var scope = TorchRuntime.NewDisposeScope()) net = new Net();
        using (net)
            Assert.All(net.StateDict().Values, t => Assert.False(t.IsDisposed));
    }
}
