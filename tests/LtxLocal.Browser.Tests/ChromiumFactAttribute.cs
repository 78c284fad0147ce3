namespace LtxLocal.Browser.Tests;

/// <summary>
/// A fact that drives Debian's chromium (scripts/setup.sh installs it; LTX_CHROMIUM names another binary): skipped,
/// with the reason, where it is not installed, e.g. the Debian 13 root of `make test-debian13`, whose setup leaves
/// the browser out (LTX_SETUP_BROWSER=0): the page does not depend on libtorch, and the host's `make test` runs these.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null)
            Skip = $"no Chromium at {string.Join(" or ", Chromium.Candidates)} (apt-get install chromium, as scripts/setup.sh does; " +
                   "or set LTX_CHROMIUM): the browser tests of the playground need one";
    }
}
