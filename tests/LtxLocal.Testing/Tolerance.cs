namespace LtxLocal.Testing;

/// <summary>The fixtures' rule: a tensor passes if max|actual - expected| &lt;= MaxAbs, or that error / max|expected| &lt;= MaxRel.</summary>
public readonly record struct Tolerance(double MaxAbs, double MaxRel)
{
    public static readonly Tolerance Exact = new(0, 0);

    public bool Accepts(double error, double scale) => error <= MaxAbs || (scale > 0 && error / scale <= MaxRel);

    public override string ToString() => $"max_abs {MaxAbs:G3} or max_rel {MaxRel:G3}";
}
