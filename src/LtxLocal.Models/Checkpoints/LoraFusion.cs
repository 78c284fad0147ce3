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
    /// <param name="pristine">where the unfused value of a weight in <paramref name="fused"/> is read (model naming)</param>
    /// <param name="fused">weights that currently hold an earlier fusion: their base is re-read from <paramref name="pristine"/>, so
    /// a new set is always fused onto the checkpoint's weights, as the reference builds each stage's set from the file</param>
    public static LoraFusionReport Fuse(Module model, IReadOnlyList<LoraWithStrength> loras, ITensorSource? pristine = null,
        IReadOnlySet<string>? fused = null)
    {
        var weights = model.StateDict();
        var problems = loras.Select(l => (l.Lora.Path, Problem: LoraTargets.Mismatch(l.Lora, name => weights.TryGetValue(name, out var w) ? w.Shape : null)))
            .Where(p => p.Problem is not null).Select(p => $"{p.Path}: {p.Problem}").ToList();
        if (problems.Count > 0)
            throw new LoraMismatchException("LoRA keys that do not fit the model:\n  " + string.Join("\n  ", problems));

        var touched = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in loras.SelectMany(l => Enumerable.Range(0, l.Lora.Layers.Count).Select(i => (l, i)))
                     .GroupBy(x => x.l.Lora.Layers[x.i].Target))
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var weight = weights[group.Key];
            var sum = fused is not null && fused.Contains(group.Key)
                ? (pristine ?? throw new ArgumentNullException(nameof(pristine))).Load(group.Key, weight.Device, weight.DType).To(DType.Float32)
                : weight.To(weight.Device, DType.Float32, copy: true);
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
