using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder;

/// <summary>
/// The connector's self-attention (ltx_core Attention as the connector uses it): biased q/k/v, RMSNorm over the whole
/// inner dim on q and k, split RoPE, softmax(q k^T / sqrt(head_dim)) v, optional per-head gate 2*sigmoid(logits), to_out.0.
/// </summary>
public sealed class ConnectorAttention : Module
{
    private readonly Linear _q, _k, _v;
    private readonly ModuleList<Linear> _out;
    private readonly RMSNorm _qNorm, _kNorm;
    private readonly Linear? _gate;
    private readonly long _heads;

    public ConnectorAttention(ConnectorConfig config, ModuleOptions options)
    {
        long dim = config.InnerDim;
        _heads = config.Heads;
        _q = RegisterModule("to_q", new Linear(dim, dim, bias: true, options));
        _k = RegisterModule("to_k", new Linear(dim, dim, bias: true, options));
        _v = RegisterModule("to_v", new Linear(dim, dim, bias: true, options));
        _qNorm = RegisterModule("q_norm", new RMSNorm(dim, 1e-6, elementwiseAffine: true, options));
        _kNorm = RegisterModule("k_norm", new RMSNorm(dim, 1e-6, elementwiseAffine: true, options));
        _out = RegisterModule("to_out", new ModuleList<Linear>([new Linear(dim, dim, bias: true, options)]));
        if (config.GatedAttention) _gate = RegisterModule("to_gate_logits", new Linear(dim, _heads, bias: true, options));
    }

    /// <param name="x">[B, T, inner]</param>
    /// <param name="additiveMask">[B, 1, 1, T] or null</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? additiveMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = x.Size(0), t = x.Size(1);
        var queries = ConnectorRope.Apply(_qNorm.Forward(_q.Forward(x)), cos, sin, _heads);
        var keys = ConnectorRope.Apply(_kNorm.Forward(_k.Forward(x)), cos, sin, _heads);
        var values = _v.Forward(x);
        var attended = F.ScaledDotProductAttention(Heads(queries), Heads(keys), Heads(values), additiveMask); // [B, H, T, hd]
        attended = attended.Transpose(1, 2);                                                                   // [B, T, H, hd]
        if (_gate is not null) attended = attended * (_gate.Forward(x).Sigmoid() * 2.0).Unsqueeze(-1);
        return _out[0].Forward(attended.Reshape(b, t, -1)).MoveToOuterScope();
    }

    private Tensor Heads(Tensor x) => x.View(x.Size(0), x.Size(1), _heads, -1).Transpose(1, 2);
}
