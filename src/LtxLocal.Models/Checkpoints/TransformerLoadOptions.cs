using LtxLocal.Torch;

namespace LtxLocal.Models.Checkpoints;

/// <summary>How to materialise a transformer: device, compute dtype, and the fp8-cast storage option.</summary>
public sealed record TransformerLoadOptions
{
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Compute dtype of every tensor (bf16 for inference; float32 in tests).</summary>
    public DType DType { get; init; } = DType.BFloat16;

    /// <summary>fp8-cast: keep the block projections (to_q/k/v, to_out.0, ff) in float8 e4m3, upcast per call.</summary>
    public bool Fp8Cast { get; init; }

    /// <summary>Bytes loaded so far of the total, after each tensor.</summary>
    public IProgress<(long Loaded, long Total)>? Progress { get; init; }
}
