using System.Text;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// The BPE model of a Hugging Face tokenizer.json (tokenizers' models::bpe): a word becomes one symbol per character
/// (byte tokens &lt;0xXX&gt; for characters outside the vocabulary when byte_fallback is on, else the unk token, fused
/// when fuse_unk), then adjacent pairs merge lowest merge rank first, leftmost first on ties, through a priority queue
/// over a linked list of symbols, so a long prompt costs O(n log n).
/// </summary>
public sealed class BpeModel
{
    private readonly Dictionary<int, int> _runeIds = new();
    private readonly int[] _byteIds = new int[256];
    private readonly Dictionary<long, (int Rank, int Id)> _merges = new();
    private readonly Dictionary<string, int> _vocab;
    private readonly int _unkId;
    private readonly bool _fuseUnk, _byteFallback, _ignoreMerges;

    public BpeModel(HfTokenizerSpec spec, string source)
    {
        _vocab = spec.Vocab;
        foreach (var (piece, id) in spec.Vocab)
            if (Rune.DecodeFromUtf16(piece, out var rune, out int used) == System.Buffers.OperationStatus.Done && used == piece.Length)
                _runeIds[rune.Value] = id;
        for (int b = 0; b < 256; b++) _byteIds[b] = spec.Vocab.GetValueOrDefault($"<0x{b:X2}>", -1);
        _unkId = -1;
        if (spec.UnkToken is { } unk && !spec.Vocab.TryGetValue(unk, out _unkId))
            throw new ModelConfigException($"{source}: the unk token {unk} is not in the vocabulary");
        for (int rank = 0; rank < spec.Merges.Count; rank++)
        {
            var (left, right) = spec.Merges[rank];
            int a = Id(left), b = Id(right), merged = Id(left + right);
            _merges.TryAdd(Key(a, b), (rank, merged));
        }
        _fuseUnk = spec.FuseUnk;
        _byteFallback = spec.ByteFallback;
        _ignoreMerges = spec.IgnoreMerges;

        int Id(string piece) => spec.Vocab.TryGetValue(piece, out var id) ? id
            : throw new ModelConfigException($"{source}: merge piece {piece} is not in the vocabulary");
    }

    /// <summary>Appends the ids of <paramref name="word"/> (one pre-tokenized piece of normalized text).</summary>
    public void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.IsEmpty) return;
        if (_ignoreMerges && _vocab.TryGetValue(word.ToString(), out var whole))
        {
            output.Add(whole);
            return;
        }
        var symbols = new List<int>(word.Length);
        int pendingUnk = -1;
        Span<byte> utf8 = stackalloc byte[4];
        while (!word.IsEmpty)
        {
            Rune.DecodeFromUtf16(word, out var rune, out int used);
            word = word[used..];
            if (_runeIds.TryGetValue(rune.Value, out var id))
            {
                if (pendingUnk >= 0) { symbols.Add(pendingUnk); pendingUnk = -1; }
                symbols.Add(id);
                continue;
            }
            if (_byteFallback && ByteTokens(rune, utf8, symbols)) continue; // a pending unk stays pending, as tokenizers does
            if (_unkId < 0) continue;                                         // no unk token: the character is dropped
            if (pendingUnk >= 0 && !_fuseUnk) symbols.Add(pendingUnk);
            pendingUnk = _unkId;
        }
        if (pendingUnk >= 0) symbols.Add(pendingUnk);
        Merge(symbols, output);
    }

    private bool ByteTokens(Rune rune, Span<byte> utf8, List<int> symbols)
    {
        int count = rune.EncodeToUtf8(utf8);
        for (int i = 0; i < count; i++)
            if (_byteIds[utf8[i]] < 0) return false;
        for (int i = 0; i < count; i++) symbols.Add(_byteIds[utf8[i]]);
        return true;
    }

    /// <summary>Lowest-rank pair first (leftmost on ties); a queued pair is stale once either side has changed.</summary>
    private void Merge(List<int> ids, List<int> output)
    {
        int n = ids.Count;
        var next = new int[n];
        var prev = new int[n];
        var alive = new bool[n];
        for (int i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; alive[i] = true; }
        var queue = new PriorityQueue<(int Pos, int Merged), (int Rank, int Pos)>(n);
        for (int i = 0; i + 1 < n; i++) Push(i);

        while (queue.TryDequeue(out var top, out _))
        {
            int pos = top.Pos, right = next[pos];
            if (!alive[pos] || right < 0) continue;
            if (!_merges.TryGetValue(Key(ids[pos], ids[right]), out var merge) || merge.Id != top.Merged) continue;
            ids[pos] = merge.Id;
            alive[right] = false;
            next[pos] = next[right];
            if (next[right] >= 0) prev[next[right]] = pos;
            if (prev[pos] >= 0) Push(prev[pos]);
            Push(pos);
        }
        for (int i = 0; i >= 0; i = next[i]) output.Add(ids[i]);

        void Push(int left)
        {
            int right = next[left];
            if (right >= 0 && _merges.TryGetValue(Key(ids[left], ids[right]), out var m)) queue.Enqueue((left, m.Id), (m.Rank, left));
        }
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
