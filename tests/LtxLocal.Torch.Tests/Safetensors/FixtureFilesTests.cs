using System.Text.Json;
using LtxLocal.Torch.Safetensors;

using LtxLocal.Testing;

namespace LtxLocal.Torch.Tests.Safetensors;

/// <summary>
/// Every weights.safetensors and io.safetensors under the fixture root loads into a name -> tensor map whose
/// names, shapes and dtypes are the ones its case.json records.
/// </summary>
[Trait("Category", "Fixtures")]
public class FixtureFilesTests
{
    /// <summary>The cases that ship <paramref name="file"/> (a scheduler case has no weights file, for one).</summary>
    public static TheoryData<string, string> CasesWith(string file)
    {
        var data = new TheoryData<string, string>();
        foreach (var (component, name) in FixtureRoot.Cases())
            if (File.Exists(Path.Combine(FixtureRoot.CaseDir(component, name), file))) data.Add(component, name);
        return data;
    }

    [Fact]
    public void The_fixture_root_has_cases() => Assert.NotEmpty(FixtureRoot.Cases());

    [Theory]
    [MemberData(nameof(CasesWith), "io.safetensors")]
    public void Io_file_holds_the_tensors_case_json_lists(string component, string caseName)
    {
        var dir = FixtureRoot.CaseDir(component, caseName);
        var io = Path.Combine(dir, "io.safetensors");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        using var file = SafetensorsFile.Open(io);
        var recorded = json.RootElement.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(recorded.Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal),
            file.Keys.Order(StringComparer.Ordinal));
        foreach (var tensor in recorded)
        {
            var name = tensor.GetProperty("name").GetString()!;
            var shape = tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var info = file.Info(name);
            Assert.True(shape.SequenceEqual(info.Shape), $"{caseName}/{name}: case.json {string.Join(",", shape)} vs file {info.ShapeText}");
            Assert.Equal(DTypeExtensions.Parse(tensor.GetProperty("dtype").GetString()!), info.DType);
        }
        using var scope = TorchRuntime.NewDisposeScope();
        foreach (var (name, value) in file.LoadAll())
        {
            Assert.Equal(file.Info(name).Shape, value.Shape);
            Assert.Equal(file.Info(name).DType, value.DType);
        }
    }

    [Theory]
    [MemberData(nameof(CasesWith), "weights.safetensors")]
    public void Weights_file_matches_what_case_json_records(string component, string caseName)
    {
        var dir = FixtureRoot.CaseDir(component, caseName);
        var path = Path.Combine(dir, "weights.safetensors");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "case.json")));
        using var file = SafetensorsFile.Open(path);
        using var scope = TorchRuntime.NewDisposeScope();
        var tensors = file.LoadAll();
        // The values are readable: upcast bf16 to float32 and check they are finite.
        foreach (var (name, tensor) in tensors)
        {
            if (!tensor.DType.IsFloatingPoint() || tensor.Numel == 0) continue;
            Assert.True(tensor.To(DType.Float32).IsFinite().All().Item() == 1, $"{name} has non-finite values");
        }
        // What case.json records about the file, when it records anything.
        if (json.RootElement.TryGetProperty("weights", out var weights) && weights.ValueKind == JsonValueKind.Object)
            AssertMatchesRecord(weights, tensors);
    }

    private static void AssertMatchesRecord(JsonElement weights, IReadOnlyDictionary<string, Tensor> tensors)
    {
        if (weights.TryGetProperty("dtype", out var dtype))
        {
            var expected = DTypeExtensions.Parse(dtype.GetString()!);
            Assert.All(tensors, t => Assert.Equal(expected, t.Value.DType));
        }
        if (weights.TryGetProperty("num_tensors", out var count)) Assert.Equal(count.GetInt32(), tensors.Count);
        if (weights.TryGetProperty("num_params", out var parameters)) Assert.Equal(parameters.GetInt64(), tensors.Values.Sum(t => t.Numel));
        if (weights.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in keys.EnumerateObject())
                Assert.Equal(key.Value.EnumerateArray().Select(d => d.GetInt64()).ToArray(), tensors[key.Name].Shape);
            Assert.Equal(keys.EnumerateObject().Count(), tensors.Count);
        }
        // A plain key prefix ("model.diffusion_model.") is shared by every key.
        if (weights.TryGetProperty("key_prefix", out var prefix) && prefix.GetString() is { } p && p.EndsWith('.') && !p.Contains(' '))
            Assert.All(tensors.Keys, k => Assert.StartsWith(p, k));
    }
}
