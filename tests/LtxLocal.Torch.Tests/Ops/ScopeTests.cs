using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class ScopeTests
{
    [Fact]
    public void Tensors_created_in_a_scope_are_disposed_at_its_end()
    {
        Tensor a, b, c;
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            Assert.Same(scope, DisposeScope.Current);
            a = Tensor.Ones(new long[] { 2 }, device: Current);
            b = a + 1;
            c = b.Reshape(1, 2); // views count too
            Assert.Equal(3, scope.Count);
            Assert.False(a.IsDisposed);
        }
        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
        Assert.True(c.IsDisposed);
        Assert.Null(DisposeScope.Current);
    }

    [Fact]
    public void Tensors_created_outside_are_not_touched()
    {
        using var outside = Tensor.Ones(new long[] { 2 }, device: Current);
        using (TorchRuntime.NewDisposeScope())
        {
            using var inside = outside * 2; // using inside a scope: disposed twice, harmlessly
            outside.Add_(1);
        }
        Assert.False(outside.IsDisposed);
        Assert.Equal(new[] { 2f, 2 }, F32(outside));
    }

    [Fact]
    public void MoveToOuterScope_keeps_a_result_alive_into_the_enclosing_scope()
    {
        Tensor kept, temp;
        using (var outer = TorchRuntime.NewDisposeScope())
        {
            using (var inner = TorchRuntime.NewDisposeScope())
            {
                Assert.Same(outer, inner.Outer);
                Assert.Same(inner, DisposeScope.Current);
                temp = Tensor.Ones(new long[] { 3 }, device: Current);
                kept = (temp * 5).MoveToOuterScope();
            }
            Assert.Same(outer, DisposeScope.Current);
            Assert.True(temp.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal(new[] { 5f, 5, 5 }, F32(kept));
            Assert.Equal(1, outer.Count);
        }
        Assert.True(kept.IsDisposed); // now the outer scope freed it
    }

    [Fact]
    public void MoveToOuterScope_from_the_outermost_scope_hands_ownership_to_the_caller()
    {
        Tensor kept;
        using (TorchRuntime.NewDisposeScope())
        {
            kept = Tensor.Ones(new long[] { 1 }, device: Current).MoveToOuterScope();
        }
        Assert.False(kept.IsDisposed);
        kept.Dispose();
        // a tensor in no scope: MoveToOuterScope is a no-op
        using var free = Tensor.Ones(new long[] { 1 }, device: Current);
        Assert.Same(free, free.MoveToOuterScope());
    }

    [Fact]
    public void Scope_MoveToOuter_returns_the_tensor_and_ignores_tensors_of_other_scopes()
    {
        using var outer = TorchRuntime.NewDisposeScope();
        var a = Tensor.Ones(new long[] { 1 }, device: Current);
        Tensor b;
        using (var inner = TorchRuntime.NewDisposeScope())
        {
            Assert.Same(a, inner.MoveToOuter(a)); // a belongs to outer: unchanged
            b = Tensor.Ones(new long[] { 1 }, device: Current);
            Assert.Same(b, inner.MoveToOuter(b));
        }
        Assert.False(a.IsDisposed);
        Assert.False(b.IsDisposed);
        outer.Dispose();
        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
    }

    [Fact]
    public void DetachFromScope_takes_a_tensor_out_of_every_scope()
    {
        Tensor detached;
        using (TorchRuntime.NewDisposeScope())
        {
            using (TorchRuntime.NewDisposeScope())
            {
                detached = Tensor.Ones(new long[] { 2 }, device: Current).DetachFromScope();
            }
            Assert.False(detached.IsDisposed);
        }
        Assert.False(detached.IsDisposed);
        Assert.Equal(new[] { 1f, 1 }, F32(detached));
        detached.Dispose();
    }

    [Fact]
    public void Nested_scopes_free_inner_tensors_first()
    {
        using var outer = TorchRuntime.NewDisposeScope();
        var o = Tensor.Zeros(new long[] { 1 }, device: Current);
        Tensor i;
        using (TorchRuntime.NewDisposeScope())
        {
            i = o + 1;
            using (var innermost = TorchRuntime.NewDisposeScope())
            {
                Assert.Same(innermost, DisposeScope.Current);
                _ = i * 2;
            }
            Assert.False(i.IsDisposed);
        }
        Assert.True(i.IsDisposed);
        Assert.False(o.IsDisposed);
        Assert.Same(outer, DisposeScope.Current);
    }

    [Fact]
    public void Disposing_a_scope_twice_or_after_disposing_its_tensors_is_harmless()
    {
        var scope = TorchRuntime.NewDisposeScope();
        var t = Tensor.Ones(new long[] { 1 }, device: Current);
        t.Dispose();
        scope.Dispose();
        scope.Dispose();
        Assert.Null(DisposeScope.Current);
    }

    [Fact]
    public void Scopes_are_per_thread()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        Tensor fromOtherThread = null!;
        var thread = new Thread(() =>
        {
            Assert.Null(DisposeScope.Current);
            fromOtherThread = Tensor.Ones(new long[] { 1 }, device: Current);
        });
        thread.Start();
        thread.Join();
        scope.Dispose();
        Assert.False(fromOtherThread.IsDisposed);
        fromOtherThread.Dispose();
    }

    [Fact]
    public void Split_and_Sort_results_join_the_scope()
    {
        Tensor[] parts;
        Tensor values, indices;
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            var t = Seq(4);
            parts = t.Split(2);
            (values, indices) = t.Sort();
            Assert.Equal(1 + 2 + 2, scope.Count);
        }
        Assert.All(parts, p => Assert.True(p.IsDisposed));
        Assert.True(values.IsDisposed);
        Assert.True(indices.IsDisposed);
    }

    [Fact]
    public void Scopes_closed_out_of_order_leave_no_disposed_scope_current()
    {
        var outer = TorchRuntime.NewDisposeScope();
        var inner = TorchRuntime.NewDisposeScope();
        outer.Dispose(); // out of order
        inner.Dispose();
        Assert.Null(DisposeScope.Current);
        // so a tensor created now is owned by the caller, not by a dead scope
        using var t = Tensor.Ones(new long[] { 1 }, device: Current);
        Assert.Same(t, t.MoveToOuterScope());
    }

    [Fact]
    public void MoveToOuterScope_skips_an_enclosing_scope_that_was_closed_already()
    {
        var outer = TorchRuntime.NewDisposeScope();
        Tensor moved;
        using (TorchRuntime.NewDisposeScope())
        {
            outer.Dispose(); // out of order
            moved = Tensor.Ones(new long[] { 1 }, device: Current).MoveToOuterScope();
        }
        Assert.Null(DisposeScope.Current);
        Assert.False(moved.IsDisposed); // no live scope left: the caller owns it
        moved.Dispose();
    }
}
