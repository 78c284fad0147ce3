namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// Finds tokenizer.json's added tokens in text the way tokenizers' AddedVocabulary does (leftmost, then longest
/// match), with a character trie so thousands of &lt;unusedN&gt;-style tokens cost one walk per position.
/// </summary>
public sealed class AddedTokenMatcher
{
    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public int Id = -1;
    }

    private readonly Node _root = new();

    public AddedTokenMatcher(IEnumerable<HfAddedToken> tokens)
    {
        foreach (var token in tokens)
        {
            if (token.Content.Length == 0) continue;
            var node = _root;
            foreach (var c in token.Content)
            {
                node.Children ??= new Dictionary<char, Node>();
                if (!node.Children.TryGetValue(c, out var child)) node.Children[c] = child = new Node();
                node = child;
            }
            node.Id = token.Id;
            IsEmpty = false;
        }
    }

    public bool IsEmpty { get; } = true;

    /// <summary>The text cut into (start, length, id) runs: id is the added token's, or -1 for text between tokens.</summary>
    public List<(int Start, int Length, int Id)> Split(string text)
    {
        var runs = new List<(int, int, int)>();
        int plain = 0;
        for (int i = 0; i < text.Length && !IsEmpty;)
        {
            var (length, id) = LongestAt(text, i);
            if (length == 0) { i++; continue; }
            if (i > plain) runs.Add((plain, i - plain, -1));
            runs.Add((i, length, id));
            i += length;
            plain = i;
        }
        if (plain < text.Length) runs.Add((plain, text.Length - plain, -1));
        return runs;
    }

    private (int Length, int Id) LongestAt(string text, int start)
    {
        var node = _root;
        (int, int) best = (0, -1);
        for (int i = start; i < text.Length; i++)
        {
            if (node.Children is null || !node.Children.TryGetValue(text[i], out node)) break;
            if (node.Id >= 0) best = (i - start + 1, node.Id);
        }
        return best;
    }
}
