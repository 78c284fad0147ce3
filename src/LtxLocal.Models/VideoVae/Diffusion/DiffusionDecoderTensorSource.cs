using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// A released diffusion-decoder file under <see cref="DiffusionVideoDecoder"/>'s module names (model_configurator.py
/// DIFFUSION_VAE_DECODER_COMFY_KEYS_FILTER with the gate fold of video_decoder_sd_ops_for_checkpoint): <c>vae.decoder.*</c> or
/// bare <c>decoder.*</c>, <c>[vae.]per_channel_statistics.*</c>; <c>t_embedder.mlp.0/2</c> → <c>t_embedder.timestep_embedder.linear_1/2</c>;
/// fused <c>attn.qkv.{weight,bias}</c> split into to_q / to_k / to_v; static <c>gate_msa / gate_mlp / gate_ctx</c> folded into
/// attn.proj / mlp.w_down / context_proj as bf16-style W ← cast(g[:, None]·W) (product in float32, cast back to the file dtype)
/// and dropped; <c>coarse_*</c> dropped.
/// </summary>
public sealed class DiffusionDecoderTensorSource : ITensorSource
{
    private static readonly (string Leaf, string Gate)[] GateTargets =
    {
        (".attn.proj.weight", ".gate_msa"), (".attn.proj.bias", ".gate_msa"),
        (".mlp.w_down.weight", ".gate_mlp"), (".mlp.w_down.bias", ".gate_mlp"),
        (".context_proj.weight", ".gate_ctx"), (".context_proj.bias", ".gate_ctx"),
    };

    private readonly ITensorSource _inner;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public DiffusionDecoderTensorSource(ITensorSource inner)
    {
        _inner = inner;
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var fileKey in inner.Keys)
            if (Rename(fileKey) is { } name) renamed.TryAdd(name, fileKey);
        foreach (var (name, fileKey) in renamed)
        {
            if (name.StartsWith("coarse_", StringComparison.Ordinal) || name.EndsWith(".gate_msa", StringComparison.Ordinal)
                || name.EndsWith(".gate_mlp", StringComparison.Ordinal) || name.EndsWith(".gate_ctx", StringComparison.Ordinal))
                continue;
            if (name.EndsWith(".qkv.weight", StringComparison.Ordinal) || name.EndsWith(".qkv.bias", StringComparison.Ordinal))
            {
                var leaf = name.EndsWith(".weight", StringComparison.Ordinal) ? "weight" : "bias";
                var stem = name[..^(leaf.Length + 1)];
                var projections = new[] { "to_q", "to_k", "to_v" };
                for (int i = 0; i < 3; i++) _entries[$"{stem}.{projections[i]}.{leaf}"] = new Entry(fileKey, i, null);
                continue;
            }
            string? gate = null;
            foreach (var (leaf, gateSuffix) in GateTargets)
                if (name.EndsWith(leaf, StringComparison.Ordinal) && renamed.TryGetValue(name[..^leaf.Length] + gateSuffix, out var gateKey))
                    gate = gateKey;
            _entries[name] = new Entry(fileKey, null, gate);
        }
    }

    public IReadOnlyCollection<string> Keys => _entries.Keys;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public TensorInfo Info(string name)
    {
        var entry = _entries[name];
        var info = _inner.Info(entry.FileKey);
        if (entry.Third is null) return info with { Name = name };
        var shape = info.Shape.ToArray();
        if (shape[0] % 3 != 0) throw new InvalidDataException($"fused QKV tensor '{entry.FileKey}' has leading size {shape[0]}, not divisible by 3");
        shape[0] /= 3;
        return new TensorInfo(name, info.DType, shape);
    }

    public Tensor Load(string name, Device device, DType? dtype = null)
    {
        var entry = _entries[name];
        using var scope = TorchRuntime.NewDisposeScope();
        var stored = _inner.Load(entry.FileKey, device);
        var value = stored;
        if (entry.Third is { } third)
        {
            long part = stored.Shape[0] / 3;
            value = stored.Narrow(0, third * part, part).Contiguous();
        }
        else if (entry.GateKey is { } gateKey)
        {
            var gate = _inner.Load(gateKey, device, DType.Float32);
            if (stored.Dim == 2) gate = gate.Unsqueeze(1);
            value = (gate * stored.To(DType.Float32)).To(stored.DType); // the fold is rounded to the file dtype, as the reference does
        }
        return scope.MoveToOuter(value.To(device, dtype ?? value.DType));
    }

    /// <summary>Module name of a file key, or null when the decoder does not read it.</summary>
    private static string? Rename(string fileKey)
    {
        string? name = null;
        foreach (var prefix in new[] { "vae.decoder.", "decoder." })
            if (name is null && fileKey.StartsWith(prefix, StringComparison.Ordinal)) name = fileKey[prefix.Length..];
        foreach (var prefix in new[] { "vae.per_channel_statistics.", "per_channel_statistics." })
            if (name is null && fileKey.StartsWith(prefix, StringComparison.Ordinal)) name = "per_channel_statistics." + fileKey[prefix.Length..];
        if (name is null) return null;
        if (name.StartsWith("t_embedder.mlp.0.", StringComparison.Ordinal)) return "t_embedder.timestep_embedder.linear_1." + name["t_embedder.mlp.0.".Length..];
        if (name.StartsWith("t_embedder.mlp.2.", StringComparison.Ordinal)) return "t_embedder.timestep_embedder.linear_2." + name["t_embedder.mlp.2.".Length..];
        return name;
    }

    private sealed record Entry(string FileKey, int? Third, string? GateKey);
}
