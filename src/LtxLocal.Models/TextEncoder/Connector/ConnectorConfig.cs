using LtxLocal.Models.Transformer;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>
/// The sizes of one embeddings connector (Embeddings1DConnector's constructor arguments, read by
/// <see cref="TextProcessorConfig.From"/>): heads × head width, blocks, learnable registers, the RoPE theta, max
/// position, layout (the transformer's <c>rope_type</c>) and grid precision, the attention gate and the feed-forward bias.
/// </summary>
public sealed record ConnectorConfig(
    int Heads, int HeadDim, int Layers, int Registers, double Theta, long[] MaxPos, RopeType RopeType, bool DoublePrecisionRope,
    bool GatedAttention, bool FeedForwardBias)
{
    public int InnerDim => Heads * HeadDim;
}
