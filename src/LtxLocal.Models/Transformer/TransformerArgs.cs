using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// One stream's preprocessed block inputs (transformer_args.py TransformerArgs), without the hidden state itself:
/// modulation [B, T, coef·D] from the per-token timesteps, embedded timestep [B, T, D], RoPE tables, the projected
/// text context and its additive mask, the prompt-AdaLN modulation [B, 1, 2·D], and for audio+video the cross RoPE
/// (time axis only), the A/V scale-shift modulation [B, T, 4·D] and the gate modulation [B, 1, D].
/// </summary>
public sealed record TransformerArgs(
    Tensor Timesteps,
    Tensor EmbeddedTimestep,
    RopeTables PositionalEmbeddings,
    Tensor Context,
    Tensor? ContextMask,
    Tensor? PromptTimestep,
    Tensor? SelfAttentionMask,
    bool Enabled) : IDisposable
{
    public RopeTables? CrossPositionalEmbeddings { get; init; }

    public Tensor? CrossScaleShiftTimestep { get; init; }

    public Tensor? CrossGateTimestep { get; init; }

    public void Dispose()
    {
        Timesteps.Dispose();
        EmbeddedTimestep.Dispose();
        PositionalEmbeddings.Dispose();
        Context.Dispose();
        ContextMask?.Dispose();
        PromptTimestep?.Dispose();
        SelfAttentionMask?.Dispose();
        CrossPositionalEmbeddings?.Dispose();
        CrossScaleShiftTimestep?.Dispose();
        CrossGateTimestep?.Dispose();
    }
}
