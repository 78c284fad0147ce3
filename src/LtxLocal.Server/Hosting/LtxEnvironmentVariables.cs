namespace LtxLocal.Server.Hosting;

/// <summary>
/// Maps LTX_* environment variables onto the "Ltx" section: underscores inside a name are dropped
/// and "__" nests, matched case-insensitively. LTX_DATA_DIR -> Ltx:DataDir,
/// LTX_MAX_QUEUED_JOBS -> Ltx:MaxQueuedJobs, LTX_OUTBOUND__TIMEOUT_SECONDS -> Ltx:Outbound:TimeoutSeconds.
/// </summary>
public static class LtxEnvironmentVariables
{
    public const string Prefix = "LTX_";

    public static Dictionary<string, string?> Read(System.Collections.IDictionary? variables = null)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in variables ?? Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || name.Length == Prefix.Length) continue;
            var path = name[Prefix.Length..].Split("__").Select(part => part.Replace("_", ""));
            result[$"{ServerOptions.Section}:{string.Join(':', path)}"] = entry.Value as string;
        }
        return result;
    }
}
