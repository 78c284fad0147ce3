namespace LtxLocal.Server.Hosting;

/// <summary>
/// Text that reaches clients (adjustment reasons, errors) must not show where the server keeps its files: the
/// models and data folders are named by their setting instead of their path on this machine.
/// </summary>
public static class ClientText
{
    public static string WithoutServerPaths(string text, ServerOptions options)
    {
        foreach (var (path, name) in new[] { (Path.GetFullPath(options.ModelsDir), "<Ltx:ModelsDir>"), (options.FullDataDir, "<Ltx:DataDir>") })
        {
            var trimmed = Path.TrimEndingDirectorySeparator(path);
            if (trimmed.Length > 1) text = text.Replace(trimmed, name, StringComparison.Ordinal);
        }
        return text;
    }
}
