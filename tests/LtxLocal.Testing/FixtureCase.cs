using System.Text.Json;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Testing;

/// <summary>
/// One fixture case folder: case.json (call arguments, tolerances), io.safetensors (in.* inputs, out.* expected
/// outputs) and, where present, weights.safetensors. Everything a parity test needs is read from here.
/// </summary>
public sealed class FixtureCase : IDisposable
{
    private readonly JsonDocument _json;
    private SafetensorsFile? _io;

    public FixtureCase(string component, string name)
    {
        Component = component;
        Name = name;
        Directory = FixtureRoot.CaseDir(component, name);
        _json = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Directory, "case.json")));
    }

    public string Component { get; }

    public string Name { get; }

    public string Directory { get; }

    public JsonElement Json => _json.RootElement;

    /// <summary>case.json -> call (the scalar arguments); an empty object when absent.</summary>
    public JsonElement Call => Json.TryGetProperty("call", out var call) ? call : default;

    public string WeightsPath => System.IO.Path.Combine(Directory, "weights.safetensors");

    public bool HasWeights => File.Exists(WeightsPath);

    public SafetensorsFile Io => _io ??= SafetensorsFile.Open(System.IO.Path.Combine(Directory, "io.safetensors"));

    public bool Has(string tensorName) => Io.Contains(tensorName);

    /// <summary>An io tensor on <paramref name="device"/> (the test device when null), in its stored dtype.</summary>
    public Tensor Tensor(string name, Device? device = null) => Io.Load(name, device ?? TestDevice.Current);

    /// <summary>The names of the expected outputs (out.*), debug ones (out.dbg.*) included when asked.</summary>
    public IEnumerable<string> Outputs(bool includeDebug = false) =>
        Io.Keys.Where(k => k.StartsWith("out.", StringComparison.Ordinal) && (includeDebug || !k.StartsWith("out.dbg.", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

    /// <summary>case.json -> tolerance[name] (or the named alternative budget, e.g. "tolerance_if_angles_not_float32").</summary>
    public Tolerance Tolerance(string name, string table = "tolerance")
    {
        if (!Json.TryGetProperty(table, out var tolerances) || !tolerances.TryGetProperty(name, out var t))
            throw new KeyNotFoundException($"{Component}/{Name}: no {table} for {name}");
        return new Tolerance(t.GetProperty("max_abs").GetDouble(), t.GetProperty("max_rel").GetDouble());
    }

    public bool HasTolerance(string name, string table = "tolerance") =>
        Json.TryGetProperty(table, out var tolerances) && tolerances.TryGetProperty(name, out _);

    /// <summary>Asserts <paramref name="actual"/> matches out-tensor <paramref name="name"/> within its tolerance.</summary>
    public void AssertClose(string name, Tensor actual, string table = "tolerance")
    {
        using var scope = TorchRuntime.NewDisposeScope();
        ParityAssert.Close(Tensor(name, Device.Cpu), actual.To(Device.Cpu), Tolerance(name, table), $"{Component}/{Name} {name}");
    }

    /// <summary>Every case folder of a component, for [MemberData].</summary>
    public static IEnumerable<object[]> CasesOf(string component) =>
        FixtureRoot.Cases().Where(c => c.Component == component).Select(c => new object[] { c.Case });

    public void Dispose()
    {
        _io?.Dispose();
        _json.Dispose();
    }
}
