using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder;

/// <summary>One pre-norm connector block (ltx_core _BasicTransformerBlock1D): weightless RMS norms before attention and FFN.</summary>
public sealed class ConnectorBlock : Module
{
    private readonly ConnectorAttention _attention;
    private readonly ConnectorFeedForward _ff;

    public ConnectorBlock(ConnectorConfig config, ModuleOptions options)
    {
        _attention = RegisterModule("attn1", new ConnectorAttention(config, options));
        _ff = RegisterModule("ff", new ConnectorFeedForward(config.InnerDim, config.FeedForwardBias, options));
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? additiveMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = x + _attention.Forward(F.RmsNorm(x, null, 1e-6), cos, sin, additiveMask);
        return h.Add_(_ff.Forward(F.RmsNorm(h, null, 1e-6))).MoveToOuterScope();
    }
}
