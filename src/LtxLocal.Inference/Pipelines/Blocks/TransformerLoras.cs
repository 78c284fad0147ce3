using LtxLocal.Inference.Catalog;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The one place LoRAs enter the transformer: a request's LoRAs from the model folder's <c>loras/</c> and, where a stage
/// needs it, the distilled LoRA after them, composed as the reference's <c>(*loras, *distilled_lora)</c>. <see cref="Use"/>
/// switches the transformer to a set: weights the old set touched are read back from the checkpoint and the new set is
/// fused onto those pristine values, so every set lands on the checkpoint's weights whatever ran before, and a set already
/// in place costs nothing (stage 1 and stage 2 of a run share the request's LoRAs, and so do jobs in a row with the same
/// set on a transformer that stays loaded). A LoRA file replaced on disk is another set (its size and time are compared
/// too). <see cref="Reset"/> restores the checkpoint's weights, bit for bit.
/// </summary>
public sealed class TransformerLoras(ModelFiles files)
{
    private readonly SortedSet<string> _fused = new(StringComparer.Ordinal);
    private IReadOnlyList<(string Path, double Strength, string Stamp)> _current = [];
    private LtxModel? _transformer;

    /// <summary>Whether a distilled LoRA is there for stages that need one.</summary>
    public bool HasDistilled => files.DistilledLora is not null;

    /// <summary>The weights that currently differ from the checkpoint (model naming).</summary>
    public IReadOnlyCollection<string> FusedWeights => _fused;

    /// <summary>
    /// Puts exactly <paramref name="loras"/> (by name, from loras/), then the distilled LoRA when <paramref name="distilled"/>,
    /// into <paramref name="transformer"/>. A LoRA that has left the folder since the request was accepted fails the job.
    /// </summary>
    public void Use(LtxModel transformer, IReadOnlyList<RequestLora> loras, bool distilled = false)
    {
        var wanted = new List<(string Path, double Strength, string Stamp)>();
        foreach (var lora in loras)
        {
            var path = LoraFolder.PathOf(files.Directory, lora.Name);
            if (!File.Exists(path)) throw new InvalidOperationException($"LoRA '{lora.Name}' is no longer in the model's {LoraFolder.Name}/ folder");
            wanted.Add((path, lora.Strength, Stamp(path)));
        }
        if (distilled && files.DistilledLora is { } distilledFile) wanted.Add((distilledFile, 1.0, Stamp(distilledFile)));
        Switch(transformer, wanted);
    }

    /// <summary>Restores the checkpoint's values of every fused weight.</summary>
    public void Reset(LtxModel transformer) => Switch(transformer, []);

    private static string Stamp(string path)
    {
        var info = new FileInfo(path);
        return $"{info.Length}@{info.LastWriteTimeUtc.Ticks}";
    }

    private void Switch(LtxModel transformer, List<(string Path, double Strength, string Stamp)> wanted)
    {
        if (!ReferenceEquals(transformer, _transformer))
        {
            // A transformer loaded afresh holds the checkpoint's weights.
            _transformer = transformer;
            _fused.Clear();
            _current = [];
        }
        if (wanted.SequenceEqual(_current)) return;
        using var checkpoint = SafetensorsFile.Open(files.Transformer);
        var pristine = new KeyMappedSource(checkpoint, TransformerKeys.Prefix, name => !TransformerKeys.IsConnector(name));
        var opened = new List<LoraWeights>();
        try
        {
            foreach (var (path, _, _) in wanted) opened.Add(LoraWeights.Open(path));
            var targets = opened.SelectMany(l => l.Layers.Select(layer => layer.Target)).ToHashSet(StringComparer.Ordinal);
            // Until the switch completes the state is unknown: a failure part-way leaves _current empty and _fused a superset.
            _current = [];
            var stale = _fused.Where(name => !targets.Contains(name)).ToList();
            LoraFusion.Unfuse(transformer, new LoraFusionReport(stale), pristine);
            _fused.ExceptWith(stale);
            if (opened.Count > 0)
            {
                // Marked before fusing, so a failure half-way still knows every weight it may have changed.
                var dirty = new HashSet<string>(_fused, StringComparer.Ordinal);
                var weights = transformer.StateDict();
                _fused.UnionWith(targets.Where(weights.ContainsKey));
                LoraFusion.Fuse(transformer, [.. opened.Select((l, i) => new LoraWithStrength(l, wanted[i].Strength))], pristine, dirty);
            }
            _current = wanted;
        }
        finally
        {
            foreach (var lora in opened) lora.Dispose();
        }
    }
}
