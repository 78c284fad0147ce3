using LtxLocal.Testing;
using LtxLocal.Torch;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>AssertClose that also writes the measured worst error next to its budget (for the README's parity table).</summary>
internal static class LoggedParity
{
    public static void Check(this FixtureCase fixture, ITestOutputHelper output, string name, Tensor actual)
    {
        using (var expected = fixture.Tensor(name, Device.Cpu))
        using (var cpu = actual.To(Device.Cpu))
            output.WriteLine($"{fixture.Component}/{fixture.Name} {name}: max error {ParityAssert.MaxError(expected, cpu):G3} ({fixture.Tolerance(name)})");
        fixture.AssertClose(name, actual);
    }
}
