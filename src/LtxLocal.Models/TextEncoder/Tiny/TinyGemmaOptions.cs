namespace LtxLocal.Models.TextEncoder.Tiny;

/// <summary>The sizes of a tiny random Gemma 3 (the real 12B: 3840 hidden, 48 layers, 16/8 heads of 256).</summary>
public sealed record TinyGemmaOptions(
    int HiddenSize = 64, int IntermediateSize = 128, int Layers = 4, int Heads = 4, int KeyValueHeads = 2, int HeadDim = 16,
    int SlidingWindow = 64, int SlidingWindowPattern = 2, int VocabSize = 512, int Shards = 2, ulong Seed = 0);
