using System.Text.Json;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Parity;

/// <summary>
/// One run of a case through a <see cref="ParityRunner"/>: the case's inputs on the run's device, its call arguments,
/// its weights file (opened on first use) and the check that receives every output. Mismatches between what the case
/// says the reference did and what the module would do are refused with the case's name.
/// </summary>
public sealed class ParityReplay(ParityCase fixture, Device device, Action<string, Tensor> check) : IDisposable
{
    private SafetensorsFile? _weights;

    public ParityCase Fixture => fixture;

    public Device Device => device;

    /// <summary>weights.safetensors of the case, opened once and closed with the replay.</summary>
    public SafetensorsFile Weights => _weights ??= SafetensorsFile.Open(fixture.WeightsPath);

    public bool Has(string tensorName) => fixture.Has(tensorName);

    /// <summary>An in.* tensor of the case on the run's device.</summary>
    public Tensor In(string name) => fixture.Tensor(name, device);

    public Tensor? Optional(string name) => fixture.Has(name) ? fixture.Tensor(name, device) : null;

    /// <summary>True when one of the reference functions the case records ends with <paramref name="function"/>.</summary>
    public bool Calls(string function) => fixture.ReferenceFunctions.Any(f => f.EndsWith(function, StringComparison.Ordinal));

    /// <summary>case.json -> call.<paramref name="name"/>.</summary>
    public JsonElement Argument(string name) => fixture.Call.GetProperty(name);

    /// <summary>Refuses the case when the module's <paramref name="what"/> is not the reference's.</summary>
    public void Expect<T>(string what, T ours, T reference)
    {
        if (!EqualityComparer<T>.Default.Equals(ours, reference))
            throw Mismatch($"{what} is {ours} here, {reference} in the reference");
    }

    public InvalidOperationException Mismatch(string message) => new($"{fixture.Name}: {message}");

    public void Check(string output, Tensor actual) => check(output, actual);

    public void Dispose() => _weights?.Dispose();
}
