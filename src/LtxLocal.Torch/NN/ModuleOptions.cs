namespace LtxLocal.Torch.NN;

/// <summary>The dtype and device a module is built with (float32 on the CPU by default; Meta for checkpoint loading).</summary>
public sealed record ModuleOptions(DType DType = DType.Float32, Device Device = default)
{
    public static readonly ModuleOptions Default = new();
}
