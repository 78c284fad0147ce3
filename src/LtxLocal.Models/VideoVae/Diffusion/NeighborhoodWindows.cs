using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// 3-D neighbourhood attention with natten.na3d's window rule (the reference's eager fallback_na/eager.py): along each axis
/// of length L a query at i attends the k = min(kernel, L) keys starting at clamp(i - k/2, 0, L - k), so windows shift inward
/// at the borders instead of shrinking. K/V windows are gathered with index_select per axis and attended with one batched
/// matmul per block of query rows, the block sized so the gathered windows stay under a fixed element budget.
/// </summary>
public static class NeighborhoodWindows
{
    /// <summary>Elements of one gathered K (or V) window block.</summary>
    public static long ElementBudget { get; set; } = 1L << 25;

    /// <summary>[L, k] key indices of every query's window along one axis.</summary>
    public static Tensor WindowIndex(long length, long kernel, Device device)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var start = Tensor.Arange(-(kernel / 2), length - kernel / 2, 1, DType.Int64, device).Clamp(0, length - kernel);
        return scope.MoveToOuter((start.Unsqueeze(1) + Tensor.Arange(kernel, DType.Int64, device).Unsqueeze(0)).To(DType.Int64));
    }

    /// <summary>q, k, v [B, T, H, W, NH, HD] (q already scaled) → [B, T, H, W, NH·HD].</summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Thw kernel)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var s = q.Shape;
        long b = s[0], t = s[1], h = s[2], w = s[3], nh = s[4], hd = s[5];
        long kt = Math.Min(kernel.T, t), kh = Math.Min(kernel.H, h), kw = Math.Min(kernel.W, w);
        long window = kt * kh * kw;
        var idxT = WindowIndex(t, kt, q.Device);
        var idxH = WindowIndex(h, kh, q.Device);
        var idxW = WindowIndex(w, kw, q.Device).Flatten();

        long perRow = b * w * window * nh * hd;
        long rowsH = Math.Clamp(ElementBudget / perRow, 1, h);
        long rowsT = rowsH < h ? 1 : Math.Clamp(ElementBudget / (perRow * h), 1, t);
        var frames = new List<Tensor>();
        for (long t0 = 0; t0 < t; t0 += rowsT)
        {
            long nt = Math.Min(rowsT, t - t0);
            var rows = new List<Tensor>();
            for (long h0 = 0; h0 < h; h0 += rowsH)
            {
                using var inner = TorchRuntime.NewDisposeScope();
                long nr = Math.Min(rowsH, h - h0);
                var it = idxT.Narrow(0, t0, nt).Flatten();
                var ih = idxH.Narrow(0, h0, nr).Flatten();
                var kWin = Gather(k, it, ih, idxW, nt, kt, nr, kh, kw); // [N, window, HD]
                var vWin = Gather(v, it, ih, idxW, nt, kt, nr, kh, kw);
                var qRows = q.Narrow(1, t0, nt).Narrow(2, h0, nr).Reshape(-1, 1, hd); // [N, 1, HD]
                var probs = qRows.Bmm(kWin.Transpose(1, 2)).Softmax(-1);        // [N, 1, window]
                rows.Add(inner.MoveToOuter(probs.Bmm(vWin).Reshape(b, nt, nr, w, nh * hd)));
            }
            frames.Add(rows.Count == 1 ? rows[0] : Tensor.Cat(rows, 2));
        }
        return scope.MoveToOuter(frames.Count == 1 ? frames[0] : Tensor.Cat(frames, 1));
    }

    /// <summary>x [B, T, H, W, NH, HD] → the windows of nt × nr query rows, [B·nt·nr·W·NH, kt·kh·kw, HD].</summary>
    private static Tensor Gather(Tensor x, Tensor it, Tensor ih, Tensor iw, long nt, long kt, long nr, long kh, long kw)
    {
        var s = x.Shape;
        long b = s[0], h = s[2], w = s[3], nh = s[4], hd = s[5];
        var g = x.IndexSelect(1, it).Reshape(b, nt, kt, h, w, nh, hd)
            .IndexSelect(3, ih).Reshape(b, nt, kt, nr, kh, w, nh, hd)
            .IndexSelect(5, iw).Reshape(b, nt, kt, nr, kh, w, kw, nh, hd)
            .Permute(0, 1, 3, 5, 7, 2, 4, 6, 8);                          // b nt nr w nh kt kh kw hd
        return g.Reshape(-1, kt * kh * kw, hd);
    }
}
