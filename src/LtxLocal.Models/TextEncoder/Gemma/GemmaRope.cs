namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The RoPE of one attention kind: base frequency, linear position scaling (1 = none) and the fraction of the head's
/// frequency pairs that rotate (Gemma 4's "proportional" RoPE; the rest get frequency 0, i.e. pass through).
/// </summary>
public sealed record GemmaRope(double Theta, double LinearFactor, double RotatedFraction = 1);
