using System.Security.Cryptography;
using System.Text;

namespace LtxLocal.Server.Auth;

/// <summary>
/// The accepted API keys: from configuration (Ltx:ApiKeys, e.g. --api-key; Ltx:ApiKey, e.g. LTX_API_KEY, a comma
/// list) and a keys file (Ltx:KeysFile; one per line, # comments). With none of those, the generated file
/// DataDir/api-keys is used, written with a random key (mode 0600) on the first start; its path is logged, never
/// the key. Once keys are given explicitly that generated file is ignored unless Ltx:KeepGeneratedKey is set, so an
/// explicit key is the only one that works. Keys are kept as SHA-256 hashes and compared in constant time, so neither
/// timing nor a memory dump of the comparison reveals them.
/// </summary>
public sealed class ApiKeys(IOptions<ServerOptions> options, ILogger<ApiKeys> logger)
{
    public const string DefaultFileName = "api-keys";
    private byte[][] _hashes = [];

    /// <summary>The generated key file: DataDir/api-keys.</summary>
    public string GeneratedFilePath => Path.Combine(options.Value.FullDataDir, DefaultFileName);

    public void Load()
    {
        var o = options.Value;
        var sources = new List<(string Source, IReadOnlyList<string> Keys)>
        {
            ("Ltx:ApiKeys (--api-key)", Clean(o.ApiKeys)),
            ("Ltx:ApiKey (LTX_API_KEY)", Clean((o.ApiKey ?? "").Split(','))),
        };
        if (o.KeysFile is { } keysFile)
        {
            var path = Path.GetFullPath(keysFile);
            if (!File.Exists(path)) throw new InvalidOperationException($"Ltx:KeysFile {path} does not exist");
            sources.Add(($"keys file {path}", ReadFile(path)));
        }
        var generated = GeneratedFilePath;
        var explicitKeys = sources.Any(s => s.Keys.Count > 0);
        if (!explicitKeys || o.KeepGeneratedKey)
        {
            if (File.Exists(generated)) sources.Add(($"generated file {generated}", ReadFile(generated)));
            else if (!explicitKeys)
            {
                sources.Add(($"generated file {generated}", [CreateFile(generated)]));
                logger.LogWarning("No API key was configured; created one in {KeysFile} (readable by this user only). Send it as 'Authorization: Bearer <key>'", generated);
            }
        }
        else if (File.Exists(generated))
            logger.LogInformation("API keys were given, so the generated key file {KeysFile} is not read (--keep-generated-key keeps it)", generated);

        var used = sources.Where(s => s.Keys.Count > 0).ToList();
        _hashes = [.. used.SelectMany(s => s.Keys).Distinct().Select(Hash)];
        if (_hashes.Length == 0) throw new InvalidOperationException($"no API key: the keys file{(o.KeysFile is null ? "" : " " + o.KeysFile)} holds none; add one per line");
        logger.LogInformation("{Count} API key(s) accepted: {Sources}", _hashes.Length, string.Join("; ", used.Select(s => $"{s.Keys.Count} from {s.Source}")));
    }

    public bool IsValid(string presented)
    {
        var hash = Hash(presented);
        var match = false;
        foreach (var known in _hashes) match |= CryptographicOperations.FixedTimeEquals(hash, known); // no early exit
        return match;
    }

    private static List<string> Clean(IEnumerable<string?> keys) => [.. keys.Select(k => k?.Trim() ?? "").Where(k => k.Length > 0)];

    private static List<string> ReadFile(string path) => Clean(File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')));

    private static string CreateFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = "ltx-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var unixMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) streamOptions.UnixCreateMode = unixMode;
        using (var file = new StreamWriter(new FileStream(path, streamOptions)))
        {
            file.WriteLine("# LtxLocal API keys, one per line. Clients send: Authorization: Bearer <key>");
            file.WriteLine(key);
        }
        return key;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
