namespace LtxLocal.Inference.Catalog;

/// <summary>
/// A cheap fingerprint of a model folder (names, sizes and write times of its files, one level of sub-folders deep, which
/// covers the Gemma folder and prompts/): when it is unchanged, what the catalog read from the folder still holds.
/// </summary>
public static class FolderStamp
{
    public static string Of(string dir)
    {
        var parts = new List<string>();
        void Add(string folder)
        {
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                parts.Add($"{Path.GetRelativePath(dir, file)}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
            }
        }
        try
        {
            Add(dir);
            foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
            {
                parts.Add(Path.GetFileName(sub) + "/");
                Add(sub);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            parts.Add($"unreadable: {e.Message}");
        }
        return string.Join('|', parts);
    }
}
