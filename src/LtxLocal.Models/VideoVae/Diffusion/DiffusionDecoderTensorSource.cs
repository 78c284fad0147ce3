using LtxLocal.Models.Checkpoints;
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

    // The file layouts the decoder is released in, onto module names: under vae. or bare, and the timestep MLP's
    // mlp.0 / mlp.2 onto the shared timestep embedder's linear_1 / linear_2.
    private static readonly KeyRule[] Renames =
    {
        ("", "vae.decoder."), ("", "decoder."),
        ("per_channel_statistics.", "vae.per_channel_statistics."), ("per_channel_statistics.", "per_channel_statistics."),
        ("t_embedder.timestep_embedder.linear_1.", "vae.decoder.t_embedder.mlp.0."), ("t_embedder.timestep_embedder.linear_2.", "vae.decoder.t_embedder.mlp.2."),
        ("t_embedder.timestep_embedder.linear_1.", "decoder.t_embedder.mlp.0."), ("t_embedder.timestep_embedder.linear_2.", "decoder.t_embedder.mlp.2."),
    };

    private readonly KeyMappedSource _renamed;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public DiffusionDecoderTensorSource(ITensorSource inner)
    {
        _renamed = new KeyMappedSource(inner, Renames);
        foreach (var name in _renamed.Keys)
        {
            if (name.StartsWith("coarse_", StringComparison.Ordinal) || name.EndsWith(".gate_msa", StringComparison.Ordinal)
                || name.EndsWith(".gate_mlp", StringComparison.Ordinal) || name.EndsWith(".gate_ctx", StringComparison.Ordinal))
                continue;
            if (name.EndsWith(".qkv.weight", StringComparison.Ordinal) || name.EndsWith(".qkv.bias", StringComparison.Ordinal))
            {
                var leaf = name.EndsWith(".weight", StringComparison.Ordinal) ? "weight" : "bias";
                var stem = name[..^(leaf.Length + 1)];
                var projections = new[] { "to_q", "to_k", "to_v" };
                for (int i = 0; i < 3; i++) _entries[$"{stem}.{projections[i]}.{leaf}"] = new Entry(name, i, null);
                continue;
            }
            string? gate = null;
            foreach (var (leaf, gateSuffix) in GateTargets)
                if (name.EndsWith(leaf, StringComparison.Ordinal) && _renamed.Contains(name[..^leaf.Length] + gateSuffix))
                    gate = name[..^leaf.Length] + gateSuffix;
            _entries[name] = new Entry(name, null, gate);
        }
    }

    public IReadOnlyCollection<string> Keys => _entries.Keys;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public TensorInfo Info(string name)
    {
        var entry = _entries[name];
        var info = _renamed.Info(entry.Source);
        if (entry.Third is null) return info with { Name = name };
        var shape = info.Shape.ToArray();
        if (shape[0] % 3 != 0) throw new InvalidDataException($"fused QKV tensor '{_renamed.FileKey(entry.Source)}' has leading size {shape[0]}, not divisible by 3");
        shape[0] /= 3;
        return new TensorInfo(name, info.DType, shape);
    }

    public Tensor Load(string name, Device device, DType? dtype = null)
    {
        var entry = _entries[name];
        using var scope = TorchRuntime.NewDisposeScope();
        var stored = _renamed.Load(entry.Source, device);
        var value = stored;
        if (entry.Third is { } third)
        {
            long part = stored.Shape[0] / 3;
            value = stored.Narrow(0, third * part, part).Contiguous();
        }
        else if (entry.GateKey is { } gateKey)
        {
            var gate = _renamed.Load(gateKey, device, DType.Float32);
            if (stored.Dim == 2) gate = gate.Unsqueeze(1);
            value = (gate * stored.To(DType.Float32)).To(stored.DType); // the fold is rounded to the file dtype, as the reference does
        }
        return scope.MoveToOuter(value.To(device, dtype ?? value.DType));
    }

    // Source: the renamed key read; Third: which third of a fused QKV; GateKey: the renamed gate folded in.
    private sealed record Entry(string Source, int? Third, string? GateKey);
}
