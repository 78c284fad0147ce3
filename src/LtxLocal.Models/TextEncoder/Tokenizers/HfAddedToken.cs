namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>An entry of tokenizer.json's added_tokens: matched in the text before the model runs.</summary>
public sealed record HfAddedToken(int Id, string Content, bool Special, bool Normalized);
