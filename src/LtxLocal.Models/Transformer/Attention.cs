using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// Multi-head attention of the LTX transformer (attention.py + ops.py): project, RMS-normalise q and k over the
/// whole inner width (<c>q_norm</c>, <c>k_norm</c>), RoPE, SDPA with 1/√head_dim, optional per-head gate
/// 2·sigmoid(<c>to_gate_logits</c>(x)), <c>to_out.0</c>. STG perturbation blends in the raw value projection.
/// </summary>
public sealed class Attention : Module
{
    private readonly Linear _toQ, _toK, _toV, _toOut;
    private readonly Linear? _toGateLogits;
    private readonly RMSNorm _qNorm, _kNorm;
    private readonly RopeType _ropeType;

    /// <param name="options">dtype/device of the norms and the gate</param>
    /// <param name="linearOptions">dtype/device of the q/k/v/out projections (fp8 storage may differ); <paramref name="options"/> when null</param>
    public Attention(AttentionConfig config, ModuleOptions options, ModuleOptions? linearOptions = null)
    {
        linearOptions ??= options;
        Heads = config.Heads;
        HeadDim = config.HeadDim;
        _ropeType = config.RopeType;
        long inner = config.InnerDim, queryDim = config.QueryDim, context = config.ContextDim ?? queryDim;
        _qNorm = RegisterModule("q_norm", new RMSNorm(inner, config.NormEps, true, options));
        _kNorm = RegisterModule("k_norm", new RMSNorm(inner, config.NormEps, true, options));
        _toQ = RegisterModule("to_q", new Linear(queryDim, inner, true, linearOptions));
        _toK = RegisterModule("to_k", new Linear(context, inner, true, linearOptions));
        _toV = RegisterModule("to_v", new Linear(context, inner, true, linearOptions));
        if (config.Gated) _toGateLogits = RegisterModule("to_gate_logits", new Linear(queryDim, Heads, true, options));
        _toOut = RegisterModule("to_out", new OutputList(new Linear(inner, queryDim, true, linearOptions))).Projection;
    }

    public long Heads { get; }

    public long HeadDim { get; }

    /// <param name="x">query input [B, T, query_dim]</param>
    /// <param name="context">key/value input [B, S, context_dim]; x itself when null</param>
    /// <param name="mask">additive bias broadcastable to [B, heads, T, S], or null</param>
    /// <param name="pe">RoPE for q (and k unless <paramref name="kPe"/>); null = no RoPE</param>
    /// <param name="perturbationMask">[B, 1, 1] keep mask: out = attn·m + v·(1−m); null = keep all</param>
    /// <param name="allPerturbed">every sample skips attention: out = v, q and k are never computed</param>
    public Tensor Forward(Tensor x, Tensor? context = null, Tensor? mask = null, RopeTables? pe = null, RopeTables? kPe = null,
        Tensor? perturbationMask = null, bool allPerturbed = false)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        context ??= x;
        var values = _toV.Forward(context); // [B, S, inner]
        Tensor output;
        if (allPerturbed) output = values;
        else
        {
            var queries = _qNorm.Forward(_toQ.Forward(x));
            var keys = _kNorm.Forward(_toK.Forward(context));
            if (pe is not null)
            {
                queries = Rope.Apply(queries, pe, _ropeType);
                keys = Rope.Apply(keys, kPe ?? pe, _ropeType);
            }
            output = Attend(queries, keys, values, mask); // [B, T, inner]
            if (perturbationMask is not null) output = output * perturbationMask + values * (1.0 - perturbationMask);
        }
        if (_toGateLogits is not null)
        {
            var gates = _toGateLogits.Forward(x).Sigmoid_().Mul_(2.0).Unsqueeze(-1); // [B, T, heads, 1]
            long batch = output.Size(0), tokens = output.Size(1);
            output = (output.Reshape(batch, tokens, Heads, HeadDim) * gates).Reshape(batch, tokens, Heads * HeadDim);
        }
        return scope.MoveToOuter(_toOut.Forward(output));
    }

    // Without a fused kernel SDPA materialises [B, heads, T, S] scores: above this many elements the queries go in chunks.
    private const long MaxScoreElements = 1L << 28;

    private Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? mask)
    {
        long batch = queries.Size(0), tokens = queries.Size(1), keyTokens = keys.Size(1);
        Tensor Heads4(Tensor t) => t.Reshape(batch, t.Size(1), Heads, HeadDim).Transpose(1, 2); // [B, heads, L, head_dim]
        Tensor q = Heads4(queries), k = Heads4(keys), v = Heads4(values);
        long chunk = TorchRuntime.HasFusedAttention ? tokens : Math.Max(1, MaxScoreElements / (batch * Heads * keyTokens));
        Tensor attended;
        if (chunk >= tokens) attended = F.ScaledDotProductAttention(q, k, v, mask);
        else
        {
            // Softmax is per query row, so query chunks give exactly the unchunked result.
            var parts = new List<Tensor>();
            for (long start = 0; start < tokens; start += chunk)
            {
                long length = Math.Min(chunk, tokens - start);
                var rowMask = mask is not null && mask.Size(-2) > 1 ? mask.Narrow(-2, start, length) : mask;
                parts.Add(F.ScaledDotProductAttention(q.Narrow(2, start, length), k, v, rowMask));
            }
            attended = Tensor.Cat(parts, 2);
        }
        return attended.Transpose(1, 2).Reshape(batch, tokens, Heads * HeadDim); // [B, T, inner]
    }

    // The reference's to_out = Sequential(Linear, Identity): the checkpoint key is to_out.0.
    private sealed class OutputList : Module
    {
        public OutputList(Linear projection) => Projection = RegisterModule("0", projection);

        public Linear Projection { get; }
    }
}
