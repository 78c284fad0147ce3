using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// Audio latents to tokens and back (components/patchifiers.py AudioPatchifier, patch size 1): [B, C, T, mel] ->
/// [B, T, C·mel] with feature index c·mel + f, and each token's time span in seconds.
/// </summary>
public sealed record AudioPatchifier(int SampleRate = 16000, int HopLength = 160, int LatentDownsampleFactor = 4, bool IsCausal = true, int Shift = 0)
{
    public static Tensor Patchify(Tensor latent) => latent.Transpose(1, 2).Flatten(2).Contiguous();

    public static Tensor Unpatchify(Tensor tokens, long channels, long melBins) =>
        tokens.Reshape(tokens.Size(0), tokens.Size(1), channels, melBins).Transpose(1, 2).Contiguous();

    /// <summary>Latent frames of a video's duration: round(frames / fps · rate / hop / factor), half to even.</summary>
    public long LatentFrames(long pixelFrames, double fps) =>
        (long)Math.Round(pixelFrames / fps * SampleRate / HopLength / LatentDownsampleFactor, MidpointRounding.ToEven);

    /// <summary>float32 [B, 1, T, 2]: token t spans mel frames [max(4t+1−4, 0), the next start) in seconds.</summary>
    public Tensor Positions(long batch, long frames, Device? device = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var starts = Seconds(Shift, frames + Shift, device ?? Device.Cpu);
        var ends = Seconds(Shift + 1, frames + Shift + 1, device ?? Device.Cpu);
        var bounds = Tensor.Stack(new[] { starts, ends }, -1).Unsqueeze(0).Unsqueeze(0).Expand(batch, 1, frames, 2);
        return scope.MoveToOuter(bounds.Contiguous());
    }

    // float32 throughout, in the reference's order of operations.
    private Tensor Seconds(long start, long end, Device device)
    {
        var mel = Tensor.Arange(start, end, 1, DType.Float32, device) * LatentDownsampleFactor;
        if (IsCausal) mel = (mel + 1 - LatentDownsampleFactor).Clamp(min: 0);
        return mel * HopLength / SampleRate;
    }
}
