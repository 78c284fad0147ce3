namespace LtxLocal.Torch.Tests;

/// <summary>The theory form of <see cref="CpuOnlyFactAttribute"/>: skipped, saying so, when LTX_TEST_DEVICE is CUDA.</summary>
public sealed class CpuOnlyTheoryAttribute : TheoryAttribute
{
    public CpuOnlyTheoryAttribute()
    {
        if (TestDevice.IsCuda) Skip = "CPU only (LTX_TEST_DEVICE is " + TestDevice.Current + ")";
    }
}
