using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

/// <summary>A seeded random stream on one device; CPU streams match PyTorch's (torch.Generator().manual_seed(s)).</summary>
public sealed class Generator : IDisposable
{
    internal readonly GeneratorHandle Handle;

    public Generator(ulong seed, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        Handle = NativeMethods.ltx_generator_new((int)d.Type, d.Index, seed);
        if (Handle.IsInvalid) throw TorchException.FromNative("Generator");
        Seed = seed;
        Device = d;
    }

    public ulong Seed { get; }

    public Device Device { get; }

    public void Dispose() => Handle.Dispose();
}
