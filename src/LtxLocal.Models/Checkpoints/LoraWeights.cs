using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// A LoRA file as the LTX releases and trainer write it: <c>diffusion_model.&lt;module&gt;.lora_A.weight</c> and
/// <c>.lora_B.weight</c> (core/loader/sd_ops.py LTXV_LORA_COMFY_PREFIX_MAP; also accepted with a leading
/// <c>model.</c>). The reference fuses strength·(B·A) with no alpha scaling; a kohya-style <c>.alpha</c> scalar, when
/// present, scales by alpha/rank. Tensors stay memory-mapped until fused.
/// </summary>
public sealed class LoraWeights : IDisposable
{
    // The diffusion-model prefixes a LoRA file may use; keys with neither are taken as module names already.
    private static readonly KeyRule[] Prefixes = { ("", "model.diffusion_model."), ("", "diffusion_model."), KeyRule.Identity };
    private readonly SafetensorsFile _file;

    private LoraWeights(SafetensorsFile file, List<(string Target, string KeyA, string KeyB, string? KeyAlpha)> layers, List<string> unrecognised)
    {
        _file = file;
        Layers = layers;
        UnrecognisedKeys = unrecognised;
    }

    public string Path => _file.Path;

    public IReadOnlyList<(string Target, string KeyA, string KeyB, string? KeyAlpha)> Layers { get; }

    /// <summary>Keys that are neither a lora_A/lora_B pair nor an alpha (reported, never silently dropped).</summary>
    public IReadOnlyList<string> UnrecognisedKeys { get; }

    public static LoraWeights Open(string path)
    {
        var file = SafetensorsFile.Open(path);
        var view = new KeyMappedSource(file, Prefixes);
        var layers = new List<(string, string, string, string?)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nameA in view.Keys.Where(k => k.EndsWith(".lora_A.weight", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var module = nameA[..^".lora_A.weight".Length];
            string keyA = view.FileKey(nameA);
            if (!view.Contains(module + ".lora_B.weight")) throw new InvalidDataException($"{path}: {keyA} has no {keyA[..^".lora_A.weight".Length]}.lora_B.weight");
            string keyB = view.FileKey(module + ".lora_B.weight");
            string? keyAlpha = view.Contains(module + ".alpha") ? view.FileKey(module + ".alpha") : null;
            layers.Add((module + ".weight", keyA, keyB, keyAlpha));
            used.Add(keyA);
            used.Add(keyB);
            if (keyAlpha is not null) used.Add(keyAlpha);
        }
        return new LoraWeights(file, layers, file.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The dtype and shape of one of the file's tensors, read from the header.</summary>
    public TensorInfo Info(string key) => _file.Info(key);

    /// <summary>Loads one layer's factors onto <paramref name="device"/> in float32.</summary>
    public LoraLayer Load(int index, Device device)
    {
        var (target, keyA, keyB, keyAlpha) = Layers[index];
        var a = _file.Load(keyA, device, DType.Float32);
        var b = _file.Load(keyB, device, DType.Float32);
        double scale = 1;
        if (keyAlpha is not null)
        {
            using var alpha = _file.Load(keyAlpha, Device.Cpu, DType.Float32);
            scale = alpha.Item() / a.Size(0);
        }
        return new LoraLayer(target, a, b, scale);
    }

    public void Dispose() => _file.Dispose();
}
