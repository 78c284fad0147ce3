using LtxLocal.Models.Parity;
using LtxLocal.Torch;
using Xunit.Sdk;

namespace LtxLocal.Testing;

/// <summary>Compares tensors under a <see cref="Tolerance"/>; a failure names the worst element (index, expected, actual).</summary>
public static class ParityAssert
{
    public static void Close(Tensor expected, Tensor actual, Tolerance tolerance, string name)
    {
        var result = ParityComparison.Compare(name, expected, actual, new ParityTolerance(tolerance.MaxAbs, tolerance.MaxRel));
        if (result.Failure is { } failure) throw new XunitException(failure);
    }

    /// <summary>The largest absolute difference (for reporting measured errors).</summary>
    public static double MaxError(Tensor expected, Tensor actual)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return (expected.To(Device.Cpu, DType.Float64) - actual.To(Device.Cpu, DType.Float64)).Abs().Amax().Item();
    }
}
