namespace LtxLocal.Models.Parity;

/// <summary>
/// The fixtures' rule: a tensor passes if max|actual - expected| &lt;= MaxAbs, or that error / max|expected| &lt;= MaxRel.
/// <see cref="GridMovement"/> (debug tensors of float32 RoPE grids, see <see cref="RopeGridSensitivity"/>) is error
/// that the libtorch's linspace rounding may add on top, so it is taken off the error before either budget.
/// </summary>
public readonly record struct ParityTolerance(double MaxAbs, double MaxRel)
{
    public static readonly ParityTolerance Exact = new(0, 0);

    /// <summary>The measured movement one ulp of a float32 RoPE grid causes in this tensor (0: none).</summary>
    public double GridMovement { get; init; }

    public bool Accepts(double error, double scale)
    {
        double own = Math.Max(0, error - GridMovement);
        return own <= MaxAbs || (scale > 0 && own / scale <= MaxRel);
    }

    /// <summary>This tolerance with its absolute budget raised to at least <paramref name="allowance"/>.</summary>
    public ParityTolerance WithAbsoluteAllowance(double allowance) => this with { MaxAbs = Math.Max(MaxAbs, allowance) };

    public override string ToString() =>
        $"max_abs {MaxAbs:G3} or max_rel {MaxRel:G3}" + (GridMovement > 0 ? $", plus the grid's one-ulp movement {GridMovement:G3}" : "");
}
