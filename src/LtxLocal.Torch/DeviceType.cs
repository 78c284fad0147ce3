namespace LtxLocal.Torch;

public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
    /// <summary>Shapes and dtypes without memory: modules are built here, then filled from a checkpoint.</summary>
    Meta = 2,
}
