using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// A view of a checkpoint under module names: each (module prefix, file prefix) rule maps <c>modulePrefix + rest</c> to
/// <c>filePrefix + rest</c>; only keys some rule reaches are visible. This is how one file's <c>vae.decoder.*</c> and
/// <c>vae.per_channel_statistics.*</c> become one decoder module's state dict (the reference's key filters, e.g.
/// VAE_DECODER_COMFY_KEYS_FILTER). Rules are tried in order; an empty module prefix is the catch-all.
/// </summary>
public sealed class RenamedTensorSource : ITensorSource
{
    private readonly ITensorSource _inner;
    private readonly Dictionary<string, string> _moduleToFile = new(StringComparer.Ordinal);

    public RenamedTensorSource(ITensorSource inner, params (string ModulePrefix, string FilePrefix)[] rules)
    {
        _inner = inner;
        foreach (var fileKey in inner.Keys)
        {
            foreach (var (modulePrefix, filePrefix) in rules)
            {
                if (!fileKey.StartsWith(filePrefix, StringComparison.Ordinal)) continue;
                var moduleKey = modulePrefix + fileKey[filePrefix.Length..];
                // A file key under a more specific rule's prefix belongs to that rule only.
                if (rules.Any(r => r.FilePrefix.Length > filePrefix.Length && r.FilePrefix.StartsWith(filePrefix, StringComparison.Ordinal)
                        && fileKey.StartsWith(r.FilePrefix, StringComparison.Ordinal)))
                    continue;
                _moduleToFile.TryAdd(moduleKey, fileKey);
                break;
            }
        }
    }

    public IReadOnlyCollection<string> Keys => _moduleToFile.Keys;

    public bool Contains(string name) => _moduleToFile.ContainsKey(name);

    public TensorInfo Info(string name) => _inner.Info(_moduleToFile[name]) with { Name = name };

    public Tensor Load(string name, Device device, DType? dtype = null) => _inner.Load(_moduleToFile[name], device, dtype);

    /// <summary>
    /// Loads <paramref name="module"/> through the rules, ignoring file keys no module slot names (the reference loads
    /// non-strictly, and real files carry extras such as <c>per_channel_statistics.channel</c>); a missing slot throws.
    /// </summary>
    public static void LoadInto(Module module, ITensorSource file, Device device, params (string ModulePrefix, string FilePrefix)[] rules)
    {
        var report = module.LoadStateDict(new RenamedTensorSource(file, rules), "", strict: false, device: device);
        if (report.Missing.Count > 0)
            throw new StateDictException(module.GetType().Name, report.Missing, Array.Empty<string>(), Array.Empty<string>());
    }
}
