namespace LtxLocal.Models.TextEncoder.Tiny;

/// <summary>
/// The sizes of a tiny random Gemma 4 (gemma4_unified) encoder pack. Full layers use a wider head with fewer kv heads
/// and keys as values, and "proportional" RoPE, like the published config; <see cref="VideoDim"/> and
/// <see cref="AudioDim"/> are the transformer's widths the bundled V2 projection maps to.
/// </summary>
public sealed record TinyGemma4Options(
    int HiddenSize = 64, int IntermediateSize = 128, int Layers = 4, int Heads = 4, int KeyValueHeads = 2, int HeadDim = 16,
    int GlobalHeadDim = 32, int GlobalKeyValueHeads = 1, int SlidingWindow = 8, int VocabSize = 512,
    int VideoDim = 64, int AudioDim = 32, string GemmaVersion = "tiny-gemma4-v1", ulong Seed = 0,
    bool EmbedSentencePieceModel = false);
