using System.Diagnostics;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Torch.Tests.Safetensors;

/// <summary>Header-only files (meta tensors written as holes) whose values <see cref="RandomWeights"/> draws on load.</summary>
public sealed class RandomWeightsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-rw-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, ulong seed, long rows = 512, long columns = 1024)
    {
        var path = Path.Combine(_dir, name);
        var tensors = new Dictionary<string, Tensor>
        {
            ["proj.weight"] = Tensor.Empty([rows, columns], DType.BFloat16, Device.Meta),
            ["proj.bias"] = Tensor.Empty([rows], DType.BFloat16, Device.Meta),
            ["norm.weight"] = Tensor.Empty([columns], DType.BFloat16, Device.Meta),
        };
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string>([RandomWeights.Marker(seed)]));
        return path;
    }

    [Fact]
    public void Meta_tensors_are_written_as_a_hole_of_their_full_size()
    {
        var path = Write("big.safetensors", seed: 1, rows: 4096, columns: 4096); // 32 MiB of bf16
        using (var file = SafetensorsFile.Open(path))
            Assert.Equal(file.DataOffset + (4096L * 4096 + 4096 + 4096) * 2, new FileInfo(path).Length);
        var du = Process.Start(new ProcessStartInfo("du", ["-k", path]) { RedirectStandardOutput = true })!;
        long allocatedKiB = long.Parse(du.StandardOutput.ReadToEnd().Split('\t')[0]);
        du.WaitForExit();
        Assert.True(allocatedKiB < 1024, $"the data section should be sparse, but {allocatedKiB} KiB are allocated");
    }

    [Fact]
    public void Values_are_drawn_by_role_on_the_device_they_are_loaded_to()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var file = SafetensorsFile.Open(Write("a.safetensors", seed: 7));
        var device = TestDevice.Current;
        var weight = file.Load("proj.weight", device, DType.Float32);
        Assert.Equal(device, weight.Device);
        Assert.Equal(new long[] { 512, 1024 }, weight.Shape);
        double std = weight.Std().Item(), mean = weight.Mean().Item();
        Assert.InRange(std, 0.97 / 32, 1.03 / 32); // N(0, 1/fan_in), fan_in 1024; 5e5 samples
        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.Equal(0, file.Load("proj.bias", device, DType.Float32).Abs().Amax().Item());
        var norm = file.Load("norm.weight", device, DType.Float32);
        Assert.Equal((1.0, 1.0), (norm.Amin().Item(), norm.Amax().Item()));
        Assert.Equal(DType.BFloat16, file.Load("proj.weight", device).DType);
    }

    [Fact]
    public void A_tensor_depends_on_the_seed_and_its_name_only()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var first = SafetensorsFile.Open(Write("a.safetensors", seed: 7));
        using var again = SafetensorsFile.Open(Write("b.safetensors", seed: 7));
        using var other = SafetensorsFile.Open(Write("c.safetensors", seed: 8));
        var drawn = first.Load("proj.weight", Device.Cpu).ToBytes();
        Assert.Equal(drawn, first.Load("proj.weight", Device.Cpu).ToBytes());
        Assert.Equal(drawn, again.View("proj.weight").ToBytes());
        Assert.NotEqual(drawn, other.Load("proj.weight", Device.Cpu).ToBytes());
    }
}
