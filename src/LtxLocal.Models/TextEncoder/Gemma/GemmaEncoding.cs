using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>Gemma's view of one prompt: all hidden states stacked [1, T, D, L] and the attention mask [1, T].</summary>
public sealed record GemmaEncoding(Tensor HiddenStates, Tensor AttentionMask) : IDisposable
{
    public void Dispose()
    {
        HiddenStates.Dispose();
        AttentionMask.Dispose();
    }
}
