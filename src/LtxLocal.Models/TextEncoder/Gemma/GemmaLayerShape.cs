namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>The attention geometry of one layer kind: head size and key/value head count.</summary>
public sealed record GemmaLayerShape(int HeadDim, int NumKeyValueHeads);
