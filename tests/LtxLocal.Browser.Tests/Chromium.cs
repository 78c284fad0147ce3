namespace LtxLocal.Browser.Tests;

/// <summary>Where the Chromium that Playwright drives is: LTX_CHROMIUM if set, else Debian's package. Playwright downloads no browser.</summary>
public static class Chromium
{
    public static IReadOnlyList<string> Candidates =>
        Environment.GetEnvironmentVariable("LTX_CHROMIUM") is { Length: > 0 } chosen ? [chosen] : ["/usr/bin/chromium"];

    public static string? Executable => Candidates.FirstOrDefault(File.Exists);
}
