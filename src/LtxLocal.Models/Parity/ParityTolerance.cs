namespace LtxLocal.Models.Parity;

/// <summary>The fixtures' rule: a tensor passes if max|actual - expected| &lt;= MaxAbs, or that error / max|expected| &lt;= MaxRel.</summary>
public readonly record struct ParityTolerance(double MaxAbs, double MaxRel)
{
    public static readonly ParityTolerance Exact = new(0, 0);

    public bool Accepts(double error, double scale) => error <= MaxAbs || (scale > 0 && error / scale <= MaxRel);

    /// <summary>This tolerance with its absolute budget raised to at least <paramref name="allowance"/>.</summary>
    public ParityTolerance WithAbsoluteAllowance(double allowance) => this with { MaxAbs = Math.Max(MaxAbs, allowance) };

    public override string ToString() => $"max_abs {MaxAbs:G3} or max_rel {MaxRel:G3}";
}
