using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>A Gemma text tower as the encoder and the prompt enhancer use it (Gemma 3 or Gemma 4).</summary>
public interface IGemmaTextModel : IDisposable
{
    int HiddenSize { get; }
    int NumLayers { get; }
    IReadOnlyList<int> EosTokenIds { get; }

    /// <summary>tanh soft cap on the output logits (Gemma 4's final_logit_softcapping), or null.</summary>
    double? FinalLogitSoftcapping { get; }

    /// <summary>The (tied) embedding matrix [vocab, hidden]: also the output head for generation.</summary>
    Tensor EmbeddingWeight { get; }

    /// <param name="inputIds">[B, T] int64</param>
    /// <param name="attentionMask">[B, past + T], 1 = real token (left padding allowed)</param>
    /// <param name="cache">generation cache (positions continue after it), or null</param>
    GemmaOutput Forward(Tensor inputIds, Tensor attentionMask, bool outputHiddenStates = true, GemmaKvCache? cache = null);
}
