using System.Text.Json;
using LtxLocal.Models.Parity;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Testing;

/// <summary>
/// One fixture case folder: case.json (call arguments, tolerances), io.safetensors (in.* inputs, out.* expected
/// outputs) and, where present, weights.safetensors. Everything a parity test needs is read from here: the
/// product's <see cref="ParityCase"/> (which `ltx-local doctor` reads too) with the test device as default.
/// </summary>
public sealed class FixtureCase : IDisposable
{
    private readonly ParityCase _case;

    public FixtureCase(string component, string name)
    {
        Component = component;
        Name = name;
        Directory = FixtureRoot.CaseDir(component, name);
        _case = new ParityCase(Directory);
    }

    public string Component { get; }

    public string Name { get; }

    public string Directory { get; }

    public JsonElement Json => _case.Json;

    /// <summary>case.json -> call (the scalar arguments); undefined when absent.</summary>
    public JsonElement Call => _case.Call;

    public IReadOnlyList<string> ReferenceFunctions => _case.ReferenceFunctions;

    public string WeightsPath => _case.WeightsPath;

    public bool HasWeights => File.Exists(WeightsPath);

    public SafetensorsFile Io => _case.Io;

    public bool Has(string tensorName) => _case.Has(tensorName);

    /// <summary>An io tensor on <paramref name="device"/> (the test device when null), in its stored dtype.</summary>
    public Tensor Tensor(string name, Device? device = null) => _case.Tensor(name, device ?? TestDevice.Current);

    /// <summary>The names of the expected outputs (out.*), debug ones (out.dbg.*) included when asked.</summary>
    public IEnumerable<string> Outputs(bool includeDebug = false) => _case.Outputs(includeDebug);

    /// <summary>case.json -> tolerance[name] (or the named alternative budget, e.g. "tolerance_if_angles_not_float32").</summary>
    public Tolerance Tolerance(string name, string table = "tolerance")
    {
        var t = _case.Tolerance(name, table);
        return new Tolerance(t.MaxAbs, t.MaxRel);
    }

    public bool HasTolerance(string name, string table = "tolerance") => _case.HasTolerance(name, table);

    /// <summary>Asserts <paramref name="actual"/> matches out-tensor <paramref name="name"/> within its tolerance.</summary>
    public void AssertClose(string name, Tensor actual, string table = "tolerance")
    {
        using var scope = TorchRuntime.NewDisposeScope();
        ParityAssert.Close(Tensor(name, Device.Cpu), actual.To(Device.Cpu), Tolerance(name, table), $"{Component}/{Name} {name}");
    }

    /// <summary>Every case folder of a component, for [MemberData].</summary>
    public static IEnumerable<object[]> CasesOf(string component) =>
        FixtureRoot.Cases().Where(c => c.Component == component).Select(c => new object[] { c.Case });

    public void Dispose() => _case.Dispose();
}
