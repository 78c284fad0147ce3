using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Enhancement;

/// <summary>Picks the next token from one step's logits (transformers' logits processors and warpers, in their order).</summary>
public static class GemmaSampler
{
    /// <param name="logits">[vocab] float32 logits of the last position</param>
    /// <param name="history">all token ids so far (prompt + generated), for the n-gram ban</param>
    public static long Next(Tensor logits, IReadOnlyList<long> history, EnhanceOptions options, Generator generator)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var banned = BannedByNgrams(history, options.NoRepeatNgramSize);
        if (banned.Count > 0)
        {
            var index = Tensor.From(banned.ToArray(), banned.Count).To(logits.Device);
            var hit = Tensor.ZerosLike(logits).Scatter(0, index, Tensor.Ones([banned.Count], logits.DType, logits.Device));
            logits = logits.MaskedFill(hit.Ne(0), double.NegativeInfinity);
        }
        if (!options.Sample || options.Temperature <= 0) return (long)logits.ArgMax(-1).Item();

        var scores = logits / options.Temperature;
        if (options.TopK > 0 && options.TopK < scores.Size(0))
        {
            var kth = scores.TopK(options.TopK).Values.Select(0, options.TopK - 1);                      // the k-th largest
            scores = scores.MaskedFill(scores.Lt(kth), double.NegativeInfinity);
        }
        if (options.TopP < 1.0) scores = TopP(scores, options.TopP);
        return (long)Tensor.Multinomial(scores.Softmax(-1), 1, generator: generator).Item();
    }

    /// <summary>Drops the least likely tokens whose cumulative probability stays within 1 - top_p (always keeps the best).</summary>
    private static Tensor TopP(Tensor scores, double topP)
    {
        var (sorted, order) = scores.Sort(-1, descending: false);
        var cumulative = sorted.Softmax(-1).CumSum(-1);
        long vocab = scores.Size(0);
        var notTop = Tensor.Arange(vocab, DType.Int64, scores.Device).Ne(vocab - 1);                      // always keep the best
        var removeSorted = cumulative.Le(1 - topP) & notTop;
        var remove = removeSorted.Scatter(0, order, removeSorted);
        return scores.MaskedFill(remove, double.NegativeInfinity);
    }

    /// <summary>Tokens that would complete an n-gram already present in <paramref name="history"/> (HF NoRepeatNGramLogitsProcessor).</summary>
    public static List<long> BannedByNgrams(IReadOnlyList<long> history, int n)
    {
        var banned = new List<long>();
        if (n <= 0 || history.Count + 1 < n) return banned;
        int start = history.Count - (n - 1);
        for (int i = 0; i + n <= history.Count; i++)
        {
            bool same = true;
            for (int j = 0; j < n - 1 && same; j++) same = history[i + j] == history[start + j];
            if (same) banned.Add(history[i + n - 1]);
        }
        return banned;
    }
}
