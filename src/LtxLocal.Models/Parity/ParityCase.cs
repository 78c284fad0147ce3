using System.Text.Json;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Parity;

/// <summary>
/// One reference case folder: case.json (call arguments, tolerances), io.safetensors (in.* inputs, out.* expected
/// outputs) and, where present, weights.safetensors. The parity tests and `ltx-local doctor --fixtures` read it alike.
/// </summary>
public sealed class ParityCase : IDisposable
{
    private readonly JsonDocument _json;
    private SafetensorsFile? _io;

    public ParityCase(string directory)
    {
        Directory = directory;
        Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        Component = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(directory))) ?? "";
        _json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "case.json")));
    }

    public string Component { get; }

    public string Name { get; }

    public string Directory { get; }

    public JsonElement Json => _json.RootElement;

    /// <summary>case.json -> call (the scalar arguments); an undefined element when absent.</summary>
    public JsonElement Call => Json.TryGetProperty("call", out var call) ? call : default;

    /// <summary>The reference functions the case was produced by (case.json reference.functions): what a runner replays.</summary>
    public IReadOnlyList<string> ReferenceFunctions =>
        Json.GetProperty("reference").GetProperty("functions").EnumerateArray().Select(f => f.GetString()!).ToList();

    public string WeightsPath => Path.Combine(Directory, "weights.safetensors");

    public SafetensorsFile Io => _io ??= SafetensorsFile.Open(Path.Combine(Directory, "io.safetensors"));

    public bool Has(string tensorName) => Io.Contains(tensorName);

    /// <summary>An io tensor on <paramref name="device"/>, in its stored dtype.</summary>
    public Tensor Tensor(string name, Device device) => Io.Load(name, device);

    /// <summary>The names of the expected outputs (out.*), debug ones (out.dbg.*) included when asked.</summary>
    public IEnumerable<string> Outputs(bool includeDebug = false) =>
        Io.Keys.Where(k => k.StartsWith("out.", StringComparison.Ordinal) && (includeDebug || !k.StartsWith("out.dbg.", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

    /// <summary>case.json -> tolerance[name] (or a named alternative table, e.g. "tolerance_if_angles_not_float32").</summary>
    public ParityTolerance Tolerance(string name, string table = "tolerance")
    {
        if (!Json.TryGetProperty(table, out var tolerances) || !tolerances.TryGetProperty(name, out var t))
            throw new KeyNotFoundException($"{Component}/{Name}: no {table} for {name}");
        return new ParityTolerance(t.GetProperty("max_abs").GetDouble(), t.GetProperty("max_rel").GetDouble());
    }

    public bool HasTolerance(string name, string table = "tolerance") =>
        Json.TryGetProperty(table, out var tolerances) && tolerances.TryGetProperty(name, out _);

    /// <summary>
    /// What one ulp of a float32 RoPE grid moves each debug output (out.dbg.* name -> max abs), as a runner measured it
    /// (<see cref="RopeGridSensitivity"/>); empty unless the runner measured it.
    /// </summary>
    public IReadOnlyDictionary<string, double> GridMovement { get; set; } = new Dictionary<string, double>();

    /// <summary>
    /// <paramref name="actual"/> against out-tensor <paramref name="name"/> at the case's tolerance. Debug tensors only:
    /// RoPE tables formed from a float32 linspace grid get the allowance of <see cref="RopeGridAllowance"/>, and other
    /// intermediates the measured <see cref="GridMovement"/> on top of both budgets. Final outputs never get either.
    /// </summary>
    public ParityComparison Compare(string name, Tensor actual, string table = "tolerance")
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var tolerance = Tolerance(name, table);
        if (RopeGridAllowance.For(this, name) is { } allowance) tolerance = tolerance.WithAbsoluteAllowance(allowance);
        else if (name.StartsWith("out.dbg.", StringComparison.Ordinal) && GridMovement.TryGetValue(name, out var movement) && movement > 0)
            tolerance = tolerance with { GridMovement = movement };
        return ParityComparison.Compare($"{Component}/{Name} {name}", Tensor(name, Device.Cpu), actual.To(Device.Cpu), tolerance);
    }

    public void Dispose()
    {
        _io?.Dispose();
        _json.Dispose();
    }
}
