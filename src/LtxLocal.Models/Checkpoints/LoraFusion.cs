using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// Fuses LoRAs into a loaded model's weights in place (core/loader/fuse_loras.py): W += Σ strength·(B·A)·(alpha/rank),
/// computed in float32 on the weight's device and rounded once to the weight's dtype (float8 included). Unfusing
/// re-reads the touched weights from the checkpoint, which restores them exactly without keeping a copy.
/// </summary>
public static class LoraFusion
{
    public static LoraFusionReport Fuse(Module model, IReadOnlyList<LoraWithStrength> loras)
    {
        var weights = model.StateDict();
        var unknown = loras.SelectMany(l => l.Lora.Layers.Where(layer => !weights.ContainsKey(layer.Target))
            .Select(layer => $"{l.Lora.Path}: {layer.KeyA} -> {layer.Target}")).ToList();
        unknown.AddRange(loras.SelectMany(l => l.Lora.UnrecognisedKeys.Select(k => $"{l.Lora.Path}: {k} (not a lora_A/lora_B/alpha key)")));
        if (unknown.Count > 0)
            throw new LoraMismatchException($"LoRA keys with no target in the model ({unknown.Count}):\n  " + string.Join("\n  ", unknown.Take(50)));

        var touched = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in loras.SelectMany(l => Enumerable.Range(0, l.Lora.Layers.Count).Select(i => (l, i)))
                     .GroupBy(x => x.l.Lora.Layers[x.i].Target))
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var weight = weights[group.Key];
            var sum = weight.To(weight.Device, DType.Float32, copy: true);
            foreach (var (lora, index) in group)
            {
                var layer = lora.Lora.Load(index, weight.Device);
                sum.Add_((layer.B * (lora.Strength * layer.Scale)).MatMul(layer.A));
                layer.A.Dispose();
                layer.B.Dispose();
            }
            // Replaced, not written in place: a CPU weight may alias the read-only memory map.
            model.LoadStateDict(new Dictionary<string, Tensor> { [group.Key] = sum.To(weight.DType) }, strict: false);
            touched.Add(group.Key);
        }
        return new LoraFusionReport(touched.ToList());
    }

    /// <summary>Restores the fused weights from <paramref name="source"/> (model naming, e.g. the loader's key-mapped view).</summary>
    public static void Unfuse(Module model, LoraFusionReport report, ITensorSource source)
    {
        foreach (var name in report.FusedWeights)
        {
            var weights = model.StateDict();
            using var scope = TorchRuntime.NewDisposeScope();
            var weight = weights[name];
            model.LoadStateDict(new Dictionary<string, Tensor> { [name] = source.Load(name, weight.Device, weight.DType) }, strict: false);
        }
    }
}
