using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// The CHUNKED pathway's stage-5 attention (transformer/chunked/attn.py): the volume is cut into <c>wChunks</c> W-slabs
/// of width ceil(W / wChunks), each extended by halo = kw/2 columns on both sides, and attention runs inside each slab on its
/// own. Halo columns come from the neighbouring slab's core (the left one only from the previous core, zero where that is
/// narrower than the halo); at the true volume edges, and where the right neighbour runs out, the slab's own first / last core
/// column is replicated. RoPE uses global column positions (negative in the left halo). Only each slab's core is kept.
/// Every slab reads the input before any update, so this is a pure function of y.
/// </summary>
public static class WSlabAttention
{
    /// <summary>y [B, T, H, W, C] (already normed and modulated) → attention output [B, T, H, W, C].</summary>
    public static Tensor Forward(NeighborhoodAttention3D attn, Tensor y, int wChunks)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var s = y.Shape;
        long w = s[3];
        long chunk = (w + wChunks - 1) / wChunks;
        long halo = attn.Kernel.W / 2;
        long extent = chunk + 2 * halo;
        Tensor Columns(Tensor source, long start, long count) => source.Narrow(3, start, count);
        Tensor Repeat(Tensor column, long count) => column.Expand(s[0], s[1], s[2], count, s[4]);

        var cores = new List<Tensor>();
        for (int i = 0; i < wChunks; i++)
        {
            long coreStart = i * chunk, coreEnd = Math.Min(w, (i + 1) * chunk), coreLength = coreEnd - coreStart;
            if (coreLength <= 0) break; // nothing of the volume left for this slab: the reference adds an empty slice
            var core = Columns(y, coreStart, coreLength);
            var parts = new List<Tensor>();
            if (i == 0)
            {
                if (halo > 0) parts.Add(Repeat(Columns(core, 0, 1), halo));
            }
            else
            {
                long previousLength = Math.Min(chunk, coreStart - (i - 1) * chunk);
                long left = Math.Min(halo, previousLength);
                if (halo - left > 0) parts.Add(Tensor.Zeros(new[] { s[0], s[1], s[2], halo - left, s[4] }, y.DType, y.Device));
                if (left > 0) parts.Add(Columns(y, coreStart - left, left));
            }
            parts.Add(core);
            long right = i + 1 < wChunks ? Math.Min(w, coreEnd + halo) - coreEnd : 0;
            if (right > 0) parts.Add(Columns(y, coreEnd, right));
            long missing = extent - (halo + coreLength + right);
            if (missing > 0) parts.Add(Repeat(Columns(core, coreLength - 1, 1), missing));

            var slab = Tensor.Cat(parts, 3);                                                     // [B, T, H, extent, C]
            var positions = Tensor.Arange(coreStart - halo, coreStart - halo + extent, 1, DType.Float32, y.Device);
            cores.Add(Columns(attn.Forward(slab, positions), halo, coreLength));
        }
        return scope.MoveToOuter(Tensor.Cat(cores, 3));
    }
}
