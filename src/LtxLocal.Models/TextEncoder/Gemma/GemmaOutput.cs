using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>What a Gemma pass returns: the final-normed states and, when asked, all num_layers + 1 hidden states.</summary>
public sealed record GemmaOutput(Tensor LastHiddenState, IReadOnlyList<Tensor>? HiddenStates) : IDisposable
{
    public void Dispose()
    {
        LastHiddenState.Dispose();
        if (HiddenStates is null) return;
        foreach (var h in HiddenStates) if (!ReferenceEquals(h, LastHiddenState)) h.Dispose();
    }
}
