namespace LtxLocal.Inference.Guidance;

/// <summary>
/// Combines the model's x0 predictions of one modality (MultiModalGuider.calculate):
/// pred = cond + (cfg-1)(cond - uncond_text) + stg(cond - perturbed) + (modality-1)(cond - isolated), then, with a
/// rescale r, pred·(r·std(cond)/std(pred) + 1 - r) with std over every element (unbiased). Float32 throughout.
/// </summary>
public sealed class MultiModalGuider(GuiderParams parameters)
{
    public GuiderParams Params { get; } = parameters;

    /// <summary>Disabled passes may be null; their terms are zero.</summary>
    public Tensor Calculate(Tensor cond, Tensor? uncondText, Tensor? uncondPerturbed, Tensor? uncondModality)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var c = cond.To(DType.Float32);
        var pred = c;
        if (Params.UsesUnconditionalText) pred = pred + (Params.CfgScale - 1) * (c - Required(uncondText, "uncond_text").To(DType.Float32));
        if (Params.UsesPerturbed) pred = pred + Params.StgScale * (c - Required(uncondPerturbed, "perturbed").To(DType.Float32));
        if (Params.UsesIsolatedModality) pred = pred + (Params.ModalityScale - 1) * (c - Required(uncondModality, "isolated modality").To(DType.Float32));
        if (Params.RescaleScale != 0)
        {
            // The reference forms the factor on 0-dim float32 tensors; the constant 1 - r is a double rounded to float32.
            float ratio = (float)c.Std().Item() / (float)pred.Std().Item();
            float factor = (float)Params.RescaleScale * ratio + (float)(1 - Params.RescaleScale);
            pred = pred * factor;
        }
        return pred.To(cond.DType).MoveToOuterScope();
    }

    private static Tensor Required(Tensor? t, string name) =>
        t ?? throw new ArgumentException($"the guider's {name} prediction is required by these parameters");

    /// <summary>CFGGuider.delta: (scale - 1)·(cond - uncond).</summary>
    public static Tensor CfgDelta(Tensor cond, Tensor uncond, double scale)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return ((scale - 1) * (cond - uncond)).MoveToOuterScope();
    }

    /// <summary>STGGuider.delta: scale·(cond - perturbed).</summary>
    public static Tensor StgDelta(Tensor cond, Tensor perturbed, double scale)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return (scale * (cond - perturbed)).MoveToOuterScope();
    }
}
