namespace LtxLocal.Models.Transformer;

/// <summary>
/// What <see cref="Rope.Precompute"/> needs besides the positions (rope.py precompute_freqs_cis arguments): the inner
/// width the tables cover, theta, the per-axis max positions, the head count (SPLIT tables are per head), the layout
/// and whether the frequency grid is formed in double (<c>frequencies_precision: float64</c>).
/// </summary>
public sealed record RopeConfig(long Dim, double Theta, long[] MaxPos, long Heads, RopeType Type, bool DoublePrecisionGrid);
