using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// A checkpoint seen under module names (the reference's SDOps key maps and key filters, e.g.
/// VAE_DECODER_COMFY_KEYS_FILTER): each <see cref="KeyRule"/> maps <c>FilePrefix + rest</c> to <c>ModulePrefix + rest</c>,
/// and only keys some rule reaches (and <c>keep</c> accepts, by module name) are visible. A file key under a more
/// specific rule's file prefix belongs to that rule only; otherwise rules are tried in order, and the first file key
/// that lands on a module name keeps it. Tensors are still read one at a time from the underlying source. Every
/// component loader that renames keys goes through this one view.
/// </summary>
public sealed class KeyMappedSource : ITensorSource
{
    private readonly ITensorSource _inner;
    private readonly Dictionary<string, string> _moduleToFile = new(StringComparer.Ordinal);

    /// <summary>The keys under <paramref name="prefix"/>, prefix stripped, that <paramref name="keep"/> accepts.</summary>
    public KeyMappedSource(ITensorSource inner, string prefix, Func<string, bool>? keep = null)
        : this(inner, [new KeyRule("", prefix)], keep)
    {
    }

    public KeyMappedSource(ITensorSource inner, IReadOnlyList<KeyRule> rules, Func<string, bool>? keep = null)
    {
        _inner = inner;
        foreach (var fileKey in inner.Keys)
        {
            foreach (var rule in rules)
            {
                if (!fileKey.StartsWith(rule.FilePrefix, StringComparison.Ordinal) || HasMoreSpecificRule(rules, rule, fileKey)) continue;
                var moduleKey = rule.ModulePrefix + fileKey[rule.FilePrefix.Length..];
                if (keep is null || keep(moduleKey)) _moduleToFile.TryAdd(moduleKey, fileKey);
                break;
            }
        }
    }

    public IReadOnlyCollection<string> Keys => _moduleToFile.Keys;

    public bool Contains(string name) => _moduleToFile.ContainsKey(name);

    public TensorInfo Info(string name) => _inner.Info(_moduleToFile[name]) with { Name = name };

    public Tensor Load(string name, Device device, DType? dtype = null) => _inner.Load(_moduleToFile[name], device, dtype);

    /// <summary>The file key a module name reads.</summary>
    public string FileKey(string name) => _moduleToFile[name];

    /// <summary>Total bytes of the visible tensors.</summary>
    public long ByteLength => _moduleToFile.Values.Sum(k => _inner.Info(k).ByteLength);

    /// <summary>
    /// Loads <paramref name="module"/> through <paramref name="rules"/>, ignoring file keys no module slot names (the
    /// reference loads non-strictly, and real files carry extras such as <c>per_channel_statistics.channel</c>); a missing
    /// slot throws.
    /// </summary>
    public static void LoadInto(Module module, ITensorSource file, Device device, params KeyRule[] rules)
    {
        var report = module.LoadStateDict(new KeyMappedSource(file, rules), "", strict: false, device: device);
        if (report.Missing.Count > 0)
            throw new StateDictException(module.GetType().Name, report.Missing, Array.Empty<string>(), Array.Empty<string>());
    }

    /// <summary>
    /// Builds a module on the meta device in <paramref name="dtype"/> and fills it through <paramref name="rules"/> as
    /// <see cref="LoadInto"/> does; what was built is disposed when the file cannot fill it.
    /// </summary>
    public static T Build<T>(Func<ModuleOptions, T> create, DType dtype, ITensorSource file, Device device, params KeyRule[] rules) where T : Module
    {
        var module = create(new ModuleOptions(dtype, Device.Meta));
        try
        {
            LoadInto(module, file, device, rules);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static bool HasMoreSpecificRule(IReadOnlyList<KeyRule> rules, KeyRule rule, string fileKey) =>
        rules.Any(r => r.FilePrefix.Length > rule.FilePrefix.Length && r.FilePrefix.StartsWith(rule.FilePrefix, StringComparison.Ordinal)
            && fileKey.StartsWith(r.FilePrefix, StringComparison.Ordinal));
}
