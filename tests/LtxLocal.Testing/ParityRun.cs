using LtxLocal.Models.Parity;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LtxLocal.Testing;

/// <summary>
/// Runs one fixture case through the product's parity runner (the one `ltx-local doctor --fixtures` uses) on the test
/// device and fails with every tensor that misses its tolerance.
/// </summary>
public static class ParityRun
{
    public static void Check(IParityRunner runner, string caseName, ITestOutputHelper output)
    {
        using var fixture = new ParityCase(FixtureRoot.CaseDir(runner.Component, caseName));
        var failures = new List<string>();
        int compared = 0;
        runner.Run(fixture, TestDevice.Current, (tensor, actual) =>
        {
            var result = fixture.Compare(tensor, actual);
            compared++;
            output.WriteLine($"{caseName} {tensor}: max error {result.MaxError:G3} ({result.Tolerance})");
            if (result.Failure is { } failure) failures.Add(failure);
        });
        if (compared == 0) throw new XunitException($"{runner.Component}/{caseName}: the runner compared no output");
        if (failures.Count > 0) throw new XunitException(string.Join(Environment.NewLine, failures));
    }
}
