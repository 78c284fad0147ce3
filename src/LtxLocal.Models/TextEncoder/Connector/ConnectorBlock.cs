using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>
/// One pre-norm connector block (ltx_core _BasicTransformerBlock1D): weightless RMS norms before the transformer's
/// <see cref="Attention"/> (self-attention, RoPE, optional gate) and its <see cref="FeedForward"/>, each added back.
/// </summary>
public sealed class ConnectorBlock : Module
{
    // The reference's rms_norm default, used by the block's weightless norms and the attention's q/k norms alike.
    public const double NormEps = 1e-6;

    private readonly Attention _attention;
    private readonly FeedForward _ff;

    public ConnectorBlock(ConnectorConfig config, ModuleOptions options)
    {
        var attention = new AttentionConfig(config.InnerDim, config.Heads, config.HeadDim, NormEps, config.RopeType, config.GatedAttention);
        _attention = RegisterModule("attn1", new Attention(attention, options));
        _ff = RegisterModule("ff", new FeedForward(config.InnerDim, config.FeedForwardBias, options));
    }

    /// <param name="x">[B, T, inner]</param>
    /// <param name="rope">the connector's RoPE tables over positions 0..T-1</param>
    /// <param name="additiveMask">[B, 1, 1, T] or null</param>
    public Tensor Forward(Tensor x, RopeTables rope, Tensor? additiveMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = x + _attention.Forward(F.RmsNorm(x, null, NormEps), mask: additiveMask, pe: rope);
        return h.Add_(_ff.Forward(F.RmsNorm(h, null, NormEps))).MoveToOuterScope();
    }
}
