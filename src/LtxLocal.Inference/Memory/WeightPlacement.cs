namespace LtxLocal.Inference.Memory;

/// <summary>Where the networks' weights live during a job; the axis of a <see cref="MemoryPlan"/> that trades speed for memory.</summary>
public enum WeightPlacement
{
    /// <summary>Every network on the compute device for the whole job (and between jobs): fastest, needs all weights at once.</summary>
    Resident,

    /// <summary>Each network on the compute device only during its phase, read again from its memory-mapped file for the next job.</summary>
    Sequential,

    /// <summary>
    /// As sequential, and the transformer's blocks stay in host memory, copied to the compute device a few at a time
    /// during denoising; all guidance passes of a step share one copy of each block.
    /// </summary>
    Streamed,
}
