namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>One step of tokenizer.json's decoder chain (the kinds Gemma's files use).</summary>
public abstract record HfDecodeStep
{
    public sealed record Replace(string Pattern, string Content) : HfDecodeStep;
    public sealed record ByteFallback : HfDecodeStep;
    public sealed record Fuse : HfDecodeStep;
    public sealed record Strip(string Content, int Start, int Stop) : HfDecodeStep;
}
