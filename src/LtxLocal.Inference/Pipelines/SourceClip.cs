using LtxLocal.Media;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.VideoVae;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// The source clip of a retake or an extension, read and encoded (helpers.py video_latent_from_file and
/// audio_latent_from_file): frames at the request's size and frame rate, encoded by the video VAE encoder with tiling;
/// the soundtrack of a time window encoded by the audio conditioner and cut or padded to a latent frame count.
/// </summary>
public static class SourceClip
{
    /// <summary>
    /// <paramref name="count"/> frames from <paramref name="first"/>; when the resampled stream comes up a frame or two
    /// short (frame-rate rounding), its last frame is repeated.
    /// </summary>
    public static IReadOnlyList<byte[]> ReadFrames(PipelineRun run, int first, int count)
    {
        var request = run.Request;
        var frames = run.Model.SourceFrames.ReadAsync(run.Source.File, request.Width, request.Height, request.Fps, first, count, run.CancellationToken)
            .GetAwaiter().GetResult().ToList();
        if (frames.Count == 0) throw new MediaException("the source video has no frames in the requested window");
        while (frames.Count < count) frames.Add(frames[^1]);
        return frames;
    }

    /// <summary>RGB24 frames → normalised video latent [1, C, 1 + (F-1)/8, H/32, W/32] on the model's device.</summary>
    public static Tensor EncodeFrames(LoadedModel model, IReadOnlyList<byte[]> frames, int width, int height)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var bytes = new byte[frames.Count * (long)width * height * 3];
        for (int f = 0; f < frames.Count; f++) frames[f].CopyTo(bytes, f * (long)width * height * 3);
        var video = Tensor.From(bytes, frames.Count, height, width, 3).To(model.Device, DType.Float32)
            .Permute(3, 0, 1, 2).Unsqueeze(0);                                                                  // [1, 3, F, H, W]
        var pixels = (video / 127.5 - 1.0).Clamp(-1, 1).To(model.DType);
        var latent = model.ImageConditioner.Use(conditioner => VideoTiling.TiledEncode(conditioner.Encoder, pixels, TileSizeConfig.Default));
        return scope.MoveToOuter(latent);
    }

    /// <summary>
    /// The source's soundtrack from <paramref name="start"/> for <paramref name="seconds"/>, encoded and cut or padded to
    /// <paramref name="latentFrames"/>; null when the source has no audio or the model no audio VAE.
    /// </summary>
    public static Tensor? EncodeAudio(PipelineRun run, double start, double seconds, long latentFrames)
    {
        if (!run.Source.SourceHasAudio || run.Model.AudioConditioner is null) return null;
        var audio = ReadAudio(run, start, seconds);
        using var scope = TorchRuntime.NewDisposeScope();
        var encoded = run.Model.AudioConditioner.Encode(audio);
        var tools = new AudioLatentTools(1, encoded.Size(1), latentFrames, encoded.Size(3));
        return scope.MoveToOuter(tools.ConformLength(encoded).To(run.Model.Device, run.Model.DType));
    }

    public static DecodedAudio ReadAudio(PipelineRun run, double start, double seconds) =>
        run.Model.AudioConditioner!.Read(run.Source.File, start, seconds, run.CancellationToken);

    /// <summary>
    /// A latent [B, C, T, ...] placed in a longer one of <paramref name="frames"/> along dim 2, zeros around it,
    /// starting at <paramref name="at"/> (the part past the end is cut).
    /// </summary>
    public static Tensor Place(Tensor latent, long frames, long at)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var shape = latent.Shape.ToArray();
        shape[2] = frames;
        var whole = Tensor.Zeros(shape, latent.DType, latent.Device);
        long length = Math.Min(latent.Size(2), frames - at);
        if (length > 0) whole.Narrow(2, at, length).Copy_(latent.Narrow(2, 0, length));
        return scope.MoveToOuter(whole);
    }
}
