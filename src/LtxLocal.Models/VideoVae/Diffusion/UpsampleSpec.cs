namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>One stage-to-stage hop: a channels-last pixel shuffle by <see cref="Stride"/>, widths divided by <see cref="Reduction"/>.</summary>
public readonly record struct UpsampleSpec(Thw Stride, int Reduction);
