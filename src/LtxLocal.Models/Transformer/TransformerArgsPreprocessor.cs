using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// Turns one stream's <see cref="Modality"/> into block inputs (transformer_args.py TransformerArgsPreprocessor and
/// MultiModalTransformerArgsPreprocessor): patchify projection (+ keyframe marker), AdaLN of the per-token timesteps,
/// prompt AdaLN of sigma, caption projection, the additive text mask, RoPE, and for audio+video the time-axis cross
/// RoPE, the A/V scale-shift AdaLN of the timesteps and the gate AdaLN of the other stream's sigma.
/// </summary>
public sealed class TransformerArgsPreprocessor
{
    private readonly LtxModelConfig _config;

    public TransformerArgsPreprocessor(LtxModelConfig config, Linear patchifyProjection, AdaLayerNormSingle adaLn, long innerDim, long heads, long[] maxPos)
    {
        _config = config;
        (PatchifyProjection, AdaLn, InnerDim, Heads, MaxPos) = (patchifyProjection, adaLn, innerDim, heads, maxPos);
    }

    public Linear PatchifyProjection { get; }
    public AdaLayerNormSingle AdaLn { get; }
    public long InnerDim { get; }
    public long Heads { get; }
    public long[] MaxPos { get; }
    public AdaLayerNormSingle? PromptAdaLn { get; init; }
    public CaptionProjection? CaptionProjection { get; init; }
    public Func<Tensor?>? KeyframesEmbedding { get; set; }
    public AdaLayerNormSingle? CrossScaleShiftAdaLn { get; set; }
    public AdaLayerNormSingle? CrossGateAdaLn { get; set; }

    /// <summary>Returns the projected hidden state [B, T, D] and the block inputs.</summary>
    public (Tensor X, TransformerArgs Args) Prepare(Modality modality, Modality? crossModality)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var dtype = modality.Latent.DType;
        var x = PatchifyProjection.Forward(modality.Latent); // [B, T, D]
        if (KeyframesEmbedding?.Invoke() is { } marker && modality.KeyframesMask is { } keyframes)
            x = x + keyframes.Gt(0).To(dtype) * marker.To(dtype);
        long batch = x.Size(0);
        var (timesteps, embedded) = Embed(AdaLn, modality.Timesteps.Mul(_config.TimestepScaleMultiplier), batch, dtype);
        Tensor? prompt = PromptAdaLn is null ? null : Embed(PromptAdaLn, modality.Sigma.Mul(_config.TimestepScaleMultiplier), batch, dtype).Modulation;
        var context = CaptionProjection?.Forward(modality.Context) ?? modality.Context;
        context = context.Reshape(batch, -1, x.Size(-1));
        var pe = Rope.Precompute(modality.Positions,
            new RopeConfig(InnerDim, _config.PositionalEmbeddingTheta, MaxPos, Heads, _config.RopeType, _config.DoublePrecisionRope), dtype);
        var args = new TransformerArgs(timesteps, embedded, pe, context, TextMask(modality.ContextMask, dtype), prompt,
            SelfAttentionBias(modality.AttentionMask, dtype), modality.Enabled);
        if (crossModality is not null && CrossScaleShiftAdaLn is not null && CrossGateAdaLn is not null)
        {
            double multiplier = _config.TimestepScaleMultiplier;
            var crossPe = Rope.Precompute(modality.Positions.Narrow(1, 0, 1), new RopeConfig(_config.AudioCrossAttentionDim,
                _config.PositionalEmbeddingTheta, new[] { Math.Max(_config.PositionalEmbeddingMaxPos[0], _config.AudioPositionalEmbeddingMaxPos[0]) },
                Heads, _config.RopeType, _config.DoublePrecisionRope), dtype);
            var scaleShift = Embed(CrossScaleShiftAdaLn, modality.Timesteps.Mul(multiplier), batch, dtype).Modulation;
            // The gate follows the other stream's sigma, scaled by av_ca_timestep_scale_multiplier in two float32 steps as the reference does.
            var gate = Embed(CrossGateAdaLn, crossModality.Sigma.Mul(multiplier).Mul(_config.AvCaTimestepScaleMultiplier / multiplier), batch, dtype).Modulation;
            args = args with { CrossPositionalEmbeddings = crossPe, CrossScaleShiftTimestep = scaleShift, CrossGateTimestep = gate };
        }
        Keep(scope, args);
        return (scope.MoveToOuter(x), args);
    }

    /// <summary>AdaLN of flattened timesteps, viewed back as [B, T or 1, ·].</summary>
    private static (Tensor Modulation, Tensor Embedded) Embed(AdaLayerNormSingle adaLn, Tensor scaledTimesteps, long batch, DType dtype)
    {
        var (modulation, embedded) = adaLn.Forward(scaledTimesteps.Flatten(), dtype);
        return (modulation.Reshape(batch, -1, modulation.Size(-1)), embedded.Reshape(batch, -1, embedded.Size(-1)));
    }

    /// <summary>int mask [B, S] (1 keep) -> additive bias (mask − 1)·finfo.max as [B, 1, 1, S]; finite, not −inf.</summary>
    public static Tensor? TextMask(Tensor? mask, DType dtype)
    {
        if (mask is null) return null;
        if (mask.DType.IsFloatingPoint()) return mask.Alias(); // already an additive bias
        return (mask - 1).To(dtype).Reshape(mask.Size(0), 1, -1, mask.Size(-1)) * MaxValue(dtype);
    }

    /// <summary>[B, T, T] in [0, 1] -> additive log bias [B, 1, T, T]: 0 -> the dtype's lowest value, v > 0 -> log(max(v, tiny)).</summary>
    public static Tensor? SelfAttentionBias(Tensor? mask, DType dtype)
    {
        if (mask is null) return null;
        var values = mask.To(dtype);
        var logs = values.Clamp(min: TinyValue(dtype)).Log();
        return Tensor.Where(values.Gt(0), logs, Tensor.FullLike(logs, -MaxValue(dtype))).Unsqueeze(1);
    }

    private static double MaxValue(DType dtype) => dtype switch
    {
        DType.Float16 => 65504.0,
        DType.BFloat16 => 3.3895313892515355e38,
        DType.Float64 => double.MaxValue,
        _ => float.MaxValue,
    };

    private static double TinyValue(DType dtype) => dtype switch
    {
        DType.Float16 => 6.103515625e-05,
        DType.Float64 => 2.2250738585072014e-308,
        _ => 1.1754943508222875e-38,
    };

    private static void Keep(DisposeScope scope, TransformerArgs args)
    {
        foreach (var t in new[] { args.Timesteps, args.EmbeddedTimestep, args.PositionalEmbeddings.Cos, args.PositionalEmbeddings.Sin, args.Context,
                     args.ContextMask, args.PromptTimestep, args.SelfAttentionMask, args.CrossPositionalEmbeddings?.Cos,
                     args.CrossPositionalEmbeddings?.Sin, args.CrossScaleShiftTimestep, args.CrossGateTimestep })
            if (t is not null) scope.MoveToOuter(t);
    }
}
