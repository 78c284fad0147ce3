using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>
/// Every reference case under a fixture root (&lt;root&gt;/&lt;component&gt;/&lt;case&gt;/case.json) that a runner here
/// knows, run and compared at the case files' tolerances. `ltx-local doctor --fixtures` uses it; the parity tests
/// run the same runners case by case.
/// </summary>
public static class ParitySuite
{
    public static IReadOnlyList<IParityRunner> Runners { get; } =
        [new TransformerParityRunner(), new VideoVaeParityRunner(), new DiffusionDecoderParityRunner(), new VocoderParityRunner(), new UpsamplerParityRunner()];

    /// <summary>Case folders by component, in name order.</summary>
    public static IEnumerable<(string Component, string Directory)> Discover(string root)
    {
        if (!System.IO.Directory.Exists(root)) throw new DirectoryNotFoundException($"fixture root {root} does not exist");
        foreach (var component in System.IO.Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            foreach (var caseDir in System.IO.Directory.GetDirectories(component).Order(StringComparer.Ordinal))
                if (File.Exists(Path.Combine(caseDir, "case.json")))
                    yield return (Path.GetFileName(component), caseDir);
    }

    public static IParityRunner? RunnerFor(string component) => Runners.FirstOrDefault(r => r.Component == component);

    /// <summary>Runs one case; exceptions become the result's Error, never escape.</summary>
    public static ParityCaseResult RunCase(IParityRunner runner, string caseDirectory, Device device)
    {
        var comparisons = new List<ParityComparison>();
        using var fixture = new ParityCase(caseDirectory);
        try
        {
            runner.Run(fixture, device, (name, actual) => comparisons.Add(fixture.Compare(name, actual)));
            return new ParityCaseResult(fixture.Component, fixture.Name, comparisons, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ParityCaseResult(fixture.Component, fixture.Name, comparisons, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
