namespace LtxLocal.Testing;

/// <summary>
/// The reference fixtures: $LTX_FIXTURES, else ../shared/fixtures/ltx2 beside the repository. Cases are
/// discovered from the folders (&lt;root&gt;/&lt;component&gt;/&lt;case&gt;/), never listed by hand.
/// </summary>
public static class FixtureRoot
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("LTX_FIXTURES");
        if (!string.IsNullOrEmpty(configured)) return System.IO.Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "LtxLocal.sln")))
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "fixtures", "ltx2"));
        }
        throw new DirectoryNotFoundException("fixtures not found: set LTX_FIXTURES");
    }

    /// <summary>Every case folder (one with a case.json), as (component, case) pairs.</summary>
    public static IEnumerable<(string Component, string Case)> Cases()
    {
        if (!Directory.Exists(Path)) throw new DirectoryNotFoundException($"fixture root {Path} does not exist (LTX_FIXTURES)");
        foreach (var component in Directory.GetDirectories(Path).Order(StringComparer.Ordinal))
            foreach (var caseDir in Directory.GetDirectories(component).Order(StringComparer.Ordinal))
                if (File.Exists(System.IO.Path.Combine(caseDir, "case.json")))
                    yield return (System.IO.Path.GetFileName(component), System.IO.Path.GetFileName(caseDir));
    }

    public static string CaseDir(string component, string caseName) => System.IO.Path.Combine(Path, component, caseName);
}
