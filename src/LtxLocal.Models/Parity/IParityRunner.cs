using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>Runs one component's reference cases: builds the module from the case, feeds its in.* tensors.</summary>
public interface IParityRunner
{
    /// <summary>The fixture folder this runner reads (transformer, vocoder, ...).</summary>
    string Component { get; }

    /// <summary>
    /// Runs <paramref name="fixture"/> on <paramref name="device"/> in float32 and hands every produced out.* tensor
    /// (name, actual) to <paramref name="check"/> while it is alive; the caller compares and keeps what it needs.
    /// </summary>
    void Run(ParityCase fixture, Device device, Action<string, Tensor> check);
}
