namespace LtxLocal.Torch.Tests;

/// <summary>A test of how a libltxnative built without CUDA behaves: skipped, saying so, when this build has CUDA.</summary>
public sealed class CpuBuildOnlyFactAttribute : FactAttribute
{
    public CpuBuildOnlyFactAttribute()
    {
        if (Cuda.IsAvailable) Skip = "needs a libltxnative without CUDA; this one has CUDA";
    }
}
