using LtxLocal.Torch;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The BWE skip path's integer-ratio resampler (ltx_core/model/audio_vae/vocoder.py <c>UpSample1d(window_type="hann")</c>):
/// a Hann-windowed sinc with rolloff 0.99 and 6 zero crossings, computed (not stored) in float32 as the reference does.
/// </summary>
public sealed class HannUpsampler
{
    private const double Rolloff = 0.99;
    private const int ZeroCrossings = 6;

    public HannUpsampler(int ratio)
    {
        Ratio = ratio;
        int width = (int)Math.Ceiling(ZeroCrossings / Rolloff);
        long kernel = 2L * width * ratio + 1;
        (Pad, TrimLeft, TrimRight) = (width, 2L * width * ratio, kernel - ratio);
        using var scope = TorchRuntime.NewDisposeScope();
        var time = (Tensor.Arange(0, kernel, 1, DType.Float32) / (double)ratio - width) * Rolloff;
        var clamped = time.Clamp(-ZeroCrossings, ZeroCrossings);
        var window = (clamped * Math.PI / ZeroCrossings / 2.0).Cos().Square();
        var scaled = time * Math.PI;
        var sinc = Tensor.Where(time.Eq(0), Tensor.OnesLike(time), scaled.Sin() / scaled);
        Filter = (sinc * window * Rolloff / (double)ratio).Reshape(1, 1, kernel).DetachFromScope();
    }

    public int Ratio { get; }

    private long Pad { get; }
    private long TrimLeft { get; }
    private long TrimRight { get; }
    private Tensor Filter { get; }

    /// <summary>[B, C, L] → [B, C, L · ratio].</summary>
    public Tensor Forward(Tensor x) => AntiAliasedActivation.UpsampleBy(x, Filter.To(x.Device), Ratio, Pad, TrimLeft, TrimRight);
}
