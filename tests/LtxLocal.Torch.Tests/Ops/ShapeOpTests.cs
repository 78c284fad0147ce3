using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class ShapeOpTests
{
    [Fact]
    public void Reshape_keeps_row_major_order_and_infers_minus_one()
    {
        using var t = Seq(2, 3, 4);
        using var r = t.Reshape(4, -1);
        Assert.Equal(new long[] { 4, 6 }, r.Shape);
        Assert.Equal(F32(t), F32(r));
    }

    [Fact]
    public void Reshape_of_a_transposed_tensor_copies_in_logical_order()
    {
        using var t = Seq(2, 3);
        using var tr = t.Transpose(0, 1);
        using var r = tr.Reshape(6);
        Assert.Equal(new[] { 0f, 3, 1, 4, 2, 5 }, F32(r));
    }

    [Fact]
    public void View_shares_storage_with_the_source()
    {
        using var t = Seq(2, 3);
        using var v = t.View(3, 2);
        v.Add_(1);
        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6 }, F32(t));
    }

    [Fact]
    public void View_of_a_non_contiguous_tensor_fails_with_a_clear_error()
    {
        using var t = Seq(2, 3);
        using var tr = t.Transpose(0, 1);
        Assert.False(tr.IsContiguous);
        var e = Assert.Throws<TorchException>(() => tr.View(6));
        Assert.StartsWith("View:", e.Message);
        Assert.Contains("view", e.Message);
        Assert.Contains("reshape", e.Message); // ATen suggests .reshape(...)
    }

    [Fact]
    public void Permute_reorders_dims_and_strides()
    {
        using var t = Seq(2, 3, 4);
        using var p = t.Permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, p.Shape);
        Assert.Equal(new long[] { 1, 12, 4 }, p.Strides);
        var src = F32(t);
        var got = F32(p);
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                    Assert.Equal(src[i * 12 + j * 4 + k], got[k * 6 + i * 3 + j]);
    }

    [Fact]
    public void Transpose_and_MT_swap_the_matrix_dims()
    {
        using var t = Seq(2, 2, 3);
        using var mt = t.MT;
        using var tr = t.Transpose(-1, 1);
        Assert.Equal(new long[] { 2, 3, 2 }, mt.Shape);
        Assert.Equal(new[] { 0f, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11 }, F32(mt));
        Assert.Equal(F32(mt), F32(tr));
    }

    [Fact]
    public void Narrow_and_Slice_with_step_select_ranges()
    {
        using var t = Seq(10);
        using var n = t.Narrow(0, 3, 4);
        Assert.Equal(new[] { 3f, 4, 5, 6 }, F32(n));
        using var s = t.Slice(0, 1, 8, 3);
        Assert.Equal(new[] { 1f, 4, 7 }, F32(s));
        using var clamped = t.Slice(0, 7, 100);
        Assert.Equal(new[] { 7f, 8, 9 }, F32(clamped));
        using var m = Seq(3, 4);
        using var cols = m.Slice(1, 0, 4, 2);
        Assert.Equal(new long[] { 3, 2 }, cols.Shape);
        Assert.Equal(new[] { 0f, 2, 4, 6, 8, 10 }, F32(cols));
    }

    [Fact]
    public void Narrow_is_a_view()
    {
        using var t = Seq(6);
        using var n = t.Narrow(0, 2, 2);
        n.Mul_(0);
        Assert.Equal(new[] { 0f, 1, 0, 0, 4, 5 }, F32(t));
    }

    [Fact]
    public void Narrow_out_of_range_throws()
    {
        using var t = Seq(4);
        Assert.Throws<TorchException>(() => t.Narrow(0, 3, 2));
    }

    [Fact]
    public void Select_removes_the_dim()
    {
        using var t = Seq(2, 3, 4);
        using var s = t.Select(1, 2);
        Assert.Equal(new long[] { 2, 4 }, s.Shape);
        Assert.Equal(new[] { 8f, 9, 10, 11, 20, 21, 22, 23 }, F32(s));
        using var last = t.Select(-1, -1);
        Assert.Equal(new[] { 3f, 7, 11, 15, 19, 23 }, F32(last));
    }

    [Fact]
    public void IndexSelect_picks_rows_in_index_order_with_repeats()
    {
        using var t = Seq(4, 2);
        using var idx = L(new long[] { 3, 0, 3 }, 3);
        using var r = t.IndexSelect(0, idx);
        Assert.Equal(new[] { 6f, 7, 0, 1, 6, 7 }, F32(r));
        using var c = t.IndexSelect(1, L(new long[] { 1 }, 1));
        Assert.Equal(new[] { 1f, 3, 5, 7 }, F32(c));
    }

    [Fact]
    public void Gather_reads_out_index_along_dim()
    {
        // out[i][j] = t[i][index[i][j]]
        using var t = T(new[] { 10f, 11, 12, 20, 21, 22 }, 2, 3);
        using var idx = L(new long[] { 2, 0, 1, 1 }, 2, 2);
        using var g = t.Gather(1, idx);
        Assert.Equal(new[] { 12f, 10, 21, 21 }, F32(g));
        // out[i][j] = t[index[i][j]][j]
        using var idx0 = L(new long[] { 1, 0, 1 }, 1, 3);
        using var g0 = t.Gather(0, idx0);
        Assert.Equal(new[] { 20f, 11, 22 }, F32(g0));
    }

    [Fact]
    public void Scatter_writes_source_at_index_and_leaves_the_input_unchanged()
    {
        // out[i][index[i][j]] = src[i][j]
        using var t = Tensor.Zeros(new long[] { 2, 4 }, device: Current);
        using var idx = L(new long[] { 3, 0, 1, 2 }, 2, 2);
        using var src = T(new[] { 1f, 2, 3, 4 }, 2, 2);
        using var s = t.Scatter(1, idx, src);
        Assert.Equal(new[] { 2f, 0, 0, 1, 0, 3, 4, 0 }, F32(s));
        Assert.Equal(new float[8], F32(t));
    }

    [Fact]
    public void Cat_and_Stack_join_along_a_dim()
    {
        using var a = Seq(2, 2);
        using var b = T(new[] { 9f, 8 }, 2, 1);
        using var c1 = Tensor.Cat(new[] { a, b }, 1);
        Assert.Equal(new long[] { 2, 3 }, c1.Shape);
        Assert.Equal(new[] { 0f, 1, 9, 2, 3, 8 }, F32(c1));
        using var c0 = Tensor.Cat(new[] { a, a }, -2);
        Assert.Equal(new long[] { 4, 2 }, c0.Shape);
        using var s = Tensor.Stack(new[] { a, a.Mul(2) }, 1);
        Assert.Equal(new long[] { 2, 2, 2 }, s.Shape);
        Assert.Equal(new[] { 0f, 1, 0, 2, 2, 3, 4, 6 }, F32(s));
    }

    [Fact]
    public void Cat_with_mismatched_shapes_throws()
    {
        using var a = Seq(2, 2);
        using var b = Seq(3, 3);
        Assert.Throws<TorchException>(() => Tensor.Cat(new[] { a, b }, 0));
        Assert.Throws<TorchException>(() => Tensor.Cat(Array.Empty<Tensor>(), 0));
    }

    [Fact]
    public void Split_by_sizes_and_by_size()
    {
        using var t = Seq(7, 2);
        var parts = t.Split(new long[] { 2, 5 }, 0);
        Assert.Equal(2, parts.Length);
        Assert.Equal(new long[] { 2, 2 }, parts[0].Shape);
        Assert.Equal(new[] { 4f, 5, 6, 7, 8, 9, 10, 11, 12, 13 }, F32(parts[1]));
        var bySize = t.Split(3);
        Assert.Equal(new[] { 3L, 3, 1 }, bySize.Select(p => p.Size(0)));
        Assert.Equal(new[] { 12f, 13 }, F32(bySize[2]));
        var cols = t.Split(1, dim: -1);
        Assert.Equal(2, cols.Length);
        Assert.Equal(new[] { 1f, 3, 5, 7, 9, 11, 13 }, F32(cols[1].Flatten()));
        Assert.Throws<TorchException>(() => t.Split(new long[] { 2, 2 }, 0));
        foreach (var p in parts.Concat(bySize).Concat(cols)) p.Dispose();
    }

    [Fact]
    public void Chunk_splits_into_near_equal_parts()
    {
        using var t = Seq(7);
        var c = t.Chunk(3);
        Assert.Equal(new[] { 3L, 3, 1 }, c.Select(p => p.Numel));
        Assert.Equal(new[] { 3f, 4, 5 }, F32(c[1]));
        // torch: chunks may be fewer than asked for
        using var s = Seq(2);
        Assert.Equal(2, s.Chunk(4).Length);
    }

    [Fact]
    public void Expand_broadcasts_without_copying_and_Repeat_tiles()
    {
        using var t = T(new[] { 1f, 2 }, 2, 1);
        using var e = t.Expand(2, 3);
        Assert.Equal(new long[] { 2, 3 }, e.Shape);
        Assert.Equal(new long[] { 1, 0 }, e.Strides);
        Assert.Equal(new[] { 1f, 1, 1, 2, 2, 2 }, F32(e));
        using var m1 = t.Expand(-1, 2);
        Assert.Equal(new long[] { 2, 2 }, m1.Shape);
        using var other = Tensor.Zeros(new long[] { 3, 2, 4 }, device: Current);
        using var ea = t.ExpandAs(other);
        Assert.Equal(new long[] { 3, 2, 4 }, ea.Shape);
        using var r = t.Repeat(2, 2);
        Assert.Equal(new long[] { 4, 2 }, r.Shape);
        Assert.Equal(new[] { 1f, 1, 2, 2, 1, 1, 2, 2 }, F32(r));
        Assert.Throws<TorchException>(() => t.Expand(3, 3));
    }

    [Fact]
    public void RepeatInterleave_repeats_each_element_in_place()
    {
        using var t = Seq(2, 2);
        using var r0 = t.RepeatInterleave(2, 0);
        Assert.Equal(new[] { 0f, 1, 0, 1, 2, 3, 2, 3 }, F32(r0));
        using var r1 = t.RepeatInterleave(3, 1);
        Assert.Equal(new long[] { 2, 6 }, r1.Shape);
        Assert.Equal(new[] { 0f, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3 }, F32(r1));
    }

    [Fact]
    public void Squeeze_Unsqueeze_and_Flatten()
    {
        using var t = Tensor.Zeros(new long[] { 1, 3, 1, 2 }, device: Current);
        using (var s = t.Squeeze()) Assert.Equal(new long[] { 3, 2 }, s.Shape);
        using (var s = t.Squeeze(2)) Assert.Equal(new long[] { 1, 3, 2 }, s.Shape);
        using (var s = t.Squeeze(1)) Assert.Equal(new long[] { 1, 3, 1, 2 }, s.Shape); // not size 1: unchanged
        using (var u = t.Unsqueeze(-1)) Assert.Equal(new long[] { 1, 3, 1, 2, 1 }, u.Shape);
        using (var u = t.Unsqueeze(0)) Assert.Equal(new long[] { 1, 1, 3, 1, 2 }, u.Shape);
        using (var f = t.Flatten()) Assert.Equal(new long[] { 6 }, f.Shape);
        using (var f = t.Flatten(1, 2)) Assert.Equal(new long[] { 1, 3, 2 }, f.Shape);
        using (var f = t.Flatten(-2)) Assert.Equal(new long[] { 1, 3, 2 }, f.Shape);
    }

    [Fact]
    public void Contiguous_makes_a_compact_copy_of_a_view()
    {
        using var t = Seq(2, 3);
        using var tr = t.MT;
        using var c = tr.Contiguous();
        Assert.True(c.IsContiguous);
        Assert.Equal(new long[] { 2, 1 }, c.Strides);
        Assert.Equal(new[] { 0f, 3, 1, 4, 2, 5 }, F32(c));
        using var v = c.View(6); // now allowed
    }

    [Fact]
    public void Flip_reverses_the_given_dims()
    {
        using var t = Seq(2, 3);
        using var f1 = t.Flip(1);
        Assert.Equal(new[] { 2f, 1, 0, 5, 4, 3 }, F32(f1));
        using var f01 = t.Flip(0, 1);
        Assert.Equal(new[] { 5f, 4, 3, 2, 1, 0 }, F32(f01));
    }

    [Fact]
    public void Roll_shifts_cyclically()
    {
        using var t = Seq(5);
        using var r = t.Roll(2, 0);
        Assert.Equal(new[] { 3f, 4, 0, 1, 2 }, F32(r));
        using var n = t.Roll(-1, 0);
        Assert.Equal(new[] { 1f, 2, 3, 4, 0 }, F32(n));
        using var m = Seq(2, 3);
        using var r2 = m.Roll(new long[] { 1, 1 }, new long[] { 0, 1 });
        Assert.Equal(new[] { 5f, 3, 4, 2, 0, 1 }, F32(r2));
        Assert.Throws<ArgumentException>(() => m.Roll(new long[] { 1 }, new long[] { 0, 1 }));
    }

    [Fact]
    public void Tril_and_Triu_keep_the_lower_and_upper_triangle()
    {
        using var t = T(Enumerable.Repeat(1f, 9).ToArray(), 3, 3);
        using var l = t.Tril();
        Assert.Equal(new[] { 1f, 0, 0, 1, 1, 0, 1, 1, 1 }, F32(l));
        using var u = t.Triu(1);
        Assert.Equal(new[] { 0f, 1, 1, 0, 0, 1, 0, 0, 0 }, F32(u));
        using var lm = t.Tril(-1);
        Assert.Equal(new[] { 0f, 0, 0, 1, 0, 0, 1, 1, 0 }, F32(lm));
    }

    [Fact]
    public void Nonzero_lists_coordinates_in_row_major_order()
    {
        using var t = T(new[] { 0f, 3, 0, 0, 0, -1 }, 2, 3);
        using var nz = t.Nonzero();
        Assert.Equal(DType.Int64, nz.DType);
        Assert.Equal(new long[] { 2, 2 }, nz.Shape);
        Assert.Equal(new long[] { 0, 1, 1, 2 }, I64(nz));
        using var none = Tensor.Zeros(new long[] { 4 }, device: Current).Nonzero();
        Assert.Equal(new long[] { 0, 1 }, none.Shape);
    }

    [Fact]
    public void Sort_returns_values_and_indices_both_directions()
    {
        using var t = T(new[] { 3f, 1, 2, 0, 5, 4 }, 2, 3);
        var (v, i) = t.Sort();
        Assert.Equal(new[] { 1f, 2, 3, 0, 4, 5 }, F32(v));
        Assert.Equal(new long[] { 1, 2, 0, 0, 2, 1 }, I64(i));
        var (vd, id) = t.Sort(0, descending: true);
        Assert.Equal(new[] { 3f, 5, 4, 0, 1, 2 }, F32(vd));
        Assert.Equal(new long[] { 0, 1, 1, 1, 0, 0 }, I64(id));
        // stable sort keeps equal keys in input order
        using var dup = T(new[] { 1f, 0, 1, 0, 1 }, 5);
        var (_, si) = dup.Sort(stable: true);
        Assert.Equal(new long[] { 1, 3, 0, 2, 4 }, I64(si));
        foreach (var x in new[] { v, i, vd, id, si }) x.Dispose();
    }

    [Fact]
    public void TopK_largest_and_smallest()
    {
        using var t = T(new[] { 3f, 9, 1, 7, 5 }, 5);
        var (v, i) = t.TopK(2);
        Assert.Equal(new[] { 9f, 7 }, F32(v));
        Assert.Equal(new long[] { 1, 3 }, I64(i));
        var (vs, ism) = t.TopK(3, largest: false);
        Assert.Equal(new[] { 1f, 3, 5 }, F32(vs));
        Assert.Equal(new long[] { 2, 0, 4 }, I64(ism));
        Assert.Throws<TorchException>(() => t.TopK(6));
    }

    [Fact]
    public void Shape_ops_work_on_non_contiguous_inputs()
    {
        using var t = Seq(3, 4);
        using var tr = t.MT; // [4, 3], strides [1, 4]
        using var idx = L(new long[] { 2, 0 }, 2);
        Assert.Equal(new[] { 2f, 6, 10, 0, 4, 8 }, F32(tr.IndexSelect(0, idx)));
        Assert.Equal(new[] { 3f, 7, 11, 2, 6, 10, 1, 5, 9, 0, 4, 8 }, F32(tr.Flip(0)));
        Assert.Equal(new[] { 1f, 5, 9, 2, 6, 10 }, F32(tr.Narrow(0, 1, 2)));
        Assert.Equal(new[] { 0f, 4, 8, 0, 4, 8 }, F32(Tensor.Cat(new[] { tr.Narrow(0, 0, 1), tr.Narrow(0, 0, 1) })));
    }

    [Fact]
    public void Size_counts_negative_dims_from_the_end()
    {
        using var t = Seq(2, 3, 5);
        Assert.Equal(5, t.Size(-1));
        Assert.Equal(2, t.Size(0));
    }
}
