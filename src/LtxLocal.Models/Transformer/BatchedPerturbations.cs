using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// Per-sample, per-block keep masks [4 types, blocks, B] (1 keep, 0 perturbed) for one batched call, as the guided
/// denoiser builds them (BatchedPerturbationConfig). A host copy decides which attention path each block takes.
/// </summary>
public sealed class BatchedPerturbations : IDisposable
{
    private readonly Tensor _masks;
    private readonly float[] _host;
    private readonly long _blocks, _batch;

    public BatchedPerturbations(Tensor keepMasks)
    {
        if (keepMasks.Dim != 3 || keepMasks.Size(0) != 4) throw new ArgumentException($"keep masks must be [4, blocks, B], got {keepMasks}");
        _masks = keepMasks.Alias().DetachFromScope();
        _blocks = keepMasks.Size(1);
        _batch = keepMasks.Size(2);
        using var scope = TorchRuntime.NewDisposeScope();
        _host = keepMasks.To(Device.Cpu, DType.Float32).Contiguous().ToArray<float>();
    }

    public long Blocks => _blocks;

    private IEnumerable<float> Row(PerturbationType type, int block)
    {
        long start = ((long)type * _blocks + block) * _batch;
        for (long i = 0; i < _batch; i++) yield return _host[start + i];
    }

    /// <summary>The per-stream state of block <paramref name="block"/>; masks are [B, 1, 1] in <paramref name="dtype"/>.</summary>
    public BlockPerturbation ForBlock(int block, PerturbationType selfType, PerturbationType crossType, DType dtype)
    {
        bool allSelf = Row(selfType, block).All(v => v == 0), anySelf = Row(selfType, block).Any(v => v == 0);
        bool allCross = Row(crossType, block).All(v => v == 0);
        return new BlockPerturbation(
            anySelf && !allSelf ? Mask(selfType, block, dtype) : null, allSelf,
            allCross ? null : Mask(crossType, block, dtype), allCross);
    }

    private Tensor Mask(PerturbationType type, int block, DType dtype) =>
        _masks.Select(0, (long)type).Select(0, block).Reshape(-1, 1, 1).To(dtype);

    public void Dispose() => _masks.Dispose();
}
