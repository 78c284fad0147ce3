namespace LtxLocal.Torch.Tests;

/// <summary>A test that needs a GPU: skipped, saying so, unless LTX_TEST_DEVICE names a CUDA device.</summary>
public sealed class CudaOnlyFactAttribute : FactAttribute
{
    public CudaOnlyFactAttribute()
    {
        if (!TestDevice.IsCuda) Skip = "GPU only: LTX_TEST_DEVICE is " + TestDevice.Current + " (set it to cuda:0 on a GPU box)";
    }
}
