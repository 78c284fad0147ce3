namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// Whether a LoRA fits a model before anything is loaded: every lora_A/lora_B pair must name a weight the model has, with
/// A [rank, in] and B [out, rank] matching that weight's [out, in]; keys that are no LoRA factor count as misfits too.
/// The reference skips keys it cannot place; here a misfit is reported, so a LoRA made for another model is never
/// applied in part without anyone knowing.
/// </summary>
public static class LoraTargets
{
    /// <summary>
    /// Null when <paramref name="lora"/> fits; otherwise why not, naming the first few misfits.
    /// <paramref name="shapeOf"/> gives a model weight's shape by module name, null when the model has no such weight.
    /// </summary>
    public static string? Mismatch(LoraWeights lora, Func<string, long[]?> shapeOf)
    {
        if (lora.Layers.Count == 0)
            return "it holds no LoRA layers (no *.lora_A.weight / *.lora_B.weight keys)";
        var misfits = new List<string>();
        var unmatched = 0;
        foreach (var (target, keyA, keyB, _) in lora.Layers)
        {
            var shape = shapeOf(target);
            if (shape is null)
            {
                unmatched++;
                misfits.Add($"{keyA}: the model has no {target}");
                continue;
            }
            long[] a = lora.Info(keyA).Shape, b = lora.Info(keyB).Shape;
            if (shape.Length != 2 || a.Length != 2 || b.Length != 2 || a[0] != b[1] || a[1] != shape[1] || b[0] != shape[0])
                misfits.Add($"{keyA}: A [{string.Join(", ", a)}] and B [{string.Join(", ", b)}] do not fit {target} [{string.Join(", ", shape)}]");
        }
        misfits.AddRange(lora.UnrecognisedKeys.Select(k => $"{k}: not a lora_A / lora_B / alpha key"));
        if (misfits.Count == 0) return null;
        var head = unmatched == lora.Layers.Count
            ? $"none of its {lora.Layers.Count} layers matches a weight of the transformer"
            : $"{misfits.Count} of its keys do not fit the transformer";
        return $"{head} (e.g. {string.Join("; ", misfits.Take(3))})";
    }
}
