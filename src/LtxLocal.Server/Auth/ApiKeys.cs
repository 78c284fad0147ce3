using System.Security.Cryptography;
using System.Text;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Auth;

/// <summary>
/// The accepted API keys: from configuration (Ltx:ApiKeys, Ltx:ApiKey) and a keys file (one per line,
/// # comments). With none configured, the first start writes a random key to DataDir/api-keys
/// (mode 0600) and logs the file's path, never the key. Keys are kept as SHA-256 hashes and compared
/// in constant time, so neither timing nor a memory dump of the comparison reveals them.
/// </summary>
public sealed class ApiKeys(IOptions<ServerOptions> options, ILogger<ApiKeys> logger)
{
    public const string DefaultFileName = "api-keys";
    private byte[][] _hashes = [];

    public string KeysFilePath => options.Value.KeysFile ?? Path.Combine(options.Value.FullDataDir, DefaultFileName);

    public void Load()
    {
        var o = options.Value;
        var keys = o.ApiKeys.Concat((o.ApiKey ?? "").Split(',')).Select(k => k?.Trim() ?? "").Where(k => k.Length > 0).ToList();
        var path = KeysFilePath;
        if (File.Exists(path)) keys.AddRange(ReadFile(path));
        else if (keys.Count == 0)
        {
            keys.Add(CreateFile(path));
            logger.LogWarning("No API key was configured; created one in {KeysFile} (readable by this user only). Send it as 'Authorization: Bearer <key>'", path);
        }
        if (o.KeysFile is not null && !File.Exists(path)) throw new InvalidOperationException($"Ltx:KeysFile {path} does not exist");
        _hashes = [.. keys.Distinct().Select(Hash)];
        logger.LogInformation("{Count} API key(s) loaded", _hashes.Length);
    }

    public bool IsValid(string presented)
    {
        var hash = Hash(presented);
        var match = false;
        foreach (var known in _hashes) match |= CryptographicOperations.FixedTimeEquals(hash, known); // no early exit
        return match;
    }

    private static IEnumerable<string> ReadFile(string path) =>
        File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

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
