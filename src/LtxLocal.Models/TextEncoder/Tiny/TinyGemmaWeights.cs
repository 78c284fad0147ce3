using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Tiny;

/// <summary>
/// Random bf16 weights of a tiny Gemma text tower, as both tiny writers draw them: the embedding and the final norm,
/// then per layer the four sandwich norms, the layer scalar (Gemma 4), the q/k/v/o projections with q/k norms and the
/// gated MLP, in that order from one generator (the order fixes the tiny models' weights for a seed). Without a
/// generator every tensor is a bf16 meta tensor: the shapes of a header-only file whose values are drawn on load.
/// </summary>
public sealed class TinyGemmaWeights(Generator? generator, double normMean)
{
    private static readonly string[] SandwichNorms = ["input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"];

    /// <summary>N(mean, std²) drawn in float32, stored as bf16.</summary>
    public Tensor Random(long[] shape, double std, double mean = 0)
    {
        if (generator is null) return Tensor.Empty(shape, DType.BFloat16, Device.Meta);
        var drawn = Tensor.Randn(shape, generator) * std;
        return (mean == 0 ? drawn : drawn + mean).To(DType.BFloat16);
    }

    public Tensor Linear(long outFeatures, long inFeatures) => Random([outFeatures, inFeatures], 1.0 / Math.Sqrt(inFeatures));

    /// <summary>Gemma 3 stores norms around 0 (gain 1 + w), Gemma 4 around 1 (gain w): the mean says which.</summary>
    public Tensor Norm(long dim) => Random([dim], 0.25, normMean);

    /// <summary><c>embed_tokens.weight</c> and <c>norm.weight</c> under <paramref name="prefix"/>.</summary>
    public void AddEmbeddingAndNorm(IDictionary<string, Tensor> tensors, string prefix, long vocab, long hidden)
    {
        tensors[prefix + "embed_tokens.weight"] = Random([vocab, hidden], 1.0 / Math.Sqrt(hidden));
        tensors[prefix + "norm.weight"] = Norm(hidden);
    }

    /// <summary>
    /// The <c>text_config</c> keys both tiny configs write (model type, sizes, sliding window, norm epsilon, vocabulary,
    /// activation); each writer adds its generation's own (RoPE, layer kinds, head sizes of full layers).
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject TextConfig(string modelType, int hidden, int intermediate, int layers, int heads,
        int kvHeads, int headDim, int slidingWindow, int vocab) => new()
    {
        ["model_type"] = modelType,
        ["hidden_size"] = hidden,
        ["intermediate_size"] = intermediate,
        ["num_hidden_layers"] = layers,
        ["num_attention_heads"] = heads,
        ["num_key_value_heads"] = kvHeads,
        ["head_dim"] = headDim,
        ["sliding_window"] = slidingWindow,
        ["rms_norm_eps"] = 1e-6,
        ["vocab_size"] = vocab,
        ["hidden_activation"] = "gelu_pytorch_tanh",
    };

    /// <summary>One decoder layer's weights under <paramref name="layerPrefix"/> (ends with "layers.i.").</summary>
    /// <param name="valueProjection">false for a Gemma 4 full layer with attention_k_eq_v (values are the keys)</param>
    public void AddLayer(IDictionary<string, Tensor> tensors, string layerPrefix, long hidden, long intermediate, long heads,
        long headDim, long kvHeads, bool valueProjection, bool layerScalar)
    {
        long q = heads * headDim, kv = kvHeads * headDim;
        foreach (var norm in SandwichNorms) tensors[layerPrefix + norm + ".weight"] = Norm(hidden);
        if (layerScalar) tensors[layerPrefix + "layer_scalar"] = Random([1], 0.1, mean: 1);
        tensors[layerPrefix + "self_attn.q_proj.weight"] = Linear(q, hidden);
        tensors[layerPrefix + "self_attn.k_proj.weight"] = Linear(kv, hidden);
        if (valueProjection) tensors[layerPrefix + "self_attn.v_proj.weight"] = Linear(kv, hidden);
        tensors[layerPrefix + "self_attn.o_proj.weight"] = Linear(hidden, q);
        tensors[layerPrefix + "self_attn.q_norm.weight"] = Norm(headDim);
        tensors[layerPrefix + "self_attn.k_norm.weight"] = Norm(headDim);
        tensors[layerPrefix + "mlp.gate_proj.weight"] = Linear(intermediate, hidden);
        tensors[layerPrefix + "mlp.up_proj.weight"] = Linear(intermediate, hidden);
        tensors[layerPrefix + "mlp.down_proj.weight"] = Linear(hidden, intermediate);
    }
}
