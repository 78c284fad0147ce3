using System.Buffers.Binary;
using System.Text;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Torch.Tests.Safetensors;

public sealed class SafetensorsRoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Every_dtype_round_trips_with_metadata()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var values = new float[] { 0f, 1f, -2f, 0.5f, 448f, -0.25f };
        var tensors = new Dictionary<string, Tensor>();
        foreach (var dtype in Enum.GetValues<DType>())
            tensors[$"t.{dtype}"] = Tensor.From(values, 2, 3).To(dtype);
        tensors["empty"] = Tensor.Zeros(new long[] { 0, 4 });
        var metadata = new Dictionary<string, string> { ["config"] = "{\"a\": [1, 2]}", ["format"] = "pt" };
        SafetensorsWriter.Write(PathOf("all.safetensors"), tensors, metadata);

        using var file = SafetensorsFile.Open(PathOf("all.safetensors"));
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(tensors.Keys.Order(), file.Keys.Order());
        foreach (var (name, original) in tensors)
        {
            var loaded = file.Load(name, Device.Cpu);
            Assert.Equal(original.DType, loaded.DType);
            Assert.Equal(original.Shape, loaded.Shape);
            Assert.Equal(original.ToBytes(), loaded.ToBytes());
        }
    }

    [Fact]
    public void Header_format_is_the_published_one()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        SafetensorsWriter.Write(PathOf("x.safetensors"), new Dictionary<string, Tensor> { ["w"] = Tensor.From(new float[] { 1, 2 }, 2) });
        var bytes = File.ReadAllBytes(PathOf("x.safetensors"));
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + length) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, length).TrimEnd(' ');
        Assert.Equal("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 8 + length));
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 12 + length));
    }

    [Fact]
    public void Views_share_the_mapped_bytes_and_outlive_the_file_object()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        SafetensorsWriter.Write(PathOf("v.safetensors"), new Dictionary<string, Tensor> { ["w"] = Tensor.Arange(0, 1000, 1, DType.Float32) });
        Tensor view, loaded;
        using (var file = SafetensorsFile.Open(PathOf("v.safetensors")))
        {
            view = file.View("w");
            loaded = file.Load("w", Device.Cpu);
        }
        // The file object is gone; the mapping stays while views exist.
        Assert.Equal(999f, view.Select(0, 999).Item());
        Assert.Equal(499500.0, loaded.Sum().Item());
        // Copy-on-write: an in-place op changes this process's pages, never the file.
        view.Mul_(2.0);
        Assert.Equal(1998f, view.Select(0, 999).Item());
        using var again = SafetensorsFile.Open(PathOf("v.safetensors"));
        Assert.Equal(999f, again.View("w").Select(0, 999).Item());
    }

    [Fact]
    public void Load_converts_dtype_on_the_way()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        SafetensorsWriter.Write(PathOf("c.safetensors"), new Dictionary<string, Tensor> { ["w"] = Tensor.From(new float[] { 1.5f, -3f }, 2).To(DType.BFloat16) });
        using var file = SafetensorsFile.Open(PathOf("c.safetensors"));
        var loaded = file.Load("w", Device.Cpu, DType.Float32);
        Assert.Equal(DType.Float32, loaded.DType);
        Assert.Equal(new[] { 1.5f, -3f }, loaded.ToArray<float>());
    }

    [Fact]
    public void Sharded_checkpoint_with_index_loads_across_files()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        SafetensorsWriter.Write(PathOf("model-00001-of-00002.safetensors"), new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(new long[] { 2 }) });
        SafetensorsWriter.Write(PathOf("model-00002-of-00002.safetensors"), new Dictionary<string, Tensor> { ["b"] = Tensor.Full(new long[] { 3 }, 7) });
        SafetensorsWriter.WriteIndex(PathOf("model.safetensors.index.json"),
            new Dictionary<string, string> { ["a"] = "model-00001-of-00002.safetensors", ["b"] = "model-00002-of-00002.safetensors" },
            new Dictionary<string, string> { ["total_size"] = "20" });

        var source = ShardedSafetensors.OpenAny(_dir);
        using var disposable = (IDisposable)source;
        Assert.Equal(new[] { "a", "b" }, source.Keys.Order());
        Assert.Equal(new long[] { 3 }, source.Info("b").Shape);
        Assert.Equal(21.0, source.Load("b", Device.Cpu).Sum().Item());
        Assert.Equal("20", ((ShardedSafetensors)source).IndexMetadata["total_size"]);
    }

    [Fact]
    public void Index_naming_a_tensor_its_shard_lacks_is_an_error()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        SafetensorsWriter.Write(PathOf("s1.safetensors"), new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(new long[] { 2 }) });
        SafetensorsWriter.WriteIndex(PathOf("m.safetensors.index.json"), new Dictionary<string, string> { ["a"] = "s1.safetensors", ["ghost"] = "s1.safetensors" });
        var error = Assert.Throws<InvalidDataException>(() => ShardedSafetensors.OpenIndex(PathOf("m.safetensors.index.json")));
        Assert.Contains("ghost", error.Message);
    }

    [Fact]
    public void Files_sharing_a_tensor_name_are_rejected()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        SafetensorsWriter.Write(PathOf("p.safetensors"), new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(new long[] { 2 }) });
        SafetensorsWriter.Write(PathOf("q.safetensors"), new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(new long[] { 2 }) });
        var error = Assert.Throws<InvalidDataException>(() => ShardedSafetensors.OpenFiles(new[] { PathOf("p.safetensors"), PathOf("q.safetensors") }));
        Assert.Contains("'a'", error.Message);
    }
}
