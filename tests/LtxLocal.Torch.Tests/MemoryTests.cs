namespace LtxLocal.Torch.Tests;

/// <summary>Runs alone: other tests allocating in parallel would move the process's resident size.</summary>
[CollectionDefinition("Resident memory", DisableParallelization = true)]
public sealed class ResidentMemoryCollection;

/// <summary>Scopes free native memory deterministically: a long loop of small ops leaves the process size flat.</summary>
[Collection("Resident memory")]
public class MemoryTests
{
    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS");
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void Work(int iterations, Tensor a)
    {
        for (int i = 0; i < iterations; i++)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var b = a + 1.0;
            var c = (b * a).Exp().Sum(0);
            _ = c.Reshape(8, 8).MT.Contiguous();
        }
    }

    [Fact]
    public void Hundred_thousand_scoped_ops_leave_resident_memory_flat()
    {
        using var a = Tensor.Ones(new long[] { 16, 64 });
        Work(5_000, a); // warm up allocator caches and the JIT
        Settle();
        long before = ResidentBytes();
        Work(20_000, a); // 5 ops each = 100 000 ops, each result 256 B - 4 KiB plus its ATen header
        Settle();
        long after = ResidentBytes();
        // Leaking every result would add > 50 MB (each is at least ~500 B with its header); allocator noise stays well below.
        Assert.True(after - before < 32L << 20, $"resident memory grew by {(after - before) >> 20} MiB ({before} -> {after})");
    }

    [Fact]
    public void Tensors_created_in_a_scope_are_disposed_with_it_unless_moved_out()
    {
        Tensor kept, dropped;
        using (var outer = TorchRuntime.NewDisposeScope())
        {
            using (var inner = TorchRuntime.NewDisposeScope())
            {
                dropped = Tensor.Ones(new long[] { 2 });
                kept = Tensor.Ones(new long[] { 2 }).MoveToOuterScope();
            }
            Assert.True(dropped.IsDisposed);
            Assert.False(kept.IsDisposed);
        }
        Assert.True(kept.IsDisposed);
    }
}
