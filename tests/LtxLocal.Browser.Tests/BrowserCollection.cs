namespace LtxLocal.Browser.Tests;

/// <summary>
/// The browser test classes run one after the other, not side by side: each starts a server with the tiny model and a
/// Chromium, and two at once on a 2-core machine only slow each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
