using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// BigVGAN's anti-aliased activation (ltx_core/model/audio_vae/vocoder.py <c>Activation1d</c>): 2x Kaiser-sinc
/// upsample (<c>upsample.filter</c>), the Snake / SnakeBeta activation (<c>act.*</c>), 2x low-pass downsample
/// (<c>downsample.lowpass.filter</c>). The 12-tap filters are stored buffers: loaded, never recomputed.
/// </summary>
public sealed class AntiAliasedActivation : Module, IUnaryModule
{
    private const long Ratio = 2;
    private const long Taps = 12;

    public AntiAliasedActivation(long channels, bool snakeBeta, ModuleOptions? options = null)
    {
        Activation = RegisterModule("act", new Snake(channels, snakeBeta, options));
        Up = RegisterModule("upsample", new FilterBuffer(options));
        Down = RegisterModule("downsample", new LowPass(options));
    }

    private Snake Activation { get; }

    private FilterBuffer Up { get; }

    private LowPass Down { get; }

    private Tensor UpFilter => Up.Filter;

    private Tensor DownFilter => Down.Filter;

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        // Upsample: replicate-pad kernel/ratio - 1, transposed conv, trim (kernel - stride)/2 + pad·stride per side.
        long pad = Taps / Ratio - 1;
        long trimLeft = pad * Ratio + (Taps - Ratio) / 2, trimRight = pad * Ratio + (Taps - Ratio + 1) / 2;
        var up = UpsampleBy(x, UpFilter, Ratio, pad, trimLeft, trimRight);
        var activated = Activation.Forward(up);
        // Down: replicate-pad (k/2 - 1, k/2), low-pass conv with stride 2.
        var padded = F.Pad(activated, new[] { Taps / 2 - 1, Taps / 2 }, PadMode.Replicate);
        long c = x.Size(1);
        return scope.MoveToOuter(F.Conv1d(padded, DownFilter.To(x.DType).Expand(c, 1, Taps), stride: Ratio, groups: c));
    }

    /// <summary>ratio · conv_transpose1d(replicate-pad(x), filter per channel, stride ratio), trimmed — UpSample1d.forward.</summary>
    internal static Tensor UpsampleBy(Tensor x, Tensor filter, long ratio, long pad, long trimLeft, long trimRight)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long c = x.Size(1), k = filter.Size(-1);
        var padded = F.Pad(x, new[] { pad, pad }, PadMode.Replicate);
        var up = F.ConvTranspose1d(padded, filter.To(x.DType).Expand(c, 1, k), stride: ratio, groups: c) * (double)ratio;
        return scope.MoveToOuter(up.Narrow(2, trimLeft, up.Size(2) - trimLeft - trimRight));
    }

    /// <summary>A stored [1, 1, 12] filter under <c>filter</c>.</summary>
    private sealed class FilterBuffer : Module
    {
        private readonly TensorSlot _filter;

        public FilterBuffer(ModuleOptions? options) => _filter = AddBuffer("filter", NewTensor(new[] { 1L, 1, Taps }, options ?? ModuleOptions.Default));

        public Tensor Filter => _filter.Value;
    }

    /// <summary>The down-sampler's filter lives one level deeper, under <c>lowpass.filter</c>.</summary>
    private sealed class LowPass : Module
    {
        public LowPass(ModuleOptions? options) => Inner = RegisterModule("lowpass", new FilterBuffer(options));

        private FilterBuffer Inner { get; }

        public Tensor Filter => Inner.Filter;
    }
}
