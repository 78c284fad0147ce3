namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>A (T, H, W) triple: a neighbourhood kernel or an upsample stride.</summary>
public readonly record struct Thw(int T, int H, int W)
{
    public int this[int axis] => axis switch { 0 => T, 1 => H, 2 => W, _ => throw new ArgumentOutOfRangeException(nameof(axis)) };

    public int Product => T * H * W;
}
