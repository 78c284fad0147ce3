using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The decoder-layer loop shared by the Gemma towers, collecting hidden states as HF does: [0] the scaled embeddings,
/// [i] the raw output of layer i-1, [L] the final-normed output (not the raw last layer).
/// </summary>
public static class GemmaLayerStack
{
    /// <param name="embeddings">[B, T, hidden], owned by the caller's scope</param>
    /// <param name="layer">runs decoder layer i on the residual stream</param>
    /// <param name="finalNorm">the tower's last norm</param>
    public static GemmaOutput Run(Tensor embeddings, int layers, Func<int, Tensor, Tensor> layer, Func<Tensor, Tensor> finalNorm,
        bool outputHiddenStates)
    {
        var h = embeddings;
        var states = outputHiddenStates ? new List<Tensor> { h.MoveToOuterScope() } : null;
        bool kept = states is not null;
        for (int i = 0; i < layers; i++)
        {
            var next = layer(i, h);
            if (!kept) h.Dispose(); // free each residual stream as soon as the next exists
            kept = states is not null && i < layers - 1;
            if (kept) states!.Add(next.MoveToOuterScope());
            h = next;
        }
        var last = finalNorm(h).MoveToOuterScope();
        states?.Add(last);
        return new GemmaOutput(last, states);
    }
}
